namespace Bitten.Indicators.Averages;

/// <summary>
/// Exponential smoothing seeded by the simple mean of the first <c>period</c> values, shared by EMA and Wilder's
/// RMA, which differ only in alpha. Seeding with the first value instead would bias every output for ~3n updates.
/// </summary>
internal struct SeededSmoothing(int period, double alpha)
{
    private double _sum;
    private int _count;

    public readonly int Period => period;

    public double Value { get; private set; }

    public double Next(double value)
    {
        if (_count < period)
        {
            _sum += value;
            _count++;
            Value = _sum / _count;
            return Value;
        }

        // Written as LEAN writes it so the reference files agree to the last bits.
        Value = (value * alpha) + (Value * (1 - alpha));
        return Value;
    }
}
