using System.Globalization;
using Bitten.Domain.Signals;
using Bitten.Domain.Trading;
using Bitten.Domain.Users;

namespace Bitten.Engine.Execution;

/// <summary>
/// Everything one fire decision looks at, gathered by the caller at one instant: the mission, the user's tier and
/// EA, slots, the account (balance, equity, the day's starting balance, the peak equity), open positions, the news
/// blackout, the emergency stop, and what sizing needs (<see cref="Spec"/> null when the symbol has none yet). Times are Unix milliseconds; money is in the account currency.
/// </summary>
public readonly record struct FireContext(
    long NowMs,
    MissionStatus MissionStatus,
    long MissionExpiresAtMs,
    Tier Tier,
    SignalClass SignalClass,
    string? EaUuid,
    long? EaLastSeenMs,
    int SlotsUsed,
    int SlotLimit,
    decimal Balance,
    decimal Equity,
    decimal DayStartBalance,
    decimal PeakEquity,
    int OpenPositions,
    bool OppositePositionOpen,
    bool NewsBlackout,
    string? NewsReason,
    EmergencyStop EmergencyStop,
    decimal RiskPercent,
    double StopDistance,
    string Symbol,
    TradingSpec? Spec);

/// <summary>
/// Fire or refuse (PRODUCT.md §5), the same for every channel (Telegram, web, auto-fire). The checks run in a fixed
/// order and the first that fails is the answer, so a user sees the most fundamental reason: a stopped system before
/// an expired mission, an expired mission before a missing slot, every account limit before the lot is sized.
/// </summary>
public static class FireDecision
{
    /// <summary>An EA silent longer than this (four 30 s heartbeats missed) may be offline: do not fire to it.</summary>
    public const long EaSilenceLimitMs = 120_000;

    private const long MinUnixMs = -62_135_596_800_000;
    private const long MaxUnixMs = 253_402_300_799_999;

    public static FireVerdict Decide(in FireContext context)
    {
        // A readonly alias, not a copy of the 21 fields.
        ref readonly var c = ref context;
        if (c.EmergencyStop != EmergencyStop.None)
        {
            return FireVerdict.Refuse(
                FireRefusal.EmergencyStop,
                $"Trading is halted by an emergency stop ({(c.EmergencyStop == EmergencyStop.Hard ? "HARD" : "SOFT")}): no new fires until it is lifted.");
        }

        if (c.NowMs >= c.MissionExpiresAtMs || c.MissionStatus == MissionStatus.Expired)
        {
            return FireVerdict.Refuse(
                FireRefusal.Expired,
                Text($"This mission has expired (its window closed at {Utc(c.MissionExpiresAtMs)} UTC): the entry is stale, wait for the next signal."));
        }

        if (c.MissionStatus != MissionStatus.Pending)
        {
            return FireVerdict.Refuse(
                FireRefusal.AlreadyFired,
                $"This mission was already fired (it is {c.MissionStatus.WireName()}): a mission fires once.");
        }

        if (c.Tier == Tier.Recruit)
        {
            return FireVerdict.Refuse(FireRefusal.TierNotAllowed, "Recruits get alerts only: /presspass starts a 7-day trial on a simulated account");
        }

        if (!c.Tier.Allows(c.SignalClass))
        {
            return FireVerdict.Refuse(
                FireRefusal.TierNotAllowed,
                $"{c.Tier.WireName()} does not include {c.SignalClass.WireName()} signals: FANG and COMMANDER trade every class.");
        }

        if (c.EaUuid is null)
        {
            return FireVerdict.Refuse(
                FireRefusal.NoEa,
                "No EA is paired with your account: connect your MetaTrader terminal's EA before firing.");
        }

        if (c.EaLastSeenMs is not { } lastSeen)
        {
            return FireVerdict.Refuse(
                FireRefusal.EaNotSeen,
                "Your EA has not connected yet: start the terminal with the EA attached, then fire.");
        }

        if (c.NowMs - lastSeen > EaSilenceLimitMs)
        {
            return FireVerdict.Refuse(
                FireRefusal.EaNotSeen,
                Text($"Your EA has not been heard from for {(c.NowMs - lastSeen) / 1000} s (limit {EaSilenceLimitMs / 1000} s): check the terminal is running and online."));
        }

        if (c.SlotsUsed >= c.SlotLimit)
        {
            return FireVerdict.Refuse(
                FireRefusal.NoFreeSlot,
                Text($"All {c.SlotLimit} of your slots are in use: a slot frees when one of your positions closes."));
        }

        var dailyLimitPercent = c.Tier.DailyLossLimitPercent();
        if (c.DayStartBalance > 0 && c.DayStartBalance - c.Equity >= c.DayStartBalance * dailyLimitPercent / 100m)
        {
            return FireVerdict.Refuse(
                FireRefusal.DailyLoss,
                Text($"Daily loss limit reached: equity {c.Equity:0.00} is {Percent(c.DayStartBalance - c.Equity, c.DayStartBalance)}% below today's starting balance {c.DayStartBalance:0.00} (limit {dailyLimitPercent}% for {c.Tier.WireName()}). Fires resume tomorrow."));
        }

        if (c.PeakEquity > 0 && c.PeakEquity - c.Equity >= c.PeakEquity * RiskLimits.MaxDrawdownPercent / 100m)
        {
            return FireVerdict.Refuse(
                FireRefusal.Drawdown,
                Text($"Drawdown limit reached: equity {c.Equity:0.00} is {Percent(c.PeakEquity - c.Equity, c.PeakEquity)}% below its peak {c.PeakEquity:0.00} (limit {RiskLimits.MaxDrawdownPercent}%)."));
        }

        var maxPositions = RiskLimits.MaxOpenPositions(c.Balance);
        if (c.OpenPositions >= maxPositions)
        {
            return FireVerdict.Refuse(
                FireRefusal.PositionsPerBalance,
                Text($"{c.OpenPositions} positions are open and a balance of {c.Balance:0.00} allows {maxPositions}: close one before firing."));
        }

        if (c.OppositePositionOpen)
        {
            return FireVerdict.Refuse(
                FireRefusal.OppositePosition,
                $"You hold a position the other way on {c.Symbol}: close it before firing this one.");
        }

        if (c.NewsBlackout)
        {
            return FireVerdict.Refuse(
                FireRefusal.NewsBlackout,
                Text($"News blackout (±{NewsCalendar.BlackoutMinutes} min around high-impact news): {c.NewsReason ?? "a high-impact event is close"}."));
        }

        if (c.Spec is not { } spec)
        {
            return FireVerdict.Refuse(
                FireRefusal.NoTradingSpec,
                $"{c.Symbol} has no trading spec yet (it is not in the symbol catalogue and your EA has not reported it): no lot can be sized until the EA lists {c.Symbol} in its HELLO.");
        }

        var lot = LotSizer.Size(c.Balance, c.RiskPercent, c.StopDistance, spec);
        if (lot == 0)
        {
            var raw = LotSizer.RawLot(c.Balance, c.RiskPercent, c.StopDistance, spec);
            return FireVerdict.Refuse(
                FireRefusal.LotBelowMinimum,
                raw == 0
                    ? Text($"No lot can be sized for {c.Symbol}: balance, risk and stop distance must all be positive.")
                    : Text($"{c.RiskPercent}% risk with this stop is a lot of {raw:0.#####}, below the minimum {spec.VolumeMin} for {c.Symbol}: we never round up, as that would risk more than you chose."));
        }

        return FireVerdict.FireWith(lot);
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    // Clamped so a nonsense expiry still gives a message rather than an exception.
    private static string Utc(long ms) =>
        DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(ms, MinUnixMs, MaxUnixMs))
            .ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static decimal Percent(decimal part, decimal whole) => Math.Round(part / whole * 100m, 2);
}
