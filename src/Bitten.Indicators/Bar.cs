namespace Bitten.Indicators;

/// <summary>
/// The price bar that bar indicators (true range, ATR, Keltner) read. Kept here rather than using the engine's
/// <c>Candle</c> so indicators depend on nothing but prices; the engine maps a candle's bid, ask or mid series to it.
/// </summary>
/// <param name="TimeMs">Bar open time, Unix milliseconds. Indicators ignore it; it travels for diagnostics.</param>
public readonly record struct Bar(long TimeMs, double Open, double High, double Low, double Close);
