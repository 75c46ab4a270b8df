using Bitten.Domain.Market;
using Bitten.Domain.Signals;

namespace Bitten.Engine.Signals.Patterns;

/// <summary>
/// KALMAN_QUICKFIRE (RAPID), reference §2.5: a scalar random-walk Kalman filter over the last 30 mid closes; when the
/// last close sits at least 1.2 residual standard deviations away from the filtered price, trade the reversion to it,
/// provided ATR(19) (from the shared <see cref="IndicatorSet"/>) is in the symbol's band and the candle's tick count is at least 0.8× the prior average.
/// </summary>
/// <remarks>
/// Components: Base = 68 (72 when ranging) + the 7-point ranging bonus; Strength = the z term (negative below |z| 2,
/// as the reference has it); Quality = filter accuracy + ATR centring in its band; Volume = tick-count term;
/// Session = the session bonus. The ATR band is in pips, so it scales with <c>SymbolSpec.PipSize</c>.
/// </remarks>
public sealed class KalmanQuickfire : IPatternDetector
{
    // Reference §2.5: "last 30 M5 closes".
    private const int Window = 30;

    // Reference §2.5: Q = 0.001, R = 0.1, x0 = first close, P0 = 1.
    private const double ProcessNoise = 0.001;
    private const double MeasurementNoise = 0.1;
    private const double InitialVariance = 1;

    // Reference §2.5: |z| ≥ 1.2 required.
    private const double MinAbsZ = 1.2;

    // Reference §2.5: ATR(19), simple mean of 19 true ranges, from the shared set.
    // Reference §2.5: ATR in pips within [5, 30]; XAUUSD [20, 150]; XAGUSD [10, 60].
    private const double FxAtrMinPips = 5;
    private const double FxAtrMaxPips = 30;
    private const double GoldAtrMinPips = 20;
    private const double GoldAtrMaxPips = 150;
    private const double SilverAtrMinPips = 10;
    private const double SilverAtrMaxPips = 60;

    // Reference §2.5: volume ratio ≥ 0.8. The average is over the 19 candles before the last (the ATR's span), since
    // the reference does not name one.
    private const double MinVolumeRatio = 0.8;
    private const int VolumeAverageBars = 19;

    // Reference §2.5: ranging if |ups − downs| over the last 9 moves ≤ 4.
    private const int TrendMoves = 9;
    private const int MaxRangingImbalance = 4;

    // Reference §2.5 confidence: 72 ranging | 68; +7 if ranging; min(15, 7.5 × (|z| − 2));
    // accuracy 10 × (1 − mean |last 5 residuals| / (2 × ATR)) in [0, 10]; min(8, 8 × (vol − 1));
    // max(0, 8 × (1 − |ATR − mid| / mid)) + the SessionBonus; clamp [68, 92].
    private const double RangingBase = 72;
    private const double TrendingBase = 68;
    private const double RangingBonus = 7;
    private const double ZCap = 15;
    private const double ZSlope = 7.5;
    private const double ZPivot = 2;
    private const int AccuracyResiduals = 5;
    private const double AccuracyScale = 10;
    private const double VolumeCap = 8;
    private const double VolumeSlope = 8;
    private const double AtrCentringScale = 8;
    private const double MinConfidence = 68;
    private const double MaxConfidence = 92;

    // Reference §2.5: entry = close ± 0.5 pip (a BUY above the close, a SELL below).
    private const double EntryOffsetPips = 0.5;

    public PatternType Pattern => PatternType.KalmanQuickfire;

    public int MinimumCandles => Window;

    public PatternReading? Detect(ReadOnlySpan<Candle> closed, in DetectorContext context)
    {
        if (closed.Length < Window)
        {
            return null;
        }

        var indicators = context.Indicators.Of(closed);
        if (!indicators.Has(IndicatorReadiness.Atr19))
        {
            return null;
        }

        var window = closed[^Window..];
        var pip = context.Spec.PipSize;
        var last = window[^1];

        var estimate = FilterAndResiduals(window, out var residualMean, out var residualStd, out var recentAbsResidual);
        if (!(residualStd > 0))
        {
            return null;
        }

        var z = (last.Mid.Close - estimate - residualMean) / residualStd;
        if (Math.Abs(z) < MinAbsZ)
        {
            return null;
        }

        var atr = indicators.Atr19;
        var atrPips = atr / pip;
        var (minAtr, maxAtr) = AtrBandPips(context.Spec.Symbol);
        if (atrPips < minAtr || atrPips > maxAtr)
        {
            return null;
        }

        var volumeRatio = CandleMath.TickRatio(window, VolumeAverageBars);
        if (volumeRatio < MinVolumeRatio)
        {
            return null;
        }

        var ranging = IsRanging(window);
        var direction = z > 0 ? Direction.Sell : Direction.Buy;

        var baseScore = ranging ? RangingBase + RangingBonus : TrendingBase;
        var strength = Math.Min(ZCap, ZSlope * (Math.Abs(z) - ZPivot));
        var accuracy = Math.Clamp(AccuracyScale * (1 - (recentAbsResidual / (2 * atr))), 0, AccuracyScale);
        var mid = (minAtr + maxAtr) / 2;
        var centring = Math.Max(0, AtrCentringScale * (1 - (Math.Abs(atrPips - mid) / mid)));
        var volume = Math.Min(VolumeCap, VolumeSlope * (volumeRatio - 1));
        var components = new ConfidenceComponents(baseScore, strength, accuracy + centring, volume, SessionBonus.For(Pattern, context.Session));

        var entry = last.Mid.Close + (direction.Sign() * EntryOffsetPips * pip);
        return new PatternReading(Pattern, direction, entry, Math.Clamp(components.Total, MinConfidence, MaxConfidence), components);
    }

    /// <summary>
    /// Runs the filter over every close (the first only seeds it: its residual is 0 by construction, so the residual
    /// statistics skip it) and returns the final estimate. Residual = close − prediction, the filter's innovation.
    /// </summary>
    private static double FilterAndResiduals(
        ReadOnlySpan<Candle> window, out double mean, out double std, out double recentAbsMean)
    {
        var estimate = window[0].Mid.Close;
        var variance = InitialVariance;
        double sum = 0, sumSquares = 0, recent = 0;
        for (var i = 0; i < window.Length; i++)
        {
            var close = window[i].Mid.Close;
            var prior = variance + ProcessNoise;
            var gain = prior / (prior + MeasurementNoise);
            var residual = close - estimate;
            estimate += gain * residual;
            variance = (1 - gain) * prior;
            if (i == 0)
            {
                continue;
            }

            sum += residual;
            sumSquares += residual * residual;
            if (i >= window.Length - AccuracyResiduals)
            {
                recent += Math.Abs(residual);
            }
        }

        var n = window.Length - 1;
        mean = sum / n;
        std = Math.Sqrt(Math.Max(0, (sumSquares / n) - (mean * mean)));
        recentAbsMean = recent / AccuracyResiduals;
        return estimate;
    }

    private static bool IsRanging(ReadOnlySpan<Candle> candles)
    {
        var balance = 0;
        for (var i = candles.Length - TrendMoves; i < candles.Length; i++)
        {
            var move = candles[i].Mid.Close - candles[i - 1].Mid.Close;
            balance += move > 0 ? 1 : move < 0 ? -1 : 0;
        }

        return Math.Abs(balance) <= MaxRangingImbalance;
    }

    private static (double Min, double Max) AtrBandPips(string symbol)
    {
        if (string.Equals(symbol, "XAUUSD", StringComparison.OrdinalIgnoreCase))
        {
            return (GoldAtrMinPips, GoldAtrMaxPips);
        }

        return string.Equals(symbol, "XAGUSD", StringComparison.OrdinalIgnoreCase)
            ? (SilverAtrMinPips, SilverAtrMaxPips)
            : (FxAtrMinPips, FxAtrMaxPips);
    }
}
