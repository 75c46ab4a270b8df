namespace Bitten.Engine.Signals;

/// <summary>Which of a bar's <see cref="IndicatorValues"/> are warmed up; a value that is not reads 0.</summary>
[Flags]
public enum IndicatorReadiness
{
    None = 0,
    Atr14 = 1,
    Atr19 = 2,
    Bands = 4,
    Rsi14 = 8,
    Sma50 = 16,
    Ema20 = 32,
}

/// <summary>
/// What the shared indicators read on one closed M5 bar of one symbol, from its mid prices (see
/// <see cref="IndicatorSet"/> for their definitions). Prices and ranges are in price units.
/// </summary>
/// <param name="OpenTimeMs">Open time of the bar these values are of.</param>
/// <param name="Atr14">Wilder's ATR(14): Elite Guard's stops and CITADEL's tolerances.</param>
/// <param name="Atr19">ATR(19) by a simple mean of true ranges: the RAPID detectors' volatility (reference §2.5).</param>
/// <param name="BandMiddle">Bollinger (20, 2σ population) middle band, the SMA(20) of the closes.</param>
/// <param name="BandDeviation">Population standard deviation of the 20 closes.</param>
/// <param name="Rsi14">RSI(14) by simple averages of gains and losses (reference §2.5).</param>
/// <param name="Sma50">SMA(50) of the closes: the trend filter.</param>
/// <param name="Ema20">EMA(20) of the closes, seeded by the SMA of its first 20: Keltner's middle line.</param>
public readonly record struct IndicatorValues(
    long OpenTimeMs,
    double Atr14,
    double Atr19,
    double BandMiddle,
    double BandDeviation,
    double Rsi14,
    double Sma50,
    double Ema20,
    IndicatorReadiness Ready)
{
    public double BandUpper => BandMiddle + (IndicatorSet.BandDeviations * BandDeviation);

    public double BandLower => BandMiddle - (IndicatorSet.BandDeviations * BandDeviation);

    /// <summary>Upper − lower band in price (not LEAN's fraction of the middle band).</summary>
    public double BandWidth => 2 * IndicatorSet.BandDeviations * BandDeviation;

    /// <summary>Whether every indicator in <paramref name="needed"/> was warmed up on this bar.</summary>
    public bool Has(IndicatorReadiness needed) => (Ready & needed) == needed;
}
