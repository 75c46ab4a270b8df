using System.ComponentModel;
using System.Globalization;
using Bitten.Cli.Hosting;
using Bitten.Cli.Printing;
using Bitten.Host.Configuration;
using Bitten.Domain.Users;
using Bitten.Persistence;
using Spectre.Console.Cli;

namespace Bitten.Cli.Commands;

/// <summary>The flag every user command but <c>list</c> names its user by.</summary>
public class UserOptions : CommandSettings
{
    [CommandOption("--telegram-id <N>")]
    [Description("The user's Telegram id.")]
    public string? TelegramId { get; init; }
}

/// <summary><c>bitten user add</c>: prints the user, then the API token alone on the last line (shown once; only its hash is kept).</summary>
public sealed class UserAddCommand : Command<UserAddCommand.Options>
{
    public sealed class Options : UserOptions
    {
        [CommandOption("--tier <TIER>")]
        [Description("PRESS_PASS, NIBBLER, FANG or COMMANDER.")]
        public string? Tier { get; init; }

        [CommandOption("--uuid <EA_UUID>")]
        [Description("The EA the user fires through.")]
        public string? Uuid { get; init; }

        [CommandOption("--mode <MODE>")]
        [Description("MANUAL (default) or AUTO (COMMANDER and PRESS_PASS only).")]
        public string? Mode { get; init; }

        [CommandOption("--admin")]
        [Description("An ADMIN (emergency stop, pattern overrides).")]
        public bool Admin { get; init; }
    }

    public override int Execute(CommandContext context, Options settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var telegramId = Users.TelegramId(settings.TelegramId);
        var tier = Users.ParseTier(settings.Tier ?? throw new UsageException("user add needs --tier"));
        var mode = settings.Mode is { } m ? Users.ParseMode(m) : FireMode.Manual;
        var uuid = Users.Uuid(settings.Uuid);
        var role = settings.Admin ? Role.Admin : Role.User;
        Users.CheckMode(tier, mode);
        return Users.WithStore(context, users =>
        {
            var (user, token) = Users.Checked(() => users.Add(telegramId, tier, role, mode, uuid));
            Console.WriteLine(Users.Describe(user));
            Console.WriteLine(token);
        });
    }
}

/// <summary><c>bitten user list</c>: every user, as a table.</summary>
public sealed class UserListCommand : Command
{
    public override int Execute(CommandContext context, CancellationToken cancellationToken) => Users.WithStore(context, users =>
    {
        string[] header = ["id", "telegram_id", "tier", "role", "mode", "band", "slots", "risk", "ea_uuid"];
        var rows = users.List().Select(u => new[]
        {
            Users.Text(u.UserId), Users.Text(u.TelegramId), u.Tier.WireName(), u.Role.WireName(), u.Mode.WireName(), Users.Band(u.Auto),
            Users.Text(u.Auto.MaxSlots), Users.Risk(u.Auto), u.EaUuid ?? "-",
        }).ToList();
        Tables.Write(header, rows);
    });
}

/// <summary><c>bitten user set</c>: changes what is given, prints the user as it now is.</summary>
public sealed class UserSetCommand : Command<UserSetCommand.Options>
{
    public sealed class Options : UserOptions
    {
        [CommandOption("--tier <TIER>")]
        public string? Tier { get; init; }

        [CommandOption("--mode <MODE>")]
        public string? Mode { get; init; }

        [CommandOption("--band <LOW-HIGH>")]
        [Description("The AUTO confidence band, e.g. 80-89.")]
        public string? Band { get; init; }

        [CommandOption("--slots <N>")]
        [Description("Open positions at most (1-100).")]
        public string? Slots { get; init; }

        [CommandOption("--risk <PERCENT>")]
        [Description("Risk per fire, per cent of balance (0.1-5).")]
        public string? Risk { get; init; }

        [CommandOption("--uuid <EA_UUID>")]
        public string? Uuid { get; init; }
    }

    public override int Execute(CommandContext context, Options settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var telegramId = Users.TelegramId(settings.TelegramId);
        Tier? tier = settings.Tier is { } t ? Users.ParseTier(t) : null;
        FireMode? mode = settings.Mode is { } m ? Users.ParseMode(m) : null;
        var band = settings.Band is { } b ? Users.ParseBand(b) : ((double, double)?)null;
        var slots = settings.Slots is { } s ? Users.ParseSlots(s) : (int?)null;
        var risk = settings.Risk is { } r ? Users.ParseRisk(r) : (decimal?)null;
        var uuid = Users.Uuid(settings.Uuid);
        if (tier is null && mode is null && band is null && slots is null && risk is null && uuid is null)
        {
            throw new UsageException("user set needs at least one of --tier, --mode, --band, --slots, --risk, --uuid");
        }

        return Users.WithStore(context, users =>
        {
            var user = users.ByTelegramId(telegramId) ?? throw Users.NoUser(telegramId);
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

            Users.CheckMode(tier ?? user.Tier, mode ?? user.Mode);
            Console.WriteLine(Users.Describe(Users.Checked(() => users.Update(telegramId, tier, mode, auto, uuid))));
        });
    }
}

/// <summary><c>bitten user token</c>: a new API token, alone on the line (the old one stops working).</summary>
public sealed class UserTokenCommand : Command<UserOptions>
{
    public override int Execute(CommandContext context, UserOptions settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var telegramId = Users.TelegramId(settings.TelegramId);
        return Users.WithStore(context, users =>
        {
            _ = users.ByTelegramId(telegramId) ?? throw Users.NoUser(telegramId);
            Console.WriteLine(Users.Checked(() => users.NewToken(telegramId)));
        });
    }
}

/// <summary><c>bitten user pair</c>: a pairing code, alone on the line, for the EA's inputs.</summary>
public sealed class UserPairCommand : Command<UserOptions>
{
    private static readonly TimeSpan PairingTtl = TimeSpan.FromMinutes(15);

    public override int Execute(CommandContext context, UserOptions settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var telegramId = Users.TelegramId(settings.TelegramId);
        return Users.WithStore(context, users =>
        {
            var user = users.ByTelegramId(telegramId) ?? throw Users.NoUser(telegramId);
            var code = Users.Checked(() => users.CreatePairingCode(user.UserId, PairingTtl));
            Console.WriteLine(code);
            Console.Error.WriteLine(
                $"pairing code for telegram id {telegramId}, valid {PairingTtl.TotalMinutes:0} minutes: enter it in the EA's inputs");
        });
    }
}

/// <summary>
/// <c>bitten user login-link</c>: a one-time link (10 minutes, once) that opens a browser session, alone on the line:
/// <c>{Web:PublicUrl}/login?token=…</c> (default <c>http://127.0.0.1:{Web:Port}</c>).
/// </summary>
public sealed class UserLoginLinkCommand : Command<UserOptions>
{
    public override int Execute(CommandContext context, UserOptions settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var telegramId = Users.TelegramId(settings.TelegramId);
        var web = Settings.Load(Overrides.Of(context).Args).Web;
        return Users.WithStore(context, (users, database) =>
        {
            var user = users.ByTelegramId(telegramId) ?? throw Users.NoUser(telegramId);
            var link = Users.Checked(() => new LoginStore(database, TimeProvider.System).CreateLink(user.UserId));
            Console.WriteLine(web.LoginUrl(web.Port, link));
            Console.Error.WriteLine(
                $"login link for telegram id {telegramId}, valid {LoginStore.LinkLifetime.TotalMinutes:0} minutes and once: open it in a browser");
        });
    }
}

/// <summary>
/// What the user commands share: users in the database the server uses (section <c>Storage</c>, so the same
/// appsettings.json, BITTEN_Storage__ConnectionString or --Storage:ConnectionString=… reach the same file), and the
/// parsing of their values. Output is for people and scripts alike.
/// </summary>
internal static class Users
{
    public static int WithStore(CommandContext context, Action<UserStore> action) => WithStore(context, (users, _) => action(users));

    public static int WithStore(CommandContext context, Action<UserStore, IDatabase> action) =>
        StoreCommandLine.WithStore(Overrides.Of(context), database =>
        {
            action(new UserStore(database, TimeProvider.System), database);
            return 0;
        });

    // The store's refusals (a duplicate telegram id or EA uuid, an unknown user) are the operator's to fix: exit 2.
    public static T Checked<T>(Func<T> action)
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

    public static void CheckMode(Tier tier, FireMode mode)
    {
        if (mode == FireMode.Auto && !tier.AllowsAutoFire())
        {
            throw new UsageException(tier.AutoFireRefusal());
        }
    }

    public static long TelegramId(string? text)
    {
        if (text is null)
        {
            throw new UsageException("--telegram-id N is required");
        }

        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) && id > 0
            ? id
            : throw new UsageException($"--telegram-id takes a positive number, not '{text}'");
    }

    public static string? Uuid(string? value) => value is { } uuid
        ? string.IsNullOrWhiteSpace(uuid) ? throw new UsageException("--uuid must not be blank") : uuid.Trim()
        : null;

    public static Tier ParseTier(string text) => Tiers.TryParse(text, out var tier)
        ? tier
        : throw new UsageException(
            $"unknown tier '{text}': known are {string.Join(", ", Enum.GetValues<Tier>().Select(t => t.WireName()))}");

    public static FireMode ParseMode(string text) => Tiers.TryParseMode(text, out var mode)
        ? mode
        : throw new UsageException($"unknown mode '{text}': MANUAL or AUTO");

    public static (double, double) ParseBand(string text)
    {
        var parts = text.Split('-', StringSplitOptions.TrimEntries);
        return parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var low)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var high)
            && low is >= 0 and <= 100 && high is >= 0 and <= 100 && low <= high
                ? (low, high)
                : throw new UsageException($"--band takes two confidences within 0-100, low first (e.g. 80-89), not '{text}'");
    }

    public static int ParseSlots(string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var slots)
            ? slots
            : throw new UsageException($"--slots takes a whole number (1-100), not '{text}'");

    public static decimal ParseRisk(string text) =>
        decimal.TryParse(text.TrimEnd('%'), NumberStyles.Number, CultureInfo.InvariantCulture, out var risk)
            ? risk
            : throw new UsageException($"--risk takes a per cent of balance (0.1-5), not '{text}'");

    public static UsageException NoUser(long telegramId) => new($"no user with telegram id {telegramId}");

    public static string Describe(User user) =>
        $"user {Text(user.UserId)}: telegram {Text(user.TelegramId)} {user.Tier.WireName()} {user.Role.WireName()} " +
        $"{user.Mode.WireName()} band {Band(user.Auto)} slots {Text(user.Auto.MaxSlots)} risk {Risk(user.Auto)} " +
        $"EA {user.EaUuid ?? "-"}";

    public static string Band(AutoFireSettings auto) => $"{Text(auto.MinConfidence)}-{Text(auto.MaxConfidence)}";

    public static string Risk(AutoFireSettings auto) => Text(auto.RiskPercent) + "%";

    public static string Text(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);
}
