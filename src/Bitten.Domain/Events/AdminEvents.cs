namespace Bitten.Domain.Events;

/// <summary>
/// An admin changed how the system trades, through the Throne or the API: what (<see cref="Action"/>, one of
/// <see cref="AdminActions"/>), on what (<see cref="Target"/>: a pattern, a user's Telegram id, "global"), the value in
/// force now and the one before, both as a trader reads them. Each such change is exactly one of these, recorded before
/// the change is answered, so the log says who switched what and when.
/// </summary>
public sealed record AdminActed(long TimeMs, long AdminUserId, string Action, string Target, string Value, string? Previous) : TradingEvent(TimeMs);

/// <summary>The <c>action</c> of an <see cref="AdminActed"/>: the names the event log stores and a start replays.</summary>
public static class AdminActions
{
    public const string EmergencyStop = "emergency_stop";

    /// <summary>Kept on whatever its record (the override of auto-disable), and handed back to the rule.</summary>
    public const string PatternKeepOn = "pattern_keep_on";

    public const string PatternRelease = "pattern_release";

    /// <summary>Switched on (kept on whatever its record) and switched off by an admin whatever its record.</summary>
    public const string PatternEnable = "pattern_enable";

    public const string PatternDisable = "pattern_disable";

    /// <summary>The live confidence threshold and/or the tuner's range.</summary>
    public const string Threshold = "threshold";

    /// <summary>A user's tier, fire mode or auto-fire band.</summary>
    public const string UserSettings = "user_settings";
}
