using Bitten.Domain.Market;

namespace Bitten.Wire.Ea;

/// <summary>Account fields every HELLO, HEARTBEAT and confirmation carries. Money is decimal.</summary>
public sealed record AccountReport(
    decimal Balance,
    decimal Equity,
    decimal Margin,
    decimal FreeMargin,
    decimal MarginLevel,
    string? Currency,
    int Leverage,
    string? AccountLogin,
    string? Broker);

/// <summary>An open position as the EA reports it (ours: v2.06+ adds these to HELLO/HEARTBEAT).</summary>
public sealed record EaPosition(
    long Ticket,
    string? FireId,
    string Symbol,
    string Direction,
    decimal Volume,
    double OpenPrice,
    double StopLoss,
    double TakeProfit,
    decimal Profit);

/// <summary>A symbol's trading specification as the terminal reports it in HELLO.</summary>
public sealed record SymbolSpecReport(
    string Symbol,
    int Digits,
    double Point,
    decimal TickValue,
    double TickSize,
    decimal VolumeMin,
    decimal VolumeStep,
    decimal VolumeMax,
    int StopsLevel);

/// <summary>Any parsed EA → server message.</summary>
public abstract record EaMessage(EaMessageType Type, string? Uuid);

/// <summary>TICK, in either form, with its timestamp as sent (broker time not yet shifted to UTC).</summary>
public sealed record EaTick(string? Uuid, string Symbol, double Bid, double Ask, double Spread, double Volume, long TimestampMs, TimestampKind TimestampKind)
    : EaMessage(EaMessageType.Tick, Uuid);

public sealed record EaBar(string? Uuid, string Symbol, Timeframe Timeframe, long OpenTimeMs, double Open, double High, double Low, double Close, long TickVolume)
    : EaMessage(EaMessageType.Ohlc, Uuid);

/// <summary>The market-port telemetry: lowercase heartbeat, handshake and DISCONNECT.</summary>
public sealed record EaTelemetry(EaMessageType Kind, string? Uuid, int? UtcOffsetSeconds)
    : EaMessage(Kind, Uuid);

public sealed record EaHello(
    string Uuid,
    string? NodeId,
    string? Version,
    string? PairingCode,
    AccountReport Account,
    IReadOnlyList<EaPosition> Positions,
    IReadOnlyList<SymbolSpecReport> Symbols,
    long TimestampMs,
    IReadOnlyList<string>? RecentFireIds = null)
    : EaMessage(EaMessageType.Hello, Uuid);

/// <remarks><c>recent_fire_ids</c> (ours, optional in HELLO and HEARTBEAT): fire ids the EA executed lately, so a server
/// that lost a confirmation in a crash knows not to send that fire again.</remarks>
public sealed record EaHeartbeat(string Uuid, string? NodeId, AccountReport Account, IReadOnlyList<EaPosition>? Positions, long TimestampMs,
    IReadOnlyList<string>? RecentFireIds = null)
    : EaMessage(EaMessageType.Heartbeat, Uuid);

public sealed record FireConfirmation(
    string FireId,
    string? Uuid,
    bool Success,
    long Ticket,
    double Price,
    decimal Lot,
    string? Message,
    AccountReport Account,
    long TimestampMs)
    : EaMessage(EaMessageType.Confirmation, Uuid);

public sealed record CloseConfirmation(string? FireId, string? Uuid, long Ticket, double ClosePrice, decimal Profit, string? Message, AccountReport Account)
    : EaMessage(EaMessageType.CloseConfirmation, Uuid);

public sealed record EaPong(string PingId, string? Uuid) : EaMessage(EaMessageType.Pong, Uuid);
