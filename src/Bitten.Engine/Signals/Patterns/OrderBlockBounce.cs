using Bitten.Domain.Market;
using Bitten.Domain.Signals;

namespace Bitten.Engine.Signals.Patterns;

/// <summary>
/// ORDER_BLOCK_BOUNCE (SNIPER): a high-volume candle that swept liquidity and was followed by a strong move away
/// (displacement) marks an order block; the just-closed candle dips back into it and closes in its upper half
/// (bullish) or lower half (bearish). A bullish block gives a BUY, a bearish one a SELL. Mid prices; volume is
/// tick count. The original's prior-sweep loop never ran and its volume rule compared zero volume against a
/// default of 1000; here both rules do what they were written for.
/// </summary>
public sealed class OrderBlockBounce : IPatternDetector
{
    // Reference §2.5 ORDER_BLOCK_BOUNCE: last 15 M5; the block is candle −3..−9 counted back from the current one.
    private const int Window = 15;
    private const int NearestBlock = 3;
    private const int FurthestBlock = 9;

    // Reference §2.5: displacement ≥8 pips within the three candles after the block (the current one excluded, so
    // the bounce never confirms its own block).
    private const int DisplacementCandles = 3;
    private const double MinDisplacementPips = 8.0;

    // Intent of the original's empty `range(0, -i)` loop: the block (or one of the two candles before it) took out
    // the extreme of the five candles before those. Lookbacks are ours; the reference gives none.
    private const int SweepCandles = 3;
    private const int SweepLookback = 5;

    // Reference §2.5 (HEAD): block tick count ≥2× the average of the candles before it.
    private const double MinBlockVolumeRatio = 2.0;

    // Reference §2.5: body ratio ≥0.4; entry close ±0.5 pip; stop at the block's far edge ±1 pip, at most 18 pips.
    private const double MinBodyRatio = 0.4;
    private const double EntryOffsetPips = 0.5;
    private const double StopBeyondEdgePips = 1.0;
    private const double MaxStopPips = 18.0;

    // Reference §2.5 confidence: (70 + min(15, 1.5×disp) + min(10, 5×(vol−1)) + max(0, 8 − pips from the block's
    // edge) + the SessionBonus) × 0.85 if the block was retested; clamp [70, 92].
    private const double BaseConfidence = 70.0;
    private const double DisplacementFactor = 1.5;
    private const double DisplacementCap = 15.0;
    private const double VolumeFactor = 5.0;
    private const double VolumeCap = 10.0;
    private const double EdgeBonus = 8.0;
    private const double RetestedMultiplier = 0.85;
    private const double MinConfidence = 70.0;
    private const double MaxConfidence = 92.0;

    public PatternType Pattern => PatternType.OrderBlockBounce;

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
        if (current.Range <= 0 || current.Body / current.Range < MinBodyRatio)
        {
            return null;
        }

        var pip = context.Spec.PipSize;

        // Nearest block first: the freshest structure is the one price is reacting to.
        for (var back = NearestBlock; back <= FurthestBlock; back++)
        {
            var ob = last - back;
            var block = window[ob].Mid;
            var bullish = block.Close > block.Open;
            var bearish = block.Close < block.Open;
            if (!bullish && !bearish)
            {
                continue;
            }

            var afterEnd = Math.Min(ob + DisplacementCandles, last - 1);
            double displacementPips;
            if (bullish)
            {
                var high = double.NegativeInfinity;
                for (var k = ob + 1; k <= afterEnd; k++)
                {
                    high = Math.Max(high, window[k].Mid.High);
                }

                displacementPips = (high - block.High) / pip;
            }
            else
            {
                var low = double.PositiveInfinity;
                for (var k = ob + 1; k <= afterEnd; k++)
                {
                    low = Math.Min(low, window[k].Mid.Low);
                }

                displacementPips = (block.Low - low) / pip;
            }

            if (displacementPips < MinDisplacementPips || !SweptBefore(window, ob, bullish))
            {
                continue;
            }

            var volumeRatio = VolumeRatio(window[..ob], window[ob].TickCount);
            if (volumeRatio < MinBlockVolumeRatio)
            {
                continue;
            }

            var mid = (block.High + block.Low) / 2;
            double entry, stop, edgePips;
            Direction direction;
            if (bullish)
            {
                if (current.Low > block.High || current.Low < block.Low || current.Close < mid)
                {
                    continue;
                }

                direction = Direction.Buy;
                entry = current.Close + (EntryOffsetPips * pip);
                stop = block.Low - (StopBeyondEdgePips * pip);
                edgePips = (block.High - current.Low) / pip;
            }
            else
            {
                if (current.High < block.Low || current.High > block.High || current.Close > mid)
                {
                    continue;
                }

                direction = Direction.Sell;
                entry = current.Close - (EntryOffsetPips * pip);
                stop = block.High + (StopBeyondEdgePips * pip);
                edgePips = (current.High - block.Low) / pip;
            }

            if (Math.Abs(entry - stop) > MaxStopPips * pip)
            {
                continue;
            }

            var touch = Retested(window, ob + DisplacementCandles + 1, last - 1, block, bullish) ? RetestedMultiplier : 1.0;

            // The multiplier scales every term, so the components still sum to the unclamped confidence.
            var components = new ConfidenceComponents(
                Base: BaseConfidence * touch,
                Strength: Math.Min(DisplacementCap, DisplacementFactor * displacementPips) * touch,
                Quality: Math.Max(0, EdgeBonus - edgePips) * touch,
                Volume: Math.Min(VolumeCap, VolumeFactor * (volumeRatio - 1)) * touch,
                Session: SessionBonus.For(Pattern, context.Session) * touch);
            return new PatternReading(
                Pattern, direction, entry, Math.Clamp(components.Total, MinConfidence, MaxConfidence), components);
        }

        return null;
    }

    /// <summary>The block or the candles just before it ran past the extreme of the candles before those.</summary>
    private static bool SweptBefore(ReadOnlySpan<Candle> window, int ob, bool bullish)
    {
        var sweepStart = ob - SweepCandles + 1;
        var lookStart = Math.Max(0, sweepStart - SweepLookback);
        if (sweepStart <= lookStart)
        {
            return false;
        }

        var swept = bullish ? double.PositiveInfinity : double.NegativeInfinity;
        for (var k = sweepStart; k <= ob; k++)
        {
            swept = bullish ? Math.Min(swept, window[k].Mid.Low) : Math.Max(swept, window[k].Mid.High);
        }

        var level = bullish ? double.PositiveInfinity : double.NegativeInfinity;
        for (var k = lookStart; k < sweepStart; k++)
        {
            level = bullish ? Math.Min(level, window[k].Mid.Low) : Math.Max(level, window[k].Mid.High);
        }

        return bullish ? swept < level : swept > level;
    }

    /// <summary>Price came back into the block between the displacement and the current candle.</summary>
    private static bool Retested(ReadOnlySpan<Candle> window, int from, int to, Ohlc block, bool bullish)
    {
        for (var k = from; k <= to; k++)
        {
            if (bullish ? window[k].Mid.Low <= block.High : window[k].Mid.High >= block.Low)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Block tick count over the average of the candles before it; 0 when there are none with ticks.</summary>
    private static double VolumeRatio(ReadOnlySpan<Candle> before, int blockTicks)
    {
        var sum = 0L;
        foreach (var candle in before)
        {
            sum += candle.TickCount;
        }

        return sum == 0 ? 0.0 : blockTicks / ((double)sum / before.Length);
    }
}
