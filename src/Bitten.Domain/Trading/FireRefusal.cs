namespace Bitten.Domain.Trading;

/// <summary>
/// Why a fire was refused: the reasons of PRODUCT.md §5, each with a stable code for the API, listed in the order
/// <c>FireDecision</c> checks them (the EA's own refusal last).
/// </summary>
public enum FireRefusal
{
    None,
    EmergencyStop,
    Expired,
    AlreadyFired,
    TierNotAllowed,
    NoEa,
    EaNotSeen,
    NoFreeSlot,
    DailyLoss,
    Drawdown,
    PositionsPerBalance,
    OppositePosition,
    NewsBlackout,

    /// <summary>No trading spec for the symbol: not in the catalogue, and the user's EA has not reported one, so no lot can be sized.</summary>
    NoTradingSpec,
    LotBelowMinimum,

    /// <summary>The EA refused the fire (its failed confirmation); never an outcome of the decision itself.</summary>
    EaRefused,

    /// <summary>The store could not commit the fire, so it was never sent (store before send); not a decision's outcome either.</summary>
    NotStored,
}

public static class FireRefusals
{
    /// <summary>snake_case code, as the API's <c>error</c> field.</summary>
    public static string Code(this FireRefusal refusal) => refusal switch
    {
        FireRefusal.None => "none",
        FireRefusal.EmergencyStop => "emergency_stop",
        FireRefusal.Expired => "expired",
        FireRefusal.AlreadyFired => "already_fired",
        FireRefusal.TierNotAllowed => "tier_not_allowed",
        FireRefusal.NoEa => "no_ea",
        FireRefusal.EaNotSeen => "ea_not_seen",
        FireRefusal.NoFreeSlot => "no_free_slot",
        FireRefusal.DailyLoss => "daily_loss_limit",
        FireRefusal.Drawdown => "drawdown_limit",
        FireRefusal.PositionsPerBalance => "positions_per_balance",
        FireRefusal.OppositePosition => "opposite_position",
        FireRefusal.NewsBlackout => "news_blackout",
        FireRefusal.LotBelowMinimum => "lot_below_minimum",
        FireRefusal.NoTradingSpec => "no_trading_spec",
        FireRefusal.EaRefused => "ea_refused",
        FireRefusal.NotStored => "not_stored",
        _ => throw new ArgumentOutOfRangeException(nameof(refusal), refusal, "not a refusal"),
    };

    /// <summary>
    /// Whether the refusal is a risk limit (recorded as risk_blocked) rather than a state of the mission, the user or
    /// the EA (recorded as fire_failed).
    /// </summary>
    public static bool IsRiskLimit(this FireRefusal refusal) => refusal is FireRefusal.DailyLoss or FireRefusal.Drawdown
        or FireRefusal.PositionsPerBalance or FireRefusal.OppositePosition or FireRefusal.NewsBlackout or FireRefusal.EmergencyStop;

    /// <summary>Every refusal a decision can give, in checking order (all but <see cref="FireRefusal.None"/>, the EA's own and the store's).</summary>
    public static IReadOnlyList<FireRefusal> Decided { get; } =
        [.. Enum.GetValues<FireRefusal>().Where(r => r is not FireRefusal.None and not FireRefusal.EaRefused and not FireRefusal.NotStored)];
}

/// <summary>Fire with <see cref="Lot"/>, or refuse with <see cref="Refusal"/> and a sentence a trader understands.</summary>
public readonly record struct FireVerdict(FireRefusal Refusal, decimal Lot, string Message)
{
    public bool Fires => Refusal == FireRefusal.None;

    public static FireVerdict FireWith(decimal lot) => new(FireRefusal.None, lot, "");

    public static FireVerdict Refuse(FireRefusal refusal, string message) => new(refusal, 0m, message);
}

/// <summary>No new fires (SOFT), or close everything too (HARD).</summary>
public enum EmergencyStop
{
    None,
    Soft,
    Hard,
}

public static class EmergencyStops
{
    /// <summary>As the API, the Throne and the bot say it: SOFT, HARD or NONE.</summary>
    public static string WireName(this EmergencyStop stop) => stop switch
    {
        EmergencyStop.Soft => "SOFT",
        EmergencyStop.Hard => "HARD",
        _ => "NONE",
    };

    /// <summary>SOFT, HARD or NONE in any case; false for anything else.</summary>
    public static bool TryParse(string? text, out EmergencyStop stop)
    {
        foreach (var candidate in Enum.GetValues<EmergencyStop>())
        {
            if (string.Equals(text, candidate.WireName(), StringComparison.OrdinalIgnoreCase))
            {
                stop = candidate;
                return true;
            }
        }

        stop = EmergencyStop.None;
        return false;
    }
}

/// <summary>Why a slot was given back; every release records one.</summary>
public enum SlotReleaseReason
{
    Closed,
    MissingFromHeartbeat,
    FireFailed,
    OrphanTimeout,
}

public static class SlotReleaseReasons
{
    public static string Code(this SlotReleaseReason reason) => reason switch
    {
        SlotReleaseReason.Closed => "closed",
        SlotReleaseReason.MissingFromHeartbeat => "missing_from_heartbeat",
        SlotReleaseReason.FireFailed => "fire_failed",
        SlotReleaseReason.OrphanTimeout => "orphan_timeout",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "not a release reason"),
    };
}

/// <summary>Who decided a fire: the user by hand (API, Telegram) or auto-fire inside their band.</summary>
public enum FireSource
{
    Manual,
    Auto,
}

public static class FireSources
{
    /// <summary>The execution_mode of a fire_command event.</summary>
    public static string WireName(this FireSource source) => source switch
    {
        FireSource.Manual => "MANUAL",
        FireSource.Auto => "AUTO",
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, "not a fire source"),
    };
}

/// <summary>Why a position closed.</summary>
public enum PositionCloseReason
{
    /// <summary>Closed at (or nearer) its take profit.</summary>
    TakeProfit,

    /// <summary>Closed at (or nearer) its stop loss.</summary>
    StopLoss,

    /// <summary>Closed on the user's (or a HARD stop's) request.</summary>
    Manual,

    /// <summary>No longer in the EA's heartbeat.</summary>
    Missing,

    /// <summary>Executed and closed while the server was away (known from the EA's recent fire ids).</summary>
    ClosedAway,
}

public static class PositionCloseReasons
{
    public static string WireName(this PositionCloseReason reason) => reason switch
    {
        PositionCloseReason.TakeProfit => "TP",
        PositionCloseReason.StopLoss => "SL",
        PositionCloseReason.Manual => "MANUAL",
        PositionCloseReason.Missing => "MISSING",
        PositionCloseReason.ClosedAway => "CLOSED_AWAY",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "not a close reason"),
    };
}
