using System.Globalization;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Domain.Trading;

namespace Bitten.Telegram.Commands;

/// <summary>Numbers, prices and times as the bot writes them (invariant culture, UTC).</summary>
internal static class BotFormat
{
    public const string NotAvailable = "That is not available in this process.";

    public static string Money(decimal? amount) => amount is { } a ? a.ToString("#,0.00", CultureInfo.InvariantCulture) : "—";

    public static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    public static string Number(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    public static string Lot(decimal lot) => lot.ToString("0.00", CultureInfo.InvariantCulture);

    public static string Whole(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    /// <summary>A price at the catalogue's digits for the symbol (5 when it does not list it).</summary>
    public static string Price(string symbol, double price) =>
        price.ToString("F" + (SymbolCatalogue.Default.TryGet(symbol, out var spec) ? spec.Digits : 5).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    public static string Date(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>Whole minutes from now until <paramref name="atMs"/>, at least 0.</summary>
    public static long MinutesLeft(long atMs, TimeProvider clock) => Math.Max(0, (atMs - UnixMs.Now(clock)) / 60_000);

    public static string Mission(Mission m, TimeProvider clock)
    {
        var s = m.Signal;
        var line = string.Create(CultureInfo.InvariantCulture,
            $"<b>{s.Symbol}</b> {s.Direction.WireName()} · {s.PatternType.WireName()} · {s.Confidence:0}% · {m.Status.WireName()}");
        return m.Status == MissionStatus.Pending && !m.IsExpiredAt(UnixMs.Now(clock))
            ? line + string.Create(CultureInfo.InvariantCulture, $" · {MinutesLeft(m.ExpiresAtMs, clock)} min left\n<code>{BotText.Escape(m.MissionId)}</code>")
            : line + (m.LastRefusal is { } r ? $"\n  refused: {BotText.Escape(r.Message)}" : "");
    }

    /// <summary>"trader …1234": another user as the leaderboard shows them.</summary>
    public static string Masked(long telegramId)
    {
        var digits = Math.Abs(telegramId).ToString(CultureInfo.InvariantCulture);
        return "trader …" + (digits.Length > 4 ? digits[^4..] : digits);
    }

    /// <summary>on/off as the bot's switches take them; null for anything else.</summary>
    public static bool? Switch(string? word) => word?.ToLowerInvariant() switch
    {
        "on" => true,
        "off" => false,
        _ => null,
    };

    public static string OnOff(bool on) => on ? "on" : "off";
}
