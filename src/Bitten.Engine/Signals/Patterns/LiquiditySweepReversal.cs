using Bitten.Domain.Market;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;

namespace Bitten.Engine.Signals.Patterns;

/// <summary>
/// LIQUIDITY_SWEEP_REVERSAL (SNIPER): the just-closed candle runs the stops beyond the furthest swing of the
/// previous nine candles, rejects with a long wick, closes back inside and flips the previous candle's colour.
/// A SELL after a swept swing high, a BUY after a swept swing low. Mid prices; volume is tick count.
/// </summary>
public sealed class LiquiditySweepReversal : IPatternDetector
{
    // Reference §2.5 LIQUIDITY_SWEEP_REVERSAL: last 10 M5, swings need two neighbours on each side.
    private const int Window = 10;
    private const int SwingReach = 2;

    // Reference §2.5: sweep beyond the level ≥3 pips (JPY 4; XAUUSD 300 pips, which the original wrote as $30).
    private const double SweepPips = 3.0;
    private const double SweepPipsJpy = 4.0;
    private const double SweepPipsGold = 300.0;

    // Reference §2.5 "internal viability": the stop at the candle's extreme is at most 12 pips from entry
    // (GBPUSD and USDJPY 15, XAUUSD 400).
    private const double MaxStopPips = 12.0;
    private const double MaxStopPipsWide = 15.0;
    private const double MaxStopPipsGold = 400.0;

    // Reference §2.5: range ≥2 pips; upper wick ≥50% for a bearish sweep, lower wick ≥60% for a bullish one
    // (asymmetric in the original, kept); entry one pip beyond the close in the trade's direction.
    private const double MinRangePips = 2.0;
    private const double BearishWickRatio = 0.50;
    private const double BullishWickRatio = 0.60;
    private const double EntryOffsetPips = 1.0;

    // Reference §2.5 confidence: 55 + min(15, 2×sweep) + min(12, 30×wick) + min(8, close beyond level) +
    // (volume ratio ≥1.5 ? min(10, 5×(ratio−1)) : 0), clamped to [60, 90]. No session term (its SessionBonus row is zero).
    private const double BaseConfidence = 55.0;
    private const double SweepPerPip = 2.0;
    private const double SweepCap = 15.0;
    private const double WickFactor = 30.0;
    private const double WickCap = 12.0;
    private const double BeyondCap = 8.0;
    private const double VolumeSpikeRatio = 1.5;
    private const double VolumeFactor = 5.0;
    private const double VolumeCap = 10.0;
    private const double MinConfidence = 60.0;
    private const double MaxConfidence = 90.0;

    public PatternType Pattern => PatternType.LiquiditySweepReversal;

    public int MinimumCandles => Window;

    public PatternReading? Detect(ReadOnlySpan<Candle> closed, in DetectorContext context)
    {
        if (closed.Length < Window)
        {
            return null;
        }

        var window = closed[^Window..];
        var prior = window[..^1];
        var current = window[^1].Mid;
        var previous = window[^2].Mid;
        var pip = context.Spec.PipSize;
        if (current.Range < MinRangePips * pip)
        {
            return null;
        }

        // Swings come from the prior candles only, so the sweeping candle never defines its own level.
        var swingHigh = double.NegativeInfinity;
        var swingLow = double.PositiveInfinity;
        for (var i = SwingReach; i < prior.Length - SwingReach; i++)
        {
            if (IsSwingHigh(prior, i))
            {
                swingHigh = Math.Max(swingHigh, prior[i].Mid.High);
            }

            if (IsSwingLow(prior, i))
            {
                swingLow = Math.Min(swingLow, prior[i].Mid.Low);
            }
        }

        var sweepThreshold = SweepThresholdPips(context.Spec) * pip;
        var maxStop = MaxStopPipsFor(context.Spec) * pip;
        var bodyTop = Math.Max(current.Open, current.Close);
        var bodyBottom = Math.Min(current.Open, current.Close);

        Direction direction;
        double sweepPips, wickRatio, beyondPips, entry;
        if (!double.IsNegativeInfinity(swingHigh)
            && current.High - swingHigh >= sweepThreshold
            && current.Close < swingHigh
            && previous.Close > previous.Open
            && current.Close < current.Open
            && (current.High - bodyTop) / current.Range >= BearishWickRatio)
        {
            direction = Direction.Sell;
            sweepPips = (current.High - swingHigh) / pip;
            wickRatio = (current.High - bodyTop) / current.Range;
            beyondPips = (swingHigh - current.Close) / pip;
            entry = current.Close - (EntryOffsetPips * pip);
            if (current.High - entry > maxStop)
            {
                return null;
            }
        }
        else if (!double.IsPositiveInfinity(swingLow)
            && swingLow - current.Low >= sweepThreshold
            && current.Close > swingLow
            && previous.Close < previous.Open
            && current.Close > current.Open
            && (bodyBottom - current.Low) / current.Range >= BullishWickRatio)
        {
            direction = Direction.Buy;
            sweepPips = (swingLow - current.Low) / pip;
            wickRatio = (bodyBottom - current.Low) / current.Range;
            beyondPips = (current.Close - swingLow) / pip;
            entry = current.Close + (EntryOffsetPips * pip);
            if (entry - current.Low > maxStop)
            {
                return null;
            }
        }
        else
        {
            return null;
        }

        var volumeRatio = CandleMath.TickRatio(window, prior.Length);
        var components = new ConfidenceComponents(
            Base: BaseConfidence,
            Strength: Math.Min(SweepCap, SweepPerPip * sweepPips),
            Quality: Math.Min(WickCap, WickFactor * wickRatio) + Math.Min(BeyondCap, beyondPips),
            Volume: volumeRatio >= VolumeSpikeRatio ? Math.Min(VolumeCap, VolumeFactor * (volumeRatio - 1)) : 0,
            Session: SessionBonus.For(Pattern, context.Session));
        return new PatternReading(
            Pattern, direction, entry, Math.Clamp(components.Total, MinConfidence, MaxConfidence), components);
    }

    private static bool IsSwingHigh(ReadOnlySpan<Candle> candles, int i)
    {
        var high = candles[i].Mid.High;
        for (var k = i - SwingReach; k <= i + SwingReach; k++)
        {
            if (k != i && candles[k].Mid.High >= high)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsSwingLow(ReadOnlySpan<Candle> candles, int i)
    {
        var low = candles[i].Mid.Low;
        for (var k = i - SwingReach; k <= i + SwingReach; k++)
        {
            if (k != i && candles[k].Mid.Low <= low)
            {
                return false;
            }
        }

        return true;
    }

    private static double SweepThresholdPips(SymbolSpec spec) =>
        IsGold(spec) ? SweepPipsGold : string.Equals(spec.QuoteCurrency, "JPY", StringComparison.OrdinalIgnoreCase) ? SweepPipsJpy : SweepPips;

    private static double MaxStopPipsFor(SymbolSpec spec) =>
        IsGold(spec) ? MaxStopPipsGold
        : string.Equals(spec.Symbol, "GBPUSD", StringComparison.OrdinalIgnoreCase)
          || string.Equals(spec.Symbol, "USDJPY", StringComparison.OrdinalIgnoreCase) ? MaxStopPipsWide
        : MaxStopPips;

    private static bool IsGold(SymbolSpec spec) => string.Equals(spec.Symbol, "XAUUSD", StringComparison.OrdinalIgnoreCase);
}
