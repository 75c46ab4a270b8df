using Bitten.Domain.Signals;

namespace Bitten.Domain.Trading;

/// <summary>A user's account as their EA last reported it (HELLO, HEARTBEAT or a confirmation). Money is decimal.</summary>
public sealed record AccountSnapshot(decimal Balance, decimal Equity, decimal FreeMargin, string? Currency);

/// <summary>A position as the EA reports it in HELLO/HEARTBEAT; <see cref="FireId"/> is our order comment, when it is ours.</summary>
public sealed record ReportedPosition(long Ticket, string? FireId, string Symbol, Direction Direction, decimal Lot, double OpenPrice, double StopLoss, double TakeProfit);

/// <summary>
/// What an EA said when it connected or checked in. <see cref="Positions"/> is null when an old EA does not report
/// them; <see cref="RecentFireIds"/> (ours, optional) are fire ids it executed lately.
/// </summary>
public sealed record EaCheckIn(
    string EaUuid,
    bool IsHello,
    AccountSnapshot Account,
    IReadOnlyList<ReportedPosition>? Positions,
    IReadOnlyList<TradingSpec> Specs,
    IReadOnlyList<string>? RecentFireIds = null);

/// <summary>The EA's answer to a fire: filled at <see cref="Price"/> under <see cref="Ticket"/>, or failed with a message.</summary>
public sealed record FillReport(string FireId, string? EaUuid, bool Success, long Ticket, double Price, decimal Lot, string? Message, AccountSnapshot Account);

/// <summary>A position closed at the EA (TP, SL, or by request).</summary>
public sealed record CloseReport(string? FireId, string? EaUuid, long Ticket, double ClosePrice, decimal Profit, string? Message, AccountSnapshot Account);
