using Bitten.Domain.Market;
using Bitten.Domain.Signals;

namespace Bitten.Engine.Signals.Patterns;

/// <summary>
/// VCB_BREAKOUT (RAPID), reference §2.5, on mid prices and the shared <see cref="IndicatorSet"/>: a
/// volatility-contraction breakout. On the candle before the last (the squeeze bar), Bollinger (20, 2σ population)
/// must sit inside Keltner (EMA20 ± 1.5 × ATR(19)) with width
/// &lt; 0.8× Keltner's and &lt; 0.7× the average band width of the windows ending 5..9 bars earlier; the band must
/// have contracted in stages (width 5 bars back &lt; 0.8× width 10 back &lt; 0.8× width 15 back — the reference had
/// these inverted); tick volume must have dried up (last 9 bars &lt; 0.8× the 10 before). The last candle then closes
/// 2 pips beyond the outer of the two channels with tick count ≥ 1.3× the 10-bar average.
/// </summary>
/// <remarks>
/// The reference never reached its confidence (undefined <c>squeeze_duration</c>), so the formula is ours, in its
/// style: Base 70; Strength = min(10, 2 × pips beyond the channel); Quality = min(10, 20 × intensity) +
/// min(6, 0.5 × squeeze duration); Volume = min(8, 8 × (ratio − 1.3)); Session = the SessionBonus; clamp [70, 92].
/// Squeeze duration = consecutive bars, ending at the squeeze bar, on which Bollinger was inside 0.8× Keltner (capped).
/// </remarks>
public sealed class VcbBreakout : IPatternDetector
{
    // Reference §2.5: BB(20, 2σ population); Keltner EMA20 ± 1.5 × ATR of 19 true ranges. The EMA is the library's,
    // seeded by the SMA of its first 20 closes and running since; the reference seeded it afresh with the first close of
    // each 20-close window.
    private const double KeltnerAtrMultiple = 1.5;
    private const IndicatorReadiness NeedsAtSqueeze = IndicatorReadiness.Bands | IndicatorReadiness.Atr19 | IndicatorReadiness.Ema20;

    // Reference §2.5: squeeze = BB width < 0.8 × KC width and < 0.7 × mean BB width of windows shifted 5..9.
    private const double SqueezeKeltnerRatio = 0.8;
    private const double SqueezeHistoryRatio = 0.7;
    private const int HistoryFirstShift = 5;
    private const int HistoryLastShift = 9;

    // Reference §2.5: intensity = 1 − BB/KC ≥ 0.05.
    private const double MinIntensity = 0.05;

    // Reference §2.5 (intent, not the inverted test): widths of windows ending 5, 10, 15 bars back each < 80% of the
    // older one.
    private const int StageSpacing = 5;
    private const double StageRatio = 0.8;

    // Reference §2.5: last 9 bars' volume < 0.8 × the prior 10; breakout volume ≥ 1.3 × average of 10.
    private const int QuietBars = 9;
    private const int QuietBaselineBars = 10;
    private const double QuietRatio = 0.8;
    private const int BreakoutAverageBars = 10;
    private const double BreakoutVolumeRatio = 1.3;

    // Reference §2.5: breakout close beyond max/min(BB, KC) by 2 pips.
    private const double BreakoutPips = 2;

    // The squeeze bar is the candle before the last.
    private const int SqueezeAgo = 1;

    // Ours: squeeze duration is counted back at most this far, so it never reads past the declared minimum history.
    private const int MaxSqueezeDuration = 12;

    // Ours (see remarks): the confidence terms.
    private const double BaseScore = 70;
    private const double StrengthCap = 10;
    private const double StrengthSlope = 2;
    private const double IntensityCap = 10;
    private const double IntensitySlope = 20;
    private const double DurationCap = 6;
    private const double DurationSlope = 0.5;
    private const double VolumeCap = 8;
    private const double VolumeSlope = 8;
    private const double MinConfidence = 70;
    private const double MaxConfidence = 92;

    public PatternType Pattern => PatternType.VcbBreakout;

    // The squeeze bar is second to last; its oldest stage window ends 15 bars before it and spans 20 closes.
    public int MinimumCandles => 1 + (3 * StageSpacing) + 20;

    public PatternReading? Detect(ReadOnlySpan<Candle> closed, in DetectorContext context)
    {
        if (closed.Length < MinimumCandles)
        {
            return null;
        }

        // Values are read by bars back from the last candle: the squeeze bar is 1 back, its oldest stage 16.
        var indicators = context.Indicators;
        var squeeze = indicators.Of(closed, SqueezeAgo);
        if (!squeeze.Has(NeedsAtSqueeze) || !indicators.Ago(SqueezeAgo + (3 * StageSpacing)).Has(IndicatorReadiness.Bands)
            || !indicators.Ago(SqueezeAgo + MaxSqueezeDuration - 1).Has(IndicatorReadiness.Atr19))
        {
            return null;
        }

        var squeezeBar = closed.Length - 1 - SqueezeAgo;
        var width = squeeze.BandWidth;
        var keltnerHalf = KeltnerAtrMultiple * squeeze.Atr19;
        if (!(keltnerHalf > 0) || width >= SqueezeKeltnerRatio * 2 * keltnerHalf)
        {
            return null;
        }

        double history = 0;
        for (var shift = HistoryFirstShift; shift <= HistoryLastShift; shift++)
        {
            history += indicators.Ago(SqueezeAgo + shift).BandWidth;
        }

        if (width >= SqueezeHistoryRatio * history / (HistoryLastShift - HistoryFirstShift + 1))
        {
            return null;
        }

        var intensity = 1 - (width / (2 * keltnerHalf));
        if (intensity < MinIntensity)
        {
            return null;
        }

        var stage1 = indicators.Ago(SqueezeAgo + StageSpacing).BandWidth;
        var stage2 = indicators.Ago(SqueezeAgo + (2 * StageSpacing)).BandWidth;
        var stage3 = indicators.Ago(SqueezeAgo + (3 * StageSpacing)).BandWidth;
        if (stage1 >= StageRatio * stage2 || stage2 >= StageRatio * stage3)
        {
            return null;
        }

        var quiet = MeanTicks(closed, squeezeBar - QuietBars + 1, QuietBars);
        var baseline = MeanTicks(closed, squeezeBar - QuietBars - QuietBaselineBars + 1, QuietBaselineBars);
        if (!(quiet < QuietRatio * baseline))
        {
            return null;
        }

        var average = MeanTicks(closed, squeezeBar - BreakoutAverageBars + 1, BreakoutAverageBars);
        var surge = average > 0 ? closed[^1].TickCount / average : 0;
        if (surge < BreakoutVolumeRatio)
        {
            return null;
        }

        var pip = context.Spec.PipSize;
        var top = Math.Max(squeeze.BandUpper, squeeze.Ema20 + keltnerHalf);
        var bottom = Math.Min(squeeze.BandLower, squeeze.Ema20 - keltnerHalf);
        var close = closed[^1].Mid.Close;
        Direction direction;
        double beyond;
        if (close > top + (BreakoutPips * pip))
        {
            direction = Direction.Buy;
            beyond = close - top;
        }
        else if (close < bottom - (BreakoutPips * pip))
        {
            direction = Direction.Sell;
            beyond = bottom - close;
        }
        else
        {
            return null;
        }

        var duration = SqueezeDuration(indicators);
        var components = new ConfidenceComponents(
            BaseScore,
            Math.Min(StrengthCap, StrengthSlope * beyond / pip),
            Math.Min(IntensityCap, IntensitySlope * intensity) + Math.Min(DurationCap, DurationSlope * duration),
            Math.Min(VolumeCap, VolumeSlope * (surge - BreakoutVolumeRatio)),
            SessionBonus.For(Pattern, context.Session));
        return new PatternReading(Pattern, direction, close, Math.Clamp(components.Total, MinConfidence, MaxConfidence), components);
    }

    /// <summary>Bars, ending at the squeeze bar, on which Bollinger width stayed under 0.8× Keltner's.</summary>
    private static int SqueezeDuration(IndicatorSet indicators)
    {
        var bars = 0;
        while (bars < MaxSqueezeDuration
            && indicators.Ago(SqueezeAgo + bars) is var values
            && values.BandWidth < SqueezeKeltnerRatio * 2 * KeltnerAtrMultiple * values.Atr19)
        {
            bars++;
        }

        return bars;
    }

    private static double MeanTicks(ReadOnlySpan<Candle> candles, int start, int count)
    {
        long sum = 0;
        for (var i = start; i < start + count; i++)
        {
            sum += candles[i].TickCount;
        }

        return (double)sum / count;
    }
}
