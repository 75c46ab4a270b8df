using System.Globalization;

namespace Bitten.Indicators.Averages;

/// <summary>
/// Wilder's moving average (RMA, SMMA) with alpha = 1/n, seeded by the SMA of the first n values: the smoothing
/// inside Wilder's ATR and RSI. Display name "RMA(n)"; ready after n values.
/// </summary>
public sealed class WilderMovingAverage : ValueIndicator
{
    private SeededSmoothing _smoothing;

    /// <summary>An RMA over <paramref name="period"/> values.</summary>
    public WilderMovingAverage(int period)
        : base(string.Create(CultureInfo.InvariantCulture, $"RMA({period})"), period)
    {
        _smoothing = new SeededSmoothing(period, 1.0 / period);
    }

    /// <summary>Number of values the seed averages.</summary>
    public int Period => _smoothing.Period;

    /// <summary>Weight of the newest value, 1/n.</summary>
    public double SmoothingFactor => 1.0 / Period;

    /// <inheritdoc />
    protected override double ComputeNextValue(double value) => _smoothing.Next(value);

    /// <inheritdoc />
    protected override void OnReset() => _smoothing = new SeededSmoothing(Period, SmoothingFactor);
}
