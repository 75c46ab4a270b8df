using System.Globalization;

namespace Bitten.Indicators.Volatility;

/// <summary>
/// Bollinger Bands: SMA(n) middle band, upper and lower bands k population standard deviations away. Display name
/// "BB(n,k)"; ready after n values; <see cref="Indicator.Current"/> is the middle band.
/// </summary>
/// <remarks>
/// Outputs are plain doubles rather than sub-indicators: they are all produced by the same update, share its
/// readiness, and a double costs nothing to read. All are 0 until ready.
/// </remarks>
public sealed class BollingerBands : ValueIndicator
{
    private readonly StandardDeviation _deviation;

    /// <summary>Bands over <paramref name="period"/> values, <paramref name="k"/> deviations wide.</summary>
    public BollingerBands(int period, double k)
        : base(string.Create(CultureInfo.InvariantCulture, $"BB({period},{k})"), period)
    {
        if (!double.IsFinite(k) || k < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, "k must be a finite, non-negative number of deviations");
        }

        K = k;
        _deviation = new StandardDeviation(period);
    }

    /// <summary>Number of values in the window.</summary>
    public int Period => _deviation.Period;

    /// <summary>Band width in standard deviations.</summary>
    public double K { get; }

    /// <summary>SMA of the window.</summary>
    public double Middle { get; private set; }

    /// <summary>Middle + k × standard deviation.</summary>
    public double Upper { get; private set; }

    /// <summary>Middle − k × standard deviation.</summary>
    public double Lower { get; private set; }

    /// <summary>Population standard deviation of the window.</summary>
    public double StandardDeviation { get; private set; }

    /// <summary>
    /// (Upper − Lower) / Middle as a fraction, as LEAN computes it; charting sites (and the LEAN and StockCharts
    /// reference files) print it ×100. 0 when the middle band is 0.
    /// </summary>
    public double BandWidth { get; private set; }

    /// <summary>
    /// %B, (price − Lower) / (Upper − Lower): 0 on the lower band, 1 on the upper. 0.5 when the bands collapse on a
    /// flat window, where the price sits on all three lines and "at the lower band" would be a false signal.
    /// </summary>
    public double PercentB { get; private set; }

    /// <inheritdoc />
    protected override double ComputeNextValue(double value)
    {
        _deviation.Update(value);
        if (!_deviation.IsReady)
        {
            return 0;
        }

        StandardDeviation = _deviation.Current;
        Middle = _deviation.Mean;
        Upper = Middle + (K * StandardDeviation);
        Lower = Middle - (K * StandardDeviation);
        var width = Upper - Lower;
        BandWidth = Middle == 0 ? 0 : width / Middle;
        PercentB = width == 0 ? 0.5 : (value - Lower) / width;
        return Middle;
    }

    /// <inheritdoc />
    protected override void OnReset()
    {
        _deviation.Reset();
        Middle = 0;
        Upper = 0;
        Lower = 0;
        StandardDeviation = 0;
        BandWidth = 0;
        PercentB = 0;
    }
}
