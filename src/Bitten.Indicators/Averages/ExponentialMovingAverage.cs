using System.Globalization;

namespace Bitten.Indicators.Averages;

/// <summary>
/// Exponential moving average with alpha = 2/(n+1), seeded by the SMA of the first n values. Display name
/// "EMA(n)"; ready after n values.
/// </summary>
public sealed class ExponentialMovingAverage : ValueIndicator
{
    private SeededSmoothing _smoothing;

    /// <summary>An EMA over <paramref name="period"/> values.</summary>
    public ExponentialMovingAverage(int period)
        : base(string.Create(CultureInfo.InvariantCulture, $"EMA({period})"), period)
    {
        _smoothing = new SeededSmoothing(period, SmoothingFactorFor(period));
    }

    /// <summary>Number of values the seed averages.</summary>
    public int Period => _smoothing.Period;

    /// <summary>Weight of the newest value, 2/(n+1).</summary>
    public double SmoothingFactor => SmoothingFactorFor(Period);

    /// <inheritdoc />
    protected override double ComputeNextValue(double value) => _smoothing.Next(value);

    /// <inheritdoc />
    protected override void OnReset() => _smoothing = new SeededSmoothing(Period, SmoothingFactor);

    private static double SmoothingFactorFor(int period) => 2.0 / (period + 1);
}
