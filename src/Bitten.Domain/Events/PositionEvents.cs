using Bitten.Domain.Signals;
using Bitten.Domain.Trading;

namespace Bitten.Domain.Events;

/// <summary>An EA reported a position carrying our order comment that we never knew of: held (its slot too) and flagged.</summary>
public sealed record PositionAdopted(long TimeMs, long UserId, string FireId, long Ticket, string Symbol, Direction Direction, decimal Lot, double Price)
    : TraderEvent(TimeMs, UserId);

/// <summary>
/// A position closed. <see cref="Ticket"/> is 0 only for <see cref="PositionCloseReason.ClosedAway"/>: a fire the EA
/// executed and closed while the server was down, whose ticket we never heard.
/// </summary>
public sealed record PositionClosed(
    long TimeMs,
    long UserId,
    string? MissionId,
    string FireId,
    long Ticket,
    string Symbol,
    Direction Direction,
    decimal Lot,
    PositionCloseReason Reason,
    double? ClosePrice,
    decimal? Profit)
    : TraderEvent(TimeMs, UserId);

/// <summary>A slot was given back, with why and how many the user now holds.</summary>
public sealed record SlotReleased(long TimeMs, long UserId, string FireId, SlotReleaseReason Reason, int SlotsUsed, int SlotLimit)
    : TraderEvent(TimeMs, UserId);

/// <summary>A user's realised balance changed (a close settled, a deposit), or was first seen.</summary>
public sealed record BalanceUpdated(long TimeMs, long UserId, string? Account, decimal Balance, decimal Equity) : TraderEvent(TimeMs, UserId);
