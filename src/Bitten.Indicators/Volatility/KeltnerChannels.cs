using System.Globalization;

namespace Bitten.Indicators.Volatility;

/// <summary>
/// Keltner Channels as LEAN computes them: a middle band averaging the typical price (H+L+C)/3 over n bars, and
/// bands k average true ranges away. Display name "KC(n,k)", or "KC(n,k,EMA,RMA)" naming the middle and ATR averages when not both simple; ready after n bars; <see cref="Indicator.Current"/> is
/// the middle band.
/// </summary>
/// <remarks>
/// LEAN's defaults, which its reference file (spy_with_keltner.csv) confirms, are a simple average for the middle
/// band and a simple (not Wilder) ATR; both can be changed, e.g. to the EMA middle and Wilder ATR that StockCharts uses.
/// Outputs are plain doubles for the reasons given on <see cref="BollingerBands"/>; all are 0 until ready.
/// </remarks>
public sealed class KeltnerChannels : BarIndicator
{
    private readonly ValueIndicator _middle;
    private readonly AverageTrueRange _atr;

    /// <summary>Channels over <paramref name="period"/> bars, <paramref name="k"/> ATRs wide.</summary>
    public KeltnerChannels(
        int period,
        double k,
        MovingAverageType middleSmoothing = MovingAverageType.Simple,
        MovingAverageType atrSmoothing = MovingAverageType.Simple)
        : base(NameFor(period, k, middleSmoothing, atrSmoothing), period)
    {
        if (!double.IsFinite(k) || k < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, "k must be a finite, non-negative number of ATRs");
        }

        K = k;
        _middle = middleSmoothing.Create(period);
        _atr = new AverageTrueRange(period, atrSmoothing);
    }

    /// <summary>Number of bars averaged.</summary>
    public int Period => WarmUpPeriod;

    /// <summary>Channel width in average true ranges.</summary>
    public double K { get; }

    /// <summary>Average of the typical price.</summary>
    public double Middle { get; private set; }

    /// <summary>Middle + k × ATR.</summary>
    public double Upper { get; private set; }

    /// <summary>Middle − k × ATR.</summary>
    public double Lower { get; private set; }

    /// <summary>The average true range the bands are built from.</summary>
    public double AverageTrueRange { get; private set; }

    /// <inheritdoc />
    protected override double ComputeNextValue(in Bar bar)
    {
        _atr.Update(bar);
        _middle.Update((bar.High + bar.Low + bar.Close) / 3);
        if (!_middle.IsReady || !_atr.IsReady)
        {
            return 0;
        }

        Middle = _middle.Current;
        AverageTrueRange = _atr.Current;
        Upper = Middle + (K * AverageTrueRange);
        Lower = Middle - (K * AverageTrueRange);
        return Middle;
    }

    /// <inheritdoc />
    protected override void OnReset()
    {
        _middle.Reset();
        _atr.Reset();
        Middle = 0;
        Upper = 0;
        Lower = 0;
        AverageTrueRange = 0;
    }

    private static string NameFor(int period, double k, MovingAverageType middle, MovingAverageType atr) =>
        middle == MovingAverageType.Simple && atr == MovingAverageType.Simple
            ? string.Create(CultureInfo.InvariantCulture, $"KC({period},{k})")
            : string.Create(CultureInfo.InvariantCulture, $"KC({period},{k},{middle.ShortName()},{atr.ShortName()})");
}
