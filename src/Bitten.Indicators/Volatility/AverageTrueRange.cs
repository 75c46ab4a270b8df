using System.Globalization;

namespace Bitten.Indicators.Volatility;

/// <summary>
/// Average true range: the <see cref="Volatility.TrueRange"/> smoothed over n bars, by Wilder's average (default,
/// seeded by the mean of the first n true ranges, the first being high − low) or by any other
/// <see cref="MovingAverageType"/>. Display name "ATR(n)" for Wilder's, "ATR(n,SMA)" / "ATR(n,EMA)" otherwise;
/// ready after n bars.
/// </summary>
public sealed class AverageTrueRange : BarIndicator
{
    private readonly TrueRange _trueRange = new();
    private readonly ValueIndicator _smoother;

    /// <summary>An ATR over <paramref name="period"/> bars smoothed by <paramref name="smoothing"/>.</summary>
    public AverageTrueRange(int period, MovingAverageType smoothing = MovingAverageType.Wilders)
        : base(NameFor(period, smoothing), period)
    {
        Smoothing = smoothing;
        _smoother = smoothing.Create(period);
    }

    /// <summary>Number of true ranges averaged.</summary>
    public int Period => WarmUpPeriod;

    /// <summary>How the true ranges are averaged.</summary>
    public MovingAverageType Smoothing { get; }

    /// <summary>The latest bar's true range (available from the first bar).</summary>
    public double TrueRange => _trueRange.Current;

    /// <inheritdoc />
    protected override double ComputeNextValue(in Bar bar)
    {
        _trueRange.Update(bar);
        _smoother.Update(_trueRange.Current);
        return _smoother.Current;
    }

    /// <inheritdoc />
    protected override void OnReset()
    {
        _trueRange.Reset();
        _smoother.Reset();
    }

    private static string NameFor(int period, MovingAverageType smoothing) => smoothing == MovingAverageType.Wilders
        ? string.Create(CultureInfo.InvariantCulture, $"ATR({period})")
        : string.Create(CultureInfo.InvariantCulture, $"ATR({period},{smoothing.ShortName()})");
}
