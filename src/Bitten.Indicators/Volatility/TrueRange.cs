namespace Bitten.Indicators.Volatility;

/// <summary>
/// Wilder's true range: the largest of high − low, |high − previous close| and |low − previous close|. The first
/// bar has no previous close, so its true range is high − low (LEAN, StockCharts). Display name "TR"; ready after
/// one bar.
/// </summary>
public sealed class TrueRange : BarIndicator
{
    private double _previousClose;

    /// <summary>A true range indicator.</summary>
    public TrueRange()
        : base("TR", 1)
    {
    }

    /// <inheritdoc />
    protected override double ComputeNextValue(in Bar bar)
    {
        var range = bar.High - bar.Low;
        if (Samples > 1)
        {
            range = Math.Max(range, Math.Max(Math.Abs(bar.High - _previousClose), Math.Abs(bar.Low - _previousClose)));
        }

        _previousClose = bar.Close;
        return range;
    }

    /// <inheritdoc />
    protected override void OnReset() => _previousClose = 0;
}
