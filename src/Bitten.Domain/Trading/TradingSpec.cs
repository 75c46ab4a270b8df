namespace Bitten.Domain.Trading;

/// <summary>
/// What lot sizing needs of a symbol, as the user's terminal reports it (HELLO <c>symbols</c>) or, until it does, from
/// the documented fallback table: the money value of one <see cref="TickSize"/> move for one lot, and the volume
/// limits. <see cref="FromEa"/> says which.
/// </summary>
public sealed record TradingSpec(
    string Symbol,
    int Digits,
    decimal TickValue,
    double TickSize,
    decimal VolumeMin,
    decimal VolumeStep,
    decimal VolumeMax,
    bool FromEa);

/// <summary>An open position of a user, as we hold it; <see cref="Adopted"/> when the EA reported one we never fired.</summary>
public sealed record OpenPosition(
    long Ticket,
    string FireId,
    long UserId,
    string Symbol,
    Bitten.Domain.Signals.Direction Direction,
    decimal Lot,
    double OpenPrice,
    double StopLoss,
    double TakeProfit,
    long OpenedAtMs,
    bool Adopted);
