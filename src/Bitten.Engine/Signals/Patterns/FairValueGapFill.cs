using Bitten.Domain.Market;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;

namespace Bitten.Engine.Signals.Patterns;

/// <summary>
/// FAIR_VALUE_GAP_FILL (SNIPER): three candles leave a price gap (the first's high below the third's low, or the
/// mirror) after a strong middle candle; price retraces to the gap's middle without filling it, and the gap is
/// expected to hold. A bullish gap gives a BUY, a bearish one a SELL, entered at the close. Mid prices; volume is
/// tick count.
/// </summary>
public sealed class FairValueGapFill : IPatternDetector
{
    // Reference §2.5 FAIR_VALUE_GAP_FILL: last 10 M5; the gap's third candle closed within the last 7 before the
    // current one (never the current one: the retrace must come after the gap).
    private const int Window = 10;
    private const int MaxGapAge = 7;

    // Reference §2.5: gap ≥10 pips (XAUUSD 100), middle candle body ≥60% of its range in the gap's direction,
    // current extreme within 10 pips of the gap's midpoint.
    private const double MinGapPips = 10.0;
    private const double MinGapPipsGold = 100.0;
    private const double MinMiddleBodyRatio = 0.60;
    private const double MaxMidpointDistancePips = 10.0;

    // Reference §2.5: ≥2 of the last 5 candles closed in the gap's direction; current tick count ≥0.8× the
    // average of the 5 before it.
    private const int TrendCandles = 5;
    private const int MinTrendCandles = 2;
    private const int VolumeCandles = 5;
    private const double MinVolumeRatio = 0.8;

    // Reference §2.5 confidence: 72 + min(12, 1.5×gap) + min(10, 12×body ratio) + 8×(1−|0.5−fill|) +
    // min(8, 5×(vol−1)) + the SessionBonus; clamp [72, 92].
    private const double BaseConfidence = 72.0;
    private const double GapFactor = 1.5;
    private const double GapCap = 12.0;
    private const double BodyFactor = 12.0;
    private const double BodyCap = 10.0;
    private const double FillFactor = 8.0;
    private const double VolumeFactor = 5.0;
    private const double VolumeCap = 8.0;
    private const double MinConfidence = 72.0;
    private const double MaxConfidence = 92.0;

    public PatternType Pattern => PatternType.FairValueGapFill;

    public int MinimumCandles => Window;

    public PatternReading? Detect(ReadOnlySpan<Candle> closed, in DetectorContext context)
    {
        if (closed.Length < Window)
        {
            return null;
        }

        var window = closed[^Window..];
        var last = window.Length - 1;
        var current = window[last].Mid;
        var pip = context.Spec.PipSize;
        var minGap = (IsGold(context.Spec) ? MinGapPipsGold : MinGapPips) * pip;

        var volumeRatio = CandleMath.TickRatio(window, VolumeCandles);
        if (volumeRatio < MinVolumeRatio)
        {
            return null;
        }

        // Freshest gap first.
        for (var third = last - 1; third >= last - MaxGapAge && third >= 2; third--)
        {
            var first = window[third - 2].Mid;
            var middle = window[third - 1].Mid;
            var thirdBar = window[third].Mid;
            var bullish = thirdBar.Low > first.High;
            var bearish = thirdBar.High < first.Low;
            if (!bullish && !bearish)
            {
                continue;
            }

            var bottom = bullish ? first.High : thirdBar.High;
            var top = bullish ? thirdBar.Low : first.Low;
            var gap = top - bottom;
            var middleInDirection = bullish ? middle.Close > middle.Open : middle.Close < middle.Open;
            var bodyRatio = middle.Range > 0 ? middle.Body / middle.Range : 0;
            if (gap < minGap || !middleInDirection || bodyRatio < MinMiddleBodyRatio
                || FullyFilled(window[(third + 1)..], bottom, top, bullish))
            {
                continue;
            }

            var touch = bullish ? current.Low : current.High;
            if (Math.Abs(touch - ((top + bottom) / 2)) > MaxMidpointDistancePips * pip
                || CountInDirection(window[^TrendCandles..], bullish) < MinTrendCandles)
            {
                continue;
            }

            var fill = Math.Clamp(bullish ? (top - touch) / gap : (touch - bottom) / gap, 0, 1);
            var components = new ConfidenceComponents(
                Base: BaseConfidence,
                Strength: Math.Min(GapCap, GapFactor * gap / pip),
                Quality: Math.Min(BodyCap, BodyFactor * bodyRatio) + (FillFactor * (1 - Math.Abs(0.5 - fill))),
                Volume: Math.Min(VolumeCap, VolumeFactor * (volumeRatio - 1)),
                Session: SessionBonus.For(Pattern, context.Session));
            return new PatternReading(
                Pattern,
                bullish ? Direction.Buy : Direction.Sell,
                current.Close,
                Math.Clamp(components.Total, MinConfidence, MaxConfidence),
                components);
        }

        return null;
    }

    /// <summary>Some candle after the gap traded through to its far side, so there is no gap left to defend.</summary>
    private static bool FullyFilled(ReadOnlySpan<Candle> after, double bottom, double top, bool bullish)
    {
        foreach (var candle in after)
        {
            if (bullish ? candle.Mid.Low <= bottom : candle.Mid.High >= top)
            {
                return true;
            }
        }

        return false;
    }

    private static int CountInDirection(ReadOnlySpan<Candle> candles, bool bullish)
    {
        var count = 0;
        foreach (var candle in candles)
        {
            if (bullish ? candle.Mid.Close > candle.Mid.Open : candle.Mid.Close < candle.Mid.Open)
            {
                count++;
            }
        }

        return count;
    }

    private static bool IsGold(SymbolSpec spec) => string.Equals(spec.Symbol, "XAUUSD", StringComparison.OrdinalIgnoreCase);
}
