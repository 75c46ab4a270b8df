using Bitten.Domain.Signals;

namespace Bitten.Wire.Ea;

/// <summary>A server → EA command on the command port (PRODUCT.md §3), addressed to one EA by its UUID.</summary>
public abstract record EaCommand(string TargetUuid);

/// <summary>
/// <c>{type:"fire", target_uuid, fire_id, symbol, direction, entry:0, sl, tp, lot}</c>: a market order. SL/TP are
/// absolute prices already rounded to the symbol's digits; the lot already rounded down to the volume step.
/// </summary>
public sealed record FireCommand(string TargetUuid, string FireId, string Symbol, Direction Direction, double StopLoss, double TakeProfit, decimal Lot)
    : EaCommand(TargetUuid);

/// <summary><c>{type:"close_ticket", target_uuid, fire_id?, ticket}</c>.</summary>
public sealed record CloseTicketCommand(string TargetUuid, string? FireId, long Ticket) : EaCommand(TargetUuid);

/// <summary><c>{type:"close_all", target_uuid}</c>.</summary>
public sealed record CloseAllCommand(string TargetUuid) : EaCommand(TargetUuid);

/// <summary><c>{type:"ping", ping_id}</c>.</summary>
public sealed record PingCommand(string TargetUuid, string PingId) : EaCommand(TargetUuid);
