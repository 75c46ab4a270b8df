using System.Globalization;
using Bitten.Cli.Hosting;
using Bitten.Domain.Users;
using Bitten.Persistence;

namespace Bitten.Cli.Commands;

/// <summary>
/// <c>bitten user add|list|set|token|pair</c>: users in the database the server uses (section <c>Storage</c>, so the
/// same appsettings.json, BITTEN_Storage__ConnectionString or --Storage:ConnectionString=… reach the same file).
/// </summary>
/// <remarks>
/// Output is for people and scripts alike: <c>add</c> and <c>token</c> print the API token alone on the last line
/// (it is shown once; only its hash is kept), <c>pair</c> prints the code alone.
/// </remarks>
public static class UserCommand
{
    private const string UsageText = """
        usage: bitten user add --telegram-id N --tier PRESS_PASS|NIBBLER|FANG|COMMANDER [--uuid EA_UUID] [--mode MANUAL|AUTO] [--admin]
               bitten user list
               bitten user set --telegram-id N [--tier T] [--mode M] [--band 80-89] [--slots 10] [--risk 5] [--uuid U]
               bitten user token --telegram-id N
               bitten user pair --telegram-id N
        """;

    private static readonly TimeSpan PairingTtl = TimeSpan.FromMinutes(15);

    private static readonly Dictionary<string, string[]> Flags = new(StringComparer.Ordinal)
    {
        ["add"] = ["telegram-id", "tier", "uuid", "mode", "admin"],
        ["list"] = [],
        ["set"] = ["telegram-id", "tier", "mode", "band", "slots", "risk", "uuid"],
        ["token"] = ["telegram-id"],
        ["pair"] = ["telegram-id"],
    };

    public static int Run(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith("--", StringComparison.Ordinal))
        {
            throw new UsageException(UsageText);
        }

        var commandLine = new CommandLine(args[1..], "admin");
        // A mistyped flag is reported as such, before a missing one it was meant to be (--tear for --tier).
        if (Flags.TryGetValue(args[0], out var flags))
        {
            foreach (var flag in flags)
            {
                _ = commandLine.Has(flag);
            }

            commandLine.RejectUnknown();
        }

        return args[0] switch
        {
            "add" => Add(commandLine),
            "list" => List(commandLine),
            "set" => Set(commandLine),
            "token" => Token(commandLine),
            "pair" => Pair(commandLine),
            _ => throw new UsageException($"unknown user command '{args[0]}'\n{UsageText}"),
        };
    }

    private static int Add(CommandLine commandLine)
    {
        var telegramId = TelegramId(commandLine);
        var tier = ParseTier(commandLine.Value("tier") ?? throw new UsageException("user add needs --tier"));
        var mode = commandLine.Value("mode") is { } m ? ParseMode(m) : FireMode.Manual;
        var uuid = Uuid(commandLine);
        var role = commandLine.Has("admin") ? Role.Admin : Role.User;
        CheckMode(tier, mode);
        return WithStore(commandLine, users =>
        {
            var (user, token) = Checked(() => users.Add(telegramId, tier, role, mode, uuid));
            Console.WriteLine(Describe(user));
            Console.WriteLine(token);
        });
    }

    private static int List(CommandLine commandLine) => WithStore(commandLine, users =>
    {
        string[] header = ["id", "telegram_id", "tier", "role", "mode", "band", "slots", "risk", "ea_uuid"];
        var rows = users.List().Select(u => new[]
        {
            Text(u.UserId), Text(u.TelegramId), u.Tier.WireName(), u.Role.WireName(), u.Mode.WireName(), Band(u.Auto),
            Text(u.Auto.MaxSlots), Risk(u.Auto), u.EaUuid ?? "-",
        }).ToList();
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        foreach (var row in rows.Prepend(header))
        {
            Console.WriteLine(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
        }
    });

    private static int Set(CommandLine commandLine)
    {
        var telegramId = TelegramId(commandLine);
        Tier? tier = commandLine.Value("tier") is { } t ? ParseTier(t) : null;
        FireMode? mode = commandLine.Value("mode") is { } m ? ParseMode(m) : null;
        var band = commandLine.Value("band") is { } b ? ParseBand(b) : ((double, double)?)null;
        var slots = commandLine.Value("slots") is { } s ? ParseSlots(s) : (int?)null;
        var risk = commandLine.Value("risk") is { } r ? ParseRisk(r) : (decimal?)null;
        var uuid = Uuid(commandLine);
        if (tier is null && mode is null && band is null && slots is null && risk is null && uuid is null)
        {
            throw new UsageException("user set needs at least one of --tier, --mode, --band, --slots, --risk, --uuid");
        }

        return WithStore(commandLine, users =>
        {
            var user = users.ByTelegramId(telegramId) ?? throw NoUser(telegramId);
            AutoFireSettings? auto = null;
            if (band is not null || slots is not null || risk is not null)
            {
                auto = user.Auto with
                {
                    MinConfidence = band?.Item1 ?? user.Auto.MinConfidence,
                    MaxConfidence = band?.Item2 ?? user.Auto.MaxConfidence,
                    MaxSlots = slots ?? user.Auto.MaxSlots,
                    RiskPercent = risk ?? user.Auto.RiskPercent,
                };
                if (auto.Problem() is { } problem)
                {
                    throw new UsageException(problem);
                }
            }

            CheckMode(tier ?? user.Tier, mode ?? user.Mode);
            Console.WriteLine(Describe(Checked(() => users.Update(telegramId, tier, mode, auto, uuid))));
        });
    }

    private static int Token(CommandLine commandLine)
    {
        var telegramId = TelegramId(commandLine);
        return WithStore(commandLine, users =>
        {
            _ = users.ByTelegramId(telegramId) ?? throw NoUser(telegramId);
            Console.WriteLine(Checked(() => users.NewToken(telegramId)));
        });
    }

    private static int Pair(CommandLine commandLine)
    {
        var telegramId = TelegramId(commandLine);
        return WithStore(commandLine, users =>
        {
            var user = users.ByTelegramId(telegramId) ?? throw NoUser(telegramId);
            var code = Checked(() => users.CreatePairingCode(user.UserId, PairingTtl));
            Console.WriteLine(code);
            Console.Error.WriteLine(
                $"pairing code for telegram id {telegramId}, valid {PairingTtl.TotalMinutes:0} minutes: enter it in the EA's inputs");
        });
    }

    private static int WithStore(CommandLine commandLine, Action<UserStore> action) =>
        StoreCommandLine.WithStore(commandLine, UsageText, database =>
        {
            action(new UserStore(database, TimeProvider.System));
            return 0;
        });

    // The store's refusals (a duplicate telegram id or EA uuid, an unknown user) are the operator's to fix: exit 2.
    private static T Checked<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (InvalidOperationException e)
        {
            throw new UsageException(e.Message);
        }
    }

    private static void CheckMode(Tier tier, FireMode mode)
    {
        if (mode == FireMode.Auto && !tier.AllowsAutoFire())
        {
            throw new UsageException($"AUTO mode is for COMMANDER only, not {tier.WireName()}");
        }
    }

    private static long TelegramId(CommandLine commandLine)
    {
        var text = commandLine.Value("telegram-id") ?? throw new UsageException("--telegram-id N is required");
        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) && id > 0
            ? id
            : throw new UsageException($"--telegram-id takes a positive number, not '{text}'");
    }

    private static string? Uuid(CommandLine commandLine) => commandLine.Value("uuid") is { } uuid
        ? string.IsNullOrWhiteSpace(uuid) ? throw new UsageException("--uuid must not be blank") : uuid.Trim()
        : null;

    private static Tier ParseTier(string text) => Tiers.TryParse(text, out var tier)
        ? tier
        : throw new UsageException(
            $"unknown tier '{text}': known are {string.Join(", ", Enum.GetValues<Tier>().Select(t => t.WireName()))}");

    private static FireMode ParseMode(string text) => Tiers.TryParseMode(text, out var mode)
        ? mode
        : throw new UsageException($"unknown mode '{text}': MANUAL or AUTO");

    private static (double, double) ParseBand(string text)
    {
        var parts = text.Split('-', StringSplitOptions.TrimEntries);
        return parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var low)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var high)
            && low is >= 0 and <= 100 && high is >= 0 and <= 100 && low <= high
                ? (low, high)
                : throw new UsageException($"--band takes two confidences within 0-100, low first (e.g. 80-89), not '{text}'");
    }

    private static int ParseSlots(string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var slots)
            ? slots
            : throw new UsageException($"--slots takes a whole number (1-100), not '{text}'");

    private static decimal ParseRisk(string text) =>
        decimal.TryParse(text.TrimEnd('%'), NumberStyles.Number, CultureInfo.InvariantCulture, out var risk)
            ? risk
            : throw new UsageException($"--risk takes a per cent of balance (0.1-5), not '{text}'");

    private static UsageException NoUser(long telegramId) => new($"no user with telegram id {telegramId}");

    private static string Describe(User user) =>
        $"user {Text(user.UserId)}: telegram {Text(user.TelegramId)} {user.Tier.WireName()} {user.Role.WireName()} " +
        $"{user.Mode.WireName()} band {Band(user.Auto)} slots {Text(user.Auto.MaxSlots)} risk {Risk(user.Auto)} " +
        $"EA {user.EaUuid ?? "-"}";

    private static string Band(AutoFireSettings auto) => $"{Text(auto.MinConfidence)}-{Text(auto.MaxConfidence)}";

    private static string Risk(AutoFireSettings auto) => Text(auto.RiskPercent) + "%";

    private static string Text(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);
}
