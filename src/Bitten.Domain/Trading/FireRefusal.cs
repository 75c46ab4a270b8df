namespace Bitten.Domain.Trading;

/// <summary>Why a fire was refused: the reasons of PRODUCT.md §5, each with a stable code for the API.</summary>
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
    LotBelowMinimum,
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
        _ => throw new ArgumentOutOfRangeException(nameof(refusal), refusal, "not a refusal"),
    };
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
