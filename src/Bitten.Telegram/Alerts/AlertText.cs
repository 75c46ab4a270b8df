using System.Globalization;
using Bitten.Domain.Events;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Domain.Trading;

namespace Bitten.Telegram.Alerts;

/// <summary>
/// The words of each alert, pure: an event (and what the alerts remember of it) in, Telegram HTML out. Prices are
/// printed at the symbol's digits, money with two decimals and its sign, times in UTC.
/// </summary>
public static class AlertText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The group's announcement of a signal. <paramref name="record"/> is the pattern's measured record, if any.</summary>
    public static string Signal(Signal s, SymbolCatalogue symbols, string? record)
    {
        var header = s.SignalClass == SignalClass.Sniper ? "🎯 <b>SNIPER SIGNAL</b>" : "⚡ <b>RAPID SIGNAL</b>";
        return $"""
            {header}
            📊 <b>{Esc(s.Symbol)} {s.Direction.WireName()}</b> | {Num(s.Confidence, 1)}% | {Esc(s.PatternType.WireName())}
            Entry {Price(symbols, s.Symbol, s.EntryPrice)} · SL {Price(symbols, s.Symbol, s.StopLoss)} ({Num(s.StopPips, 1)} pips) · TP {Price(symbols, s.Symbol, s.TakeProfit)} ({Num(s.TargetPips, 1)} pips)
            Record: {Esc(record ?? "no resolved signals yet")}
            Expires {Time(s.ExpiresAtMs)} UTC
            """;
    }

    /// <summary>A user's own copy of a signal, privately, with what firing it means.</summary>
    public static string Mission(Signal s, string missionId, SymbolCatalogue symbols, string? record) =>
        $"""
        🎯 <b>Mission {Esc(missionId)}</b>
        <b>{Esc(s.Symbol)} {s.Direction.WireName()}</b> · {Num(s.Confidence, 1)}% · {Esc(s.PatternType.WireName())} ({s.SignalClass.WireName()})
        Entry {Price(symbols, s.Symbol, s.EntryPrice)} · SL {Price(symbols, s.Symbol, s.StopLoss)} · TP {Price(symbols, s.Symbol, s.TakeProfit)} · R:R {Num(s.RiskReward, 1)}
        Record: {Esc(record ?? "no resolved signals yet")}
        Expires {Time(s.ExpiresAtMs)} UTC
        """;

    public static string Filled(FireFilled f, SymbolCatalogue symbols) =>
        $"✅ <b>Filled</b> {Esc(f.Symbol)} {f.Direction.WireName()} {Lot(f.Lot)} lot at {Price(symbols, f.Symbol, f.Price)} · ticket {f.Ticket}\n" +
        $"SL {Price(symbols, f.Symbol, f.StopLoss)} · TP {Price(symbols, f.Symbol, f.TakeProfit)}";

    public static string Failed(FireFailed f) =>
        $"❌ <b>Fire failed</b> {Esc(f.Symbol)} (mission {Esc(f.MissionId)})\n{Esc(f.Message)} <i>[{f.Refusal.Code()}]</i>";

    public static string RiskBlocked(RiskBlocked r) =>
        $"🛡 <b>Risk block</b> {Esc(r.Symbol)} (mission {Esc(r.MissionId)})\n{Esc(r.Message)} <i>[{r.Refusal.Code()}]</i>";

    /// <summary>A closed position; <paramref name="entry"/> is its fill price when the alerts saw the fill.</summary>
    public static string Closed(PositionClosed c, double? entry, SymbolCatalogue symbols)
    {
        var pips = entry is { } open && c.ClosePrice is { } close && symbols.TryGet(c.Symbol, out var spec)
            ? $" · {Signed((close - open) * c.Direction.Sign() / spec.PipSize, 1)} pips"
            : "";
        var money = c.Profit is { } profit ? $" · {Money(profit)}" : "";
        var at = c.ClosePrice is { } price ? $" at {Price(symbols, c.Symbol, price)}" : "";
        return $"{(c.Profit is < 0 ? "🔻" : "🏁")} <b>Closed</b> {Esc(c.Symbol)} {c.Direction.WireName()} {Lot(c.Lot)} lot ({Reason(c.Reason)}){at}{pips}{money} · ticket {c.Ticket}";
    }

    public static string SlotReleased(SlotReleased s) =>
        $"🔓 Slot released ({Esc(s.Reason.Code())}): {s.SlotsUsed}/{s.SlotLimit} in use";

    public static string Outcome(Signal? s, SignalOutcome o) =>
        $"{(o.Outcome == Domain.Signals.Outcome.Win ? "🟢" : "🔴")} <b>{Esc(s?.Symbol ?? o.SignalId)}</b> {(s is null ? "" : s.Direction.WireName() + " ")}" +
        $"{(s is null ? "" : Esc(s.PatternType.WireName()) + " ")}signal resolved <b>{o.Outcome.WireName()}</b>: {Signed(o.Pips, 1)} pips in {Num(o.DurationMinutes, 0)} min";

    public static string EmergencyStop(EmergencyStop stop) => stop switch
    {
        Domain.Trading.EmergencyStop.None => "✅ <b>Trading resumed</b>: the emergency stop is lifted.",
        Domain.Trading.EmergencyStop.Soft => "⛔ <b>Emergency stop (SOFT)</b>: no new fires; open positions stay.",
        _ => "🛑 <b>Emergency stop (HARD)</b>: no new fires, and every open position is being closed.",
    };

    public static string Xp(XpAwarded x) =>
        $"⭐ <b>+{x.Xp} XP</b> for {Cause(x.Cause)} · {x.TotalXp} XP, level {x.Level}";

    public static string Achievement(AchievementUnlocked a)
    {
        var info = Engine.Progression.Achievements.Describe(a.Achievement);
        return $"🏆 <b>Achievement: {Esc(info.Name)}</b>\n{Esc(info.Description)}";
    }

    public static string PressPassStarted(PressPassStarted p) =>
        $"🎟 <b>Press pass active</b> until {Date(p.ExpiresAtMs)} UTC: a simulated account with 10,000 to trade every RAPID signal, by hand or with /mode AUTO.";

    public static string PressPassReminder(long expiresMs) =>
        $"⏳ Your press pass ends {Date(expiresMs)} UTC. Your history, XP and achievements stay; ask an admin about NIBBLER, FANG or COMMANDER to keep trading.";

    public static string PressPassEnded() =>
        "🎟 Your press pass has ended: you are a RECRUIT again and still get the group's alerts. Your history, XP and achievements are kept.";

    private static string Cause(XpCause cause) => cause switch
    {
        XpCause.TakeProfit => "a take profit",
        XpCause.EarlyClose => "closing early by hand",
        XpCause.FirstTrade => "your first trade",
        XpCause.WinStreak => "a win streak",
        XpCause.PatternVariety => "trading more than one pattern today",
        _ => "a stop loss",
    };

    private static string Date(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs).ToString("yyyy-MM-dd HH:mm", Invariant);

    private static string Reason(PositionCloseReason reason) => reason switch
    {
        PositionCloseReason.TakeProfit => "take profit",
        PositionCloseReason.StopLoss => "stop loss",
        PositionCloseReason.Manual => "closed by hand",
        PositionCloseReason.Missing => "gone from the EA",
        _ => "closed while we were away",
    };

    internal static string Esc(string? text) => BotText.Escape(text);

    internal static string Price(SymbolCatalogue symbols, string symbol, double price) =>
        price.ToString(symbols.TryGet(symbol, out var spec) ? "F" + spec.Digits.ToString(Invariant) : "0.#####", Invariant);

    internal static string Num(double value, int decimals) => Math.Round(value, decimals).ToString("0." + new string('#', Math.Max(decimals, 0)), Invariant);

    internal static string Signed(double value, int decimals) => (value >= 0 ? "+" : "") + Num(value, decimals);

    internal static string Money(decimal value) => (value >= 0 ? "+" : "−") + Math.Abs(value).ToString("0.00", Invariant);

    internal static string Lot(decimal lot) => lot.ToString("0.00", Invariant);

    internal static string Time(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs).ToString("HH:mm", Invariant);
}
