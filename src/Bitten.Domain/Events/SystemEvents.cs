using Bitten.Domain.Trading;

namespace Bitten.Domain.Events;

/// <summary>The emergency stop was set (SOFT, HARD) or lifted (None).</summary>
public sealed record EmergencyStopChanged(long TimeMs, EmergencyStop Stop) : TradingEvent(TimeMs);

/// <summary>A user's EA (re)connected: a HELLO, or the first heartbeat this process heard from it.</summary>
public sealed record EaConnected(long TimeMs, long UserId, string EaUuid, bool IsHello) : TraderEvent(TimeMs, UserId);
