using Bitten.Domain.Market;
using Bitten.Domain.Signals;

namespace Bitten.Engine.Signals.Patterns;

/// <summary>
/// BB_SCALP (RAPID), reference §2.5, on mid prices and the shared <see cref="IndicatorSet"/>. Mean reversion: a SELL
/// when the last candle's high reaches the upper Bollinger band (20, 2σ population) with RSI(14) ≥ 65 and an upper wick ≥ 60% of its range (a BUY mirrors it);
/// failing that, a squeeze breakout: the previous window was squeezed (band width &lt; 2.5 × ATR(19)) and the last
/// close leaves the bands with tick count ≥ 1.3× the prior 20-bar average. Neither trades against the 50-SMA trend,
/// which here really gets its 50 bars.
/// </summary>
/// <remarks>
/// Components (mean reversion): Base 72; Strength = RSI excess term; Quality = band penetration + wick + squeeze
/// intensity; Volume 0; Session bonus. (Breakout, whose confidence the reference never reached): Base 70; Strength =
/// close beyond the band; Quality = squeeze intensity; Volume = tick-count surge. Both clamp to [70, 92].
/// Intensity, which the reference leaves vague ("vs historical widths"), is defined as 1 − width / (2.5 × ATR): how
/// deep inside the squeeze threshold the band sits, 0 when not squeezed.
/// </remarks>
public sealed class BbScalp : IPatternDetector
{
    // Reference §2.5: BB(20, 2σ) population deviation, ATR(19) as a simple mean of 19 true ranges, RSI(14) by simple
    // averages and the 50-SMA trend filter, all read from the shared set; the bands and ATR also of the bar before.
    private const IndicatorReadiness Needs =
        IndicatorReadiness.Bands | IndicatorReadiness.Atr19 | IndicatorReadiness.Rsi14 | IndicatorReadiness.Sma50;

    private const IndicatorReadiness NeedsBefore = IndicatorReadiness.Bands | IndicatorReadiness.Atr19;

    // Reference §2.5: squeeze = BB width < 2.5 × ATR.
    private const double SqueezeAtrMultiple = 2.5;

    // Ours (the reference names the filter, not its rule): trending when the close is more than one ATR from the
    // 50-SMA; a trend vetoes trades against it.
    private const double TrendAtrMultiple = 1;

    // Reference §2.5: RSI ≥ 65 / ≤ 35; wick ≥ 60% of the range.
    private const double OverboughtRsi = 65;
    private const double OversoldRsi = 35;
    private const double MinWickRatio = 0.6;

    // Reference §2.5: breakout needs volume ≥ 1.3× average; the average spans the 20 bars before the last (ours).
    private const double BreakoutVolumeRatio = 1.3;
    private const int VolumeAverageBars = 20;

    // Reference §2.5 MR confidence: 72 + min(10, 0.67 × RSI excess) + min(8, 2 × penetration pips)
    // + min(8, 20 × (wick − 0.4)) + 10 × intensity + the SessionBonus; clamp [70, 92].
    private const double ReversionBase = 72;
    private const double RsiCap = 10;
    private const double RsiSlope = 0.67;
    private const double PenetrationCap = 8;
    private const double PenetrationSlope = 2;
    private const double WickCap = 8;
    private const double WickSlope = 20;
    private const double WickPivot = 0.4;
    private const double IntensityScale = 10;
    private const double MinConfidence = 70;
    private const double MaxConfidence = 92;

    // Ours, in the reference's style, since its breakout branch never ran: 70 + min(8, 2 × pips beyond the band)
    // + 10 × intensity + min(10, 10 × (volume ratio − 1.3)).
    private const double BreakoutBase = 70;
    private const double BreakoutCap = 8;
    private const double BreakoutSlope = 2;
    private const double SurgeCap = 10;
    private const double SurgeSlope = 10;

    public PatternType Pattern => PatternType.BbScalp;

    // The 50-SMA needs 50 closes; the tick average fits inside them.
    public int MinimumCandles => 50;

    public PatternReading? Detect(ReadOnlySpan<Candle> closed, in DetectorContext context)
    {
        if (closed.Length < MinimumCandles)
        {
            return null;
        }

        var now = context.Indicators.Of(closed);
        var before = context.Indicators.Of(closed, 1);
        if (!now.Has(Needs) || !before.Has(NeedsBefore))
        {
            return null;
        }

        var pip = context.Spec.PipSize;
        var last = closed[^1].Mid;
        var upper = now.BandUpper;
        var lower = now.BandLower;
        var atr = now.Atr19;
        var intensity = Intensity(now.BandWidth, atr);
        var distance = last.Close - now.Sma50;
        var trend = distance > TrendAtrMultiple * atr ? 1 : distance < -TrendAtrMultiple * atr ? -1 : 0;
        var session = SessionBonus.For(Pattern, context.Session);

        var range = last.Range;
        if (range > 0)
        {
            var rsi = now.Rsi14;
            var upperWick = (last.High - Math.Max(last.Open, last.Close)) / range;
            var lowerWick = (Math.Min(last.Open, last.Close) - last.Low) / range;
            if (trend <= 0 && last.High >= upper && rsi >= OverboughtRsi && upperWick >= MinWickRatio)
            {
                return Reversion(Direction.Sell, last.Close, rsi - OverboughtRsi, (last.High - upper) / pip, upperWick, intensity, session);
            }

            if (trend >= 0 && last.Low <= lower && rsi <= OversoldRsi && lowerWick >= MinWickRatio)
            {
                return Reversion(Direction.Buy, last.Close, OversoldRsi - rsi, (lower - last.Low) / pip, lowerWick, intensity, session);
            }
        }

        // The squeeze must already hold on the bar before the breakout candle, which itself widens the bands.
        var priorIntensity = Intensity(before.BandWidth, before.Atr19);
        var surge = CandleMath.TickRatio(closed, VolumeAverageBars);
        if (priorIntensity <= 0 || surge < BreakoutVolumeRatio)
        {
            return null;
        }

        if (trend >= 0 && last.Close > upper)
        {
            return Breakout(Direction.Buy, last.Close, (last.Close - upper) / pip, priorIntensity, surge, session);
        }

        if (trend <= 0 && last.Close < lower)
        {
            return Breakout(Direction.Sell, last.Close, (lower - last.Close) / pip, priorIntensity, surge, session);
        }

        return null;
    }

    private PatternReading Reversion(
        Direction direction, double close, double rsiExcess, double penetrationPips, double wick, double intensity, double session)
    {
        var quality = Math.Min(PenetrationCap, PenetrationSlope * penetrationPips)
            + Math.Min(WickCap, WickSlope * (wick - WickPivot))
            + (IntensityScale * intensity);
        var components = new ConfidenceComponents(ReversionBase, Math.Min(RsiCap, RsiSlope * rsiExcess), quality, 0, session);
        return new PatternReading(Pattern, direction, close, Math.Clamp(components.Total, MinConfidence, MaxConfidence), components);
    }

    private PatternReading Breakout(
        Direction direction, double close, double beyondPips, double intensity, double surge, double session)
    {
        var components = new ConfidenceComponents(
            BreakoutBase,
            Math.Min(BreakoutCap, BreakoutSlope * beyondPips),
            IntensityScale * intensity,
            Math.Min(SurgeCap, SurgeSlope * (surge - BreakoutVolumeRatio)),
            session);
        return new PatternReading(Pattern, direction, close, Math.Clamp(components.Total, MinConfidence, MaxConfidence), components);
    }

    /// <summary>0 unless squeezed; otherwise how far below the squeeze threshold the width is, in (0, 1].</summary>
    private static double Intensity(double width, double atr)
    {
        var threshold = SqueezeAtrMultiple * atr;
        return threshold > 0 && width < threshold ? 1 - (width / threshold) : 0;
    }
}
