using Bitten.Domain.Signals;
using Bitten.Domain.Trading;

namespace Bitten.Domain.Events;

/// <summary>
/// A fire left for the user's EA (stored first). <see cref="Attempt"/> is 1 for a new fire, higher when the same
/// fire_id is sent again after the EA reconnected.
/// </summary>
public sealed record FireSent(
    long TimeMs,
    long UserId,
    string FireId,
    string MissionId,
    string SignalId,
    string EaUuid,
    string Symbol,
    Direction Direction,
    decimal Lot,
    double StopLoss,
    double TakeProfit,
    FireSource Source,
    int Attempt)
    : TraderEvent(TimeMs, UserId);

/// <summary>How we know a fire was filled.</summary>
public enum FillEvidence
{
    /// <summary>The EA's confirmation said FILLED.</summary>
    Confirmation,

    /// <summary>The confirmation was lost or late; a heartbeat listed the position with our fire_id.</summary>
    Heartbeat,
}

/// <summary>The EA filled a fire: its position is open under <see cref="Ticket"/>.</summary>
public sealed record FireFilled(
    long TimeMs,
    long UserId,
    string FireId,
    string MissionId,
    string Symbol,
    Direction Direction,
    decimal Lot,
    long Ticket,
    double Price,
    double StopLoss,
    double TakeProfit,
    FillEvidence Evidence)
    : TraderEvent(TimeMs, UserId);

/// <summary>
/// A mission did not become an open position: refused before sending (<see cref="FireId"/> null; every refusal of
/// FireDecision that is not a risk limit) or refused by the EA (<see cref="FireRefusal.EaRefused"/>).
/// </summary>
public sealed record FireFailed(
    long TimeMs,
    long UserId,
    string MissionId,
    string SignalId,
    string? FireId,
    string Symbol,
    FireRefusal Refusal,
    string Message,
    FireSource Source)
    : TraderEvent(TimeMs, UserId);

/// <summary>A fire was refused by a risk limit (daily loss, drawdown, positions per balance, opposite position, news, emergency stop).</summary>
public sealed record RiskBlocked(
    long TimeMs,
    long UserId,
    string MissionId,
    string SignalId,
    string Symbol,
    FireRefusal Refusal,
    string Message,
    FireSource Source)
    : TraderEvent(TimeMs, UserId);

/// <summary>
/// A fire or close confirmation named a fire or ticket we do not know, or came from an EA it was not sent to: never
/// trusted, counted, recorded.
/// </summary>
public sealed record ConfirmationRejected(long TimeMs, string? FireId, long? Ticket, string? EaUuid) : TradingEvent(TimeMs);
