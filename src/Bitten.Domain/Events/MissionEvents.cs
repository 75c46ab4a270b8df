namespace Bitten.Domain.Events;

/// <summary>A signal became a mission for one eligible user.</summary>
public sealed record MissionCreated(long TimeMs, long UserId, string MissionId, string SignalId, string Symbol, double Confidence)
    : TraderEvent(TimeMs, UserId);

/// <summary>A pending mission's window closed before it was fired.</summary>
public sealed record MissionExpired(long TimeMs, long UserId, string MissionId, string SignalId) : TraderEvent(TimeMs, UserId);
