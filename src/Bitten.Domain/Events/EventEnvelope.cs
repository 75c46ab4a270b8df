namespace Bitten.Domain.Events;

/// <summary>
/// One event of PRODUCT.md §7: what happened (<see cref="EventType"/>, one of <see cref="EventTypes"/>), when (Unix ms),
/// who said so, and its payload. The payload is kept as the compact UTF-8 JSON text of an object so the domain needs
/// no JSON library and the log stores exactly what was validated and published.
/// </summary>
/// <param name="DataJson">A JSON object, compact (no whitespace), e.g. <c>{"signal_id":"S1"}</c>.</param>
public sealed record EventEnvelope(
    string EventType,
    long TimestampMs,
    string Source,
    string DataJson,
    string? CorrelationId = null,
    string? UserId = null,
    string? SessionId = null);

/// <summary>The event types the bus accepts: the original's seeds plus ours.</summary>
public static class EventTypes
{
    public const string SignalGenerated = "signal_generated";
    public const string FireCommand = "fire_command";
    public const string TradeExecuted = "trade_executed";
    public const string BalanceUpdate = "balance_update";
    public const string SystemHealth = "system_health";
    public const string UserAction = "user_action";
    public const string MarketData = "market_data";
    public const string PatternDetected = "pattern_detected";
    public const string SignalExpired = "signal_expired";
    public const string SignalResolved = "signal_resolved";
    public const string MissionCreated = "mission_created";
    public const string FireFailed = "fire_failed";
    public const string PositionClosed = "position_closed";
    public const string SlotReleased = "slot_released";
    public const string RiskBlocked = "risk_blocked";

    /// <summary>Every type, in a fixed order (the index is stable: stores may use it as a compact code).</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        SignalGenerated, FireCommand, TradeExecuted, BalanceUpdate, SystemHealth, UserAction, MarketData, PatternDetected,
        SignalExpired, SignalResolved, MissionCreated, FireFailed, PositionClosed, SlotReleased, RiskBlocked,
    ];

    public static bool IsKnown(string? eventType)
    {
        if (eventType is null)
        {
            return false;
        }

        foreach (var known in All)
        {
            if (string.Equals(known, eventType, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
