using System.Globalization;

namespace Bitten.Indicators.Momentum;

/// <summary>
/// Wilder's relative strength index, 100 − 100 / (1 + average gain / average loss), over the changes between
/// consecutive prices. Gains and losses are smoothed by Wilder's average (default) or any other
/// <see cref="MovingAverageType"/>. Display name "RSI(n)" for Wilder's, "RSI(n,SMA)" / "RSI(n,EMA)" otherwise; ready
/// after n + 1 prices (n changes).
/// </summary>
public sealed class RelativeStrengthIndex : ValueIndicator
{
    private readonly ValueIndicator _gain;
    private readonly ValueIndicator _loss;
    private double _previous;

    /// <summary>An RSI over <paramref name="period"/> changes smoothed by <paramref name="smoothing"/>.</summary>
    public RelativeStrengthIndex(int period, MovingAverageType smoothing = MovingAverageType.Wilders)
        : base(NameFor(period, smoothing), checked(period + 1))
    {
        Period = period;
        Smoothing = smoothing;
        _gain = smoothing.Create(period);
        _loss = smoothing.Create(period);
    }

    /// <summary>Number of price changes averaged.</summary>
    public int Period { get; }

    /// <summary>How gains and losses are averaged.</summary>
    public MovingAverageType Smoothing { get; }

    /// <summary>Average of the upward changes; 0 until ready.</summary>
    public double AverageGain => _gain.Current;

    /// <summary>Average of the downward changes, as a positive number; 0 until ready.</summary>
    public double AverageLoss => _loss.Current;

    /// <inheritdoc />
    protected override double ComputeNextValue(double value)
    {
        if (Samples > 1)
        {
            var change = value - _previous;
            _gain.Update(change > 0 ? change : 0);
            _loss.Update(change < 0 ? -change : 0);
        }

        _previous = value;
        var loss = _loss.Current;
        var gain = _gain.Current;
        if (loss == 0)
        {
            // LEAN reads no losses as 100; a window with no change at all is neither overbought nor oversold, so it
            // reads 50 here rather than firing an "overbought" on a frozen feed.
            return gain == 0 ? 50 : 100;
        }

        return 100 - (100 / (1 + (gain / loss)));
    }

    /// <inheritdoc />
    protected override void OnReset()
    {
        _gain.Reset();
        _loss.Reset();
        _previous = 0;
    }

    private static string NameFor(int period, MovingAverageType smoothing) => smoothing == MovingAverageType.Wilders
        ? string.Create(CultureInfo.InvariantCulture, $"RSI({period})")
        : string.Create(CultureInfo.InvariantCulture, $"RSI({period},{smoothing.ShortName()})");
}
