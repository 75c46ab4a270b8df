using Bitten.Domain.Market;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;

namespace Bitten.Engine.Signals.Patterns;

/// <summary>
/// What a detector knows besides the candles: the symbol's specification, the session of the last close, and the
/// symbol's shared indicators, fed up to and including the last closed candle (read them with
/// <see cref="IndicatorSet.Of"/>, which checks that).
/// </summary>
public readonly record struct DetectorContext(SymbolSpec Spec, TradingSession Session, IndicatorSet Indicators);

/// <summary>
/// How a reading's confidence was built, so analytics and the HUD can show why a signal scored what it did.
/// Each detector documents which of its terms go where; <see cref="Total"/> is their sum before clamping.
/// </summary>
public readonly record struct ConfidenceComponents(double Base, double Strength, double Quality, double Volume, double Session)
{
    public double Total => Base + Strength + Quality + Volume + Session;
}

/// <summary>A detector's finding on the last closed candle: direction, entry and confidence (clamped to the pattern's range).</summary>
public readonly record struct PatternReading(
    PatternType Pattern,
    Direction Direction,
    double EntryPrice,
    double Confidence,
    ConfidenceComponents Components);

/// <summary>
/// One pattern, as a pure function of closed M5 candles (oldest first; the last one is the candle that just closed) and
/// the indicators computed from them. No state, no clock, no forming bar: the same candles and indicators always give
/// the same reading, so a bar once seen never changes its reading (no repaint). A detector whose indicators are not yet
/// warmed up reads nothing. Volume rules use <see cref="Candle.TickCount"/>.
/// </summary>
public interface IPatternDetector
{
    PatternType Pattern { get; }

    /// <summary>Fewer closed candles than this and <see cref="Detect"/> returns null.</summary>
    int MinimumCandles { get; }

    PatternReading? Detect(ReadOnlySpan<Candle> closed, in DetectorContext context);
}
