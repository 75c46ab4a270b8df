using Bitten.Indicators.Averages;
using Bitten.Indicators.Tests.Support;

namespace Bitten.Indicators.Tests.Averages;

/// <summary>
/// No reference file prints Wilder's average of prices, but LEAN's Wilder ATR is exactly RMA(14) of the true range:
/// the true ranges are computed here, independently of the library, and fed in.
/// </summary>
public sealed class WilderMovingAverageTests : ValueIndicatorTests<WilderMovingAverage>
{
    protected override string ReferenceFile => "indicators/lean/spy_atr_wilder.txt";

    protected override string ExpectedName => "RMA(14)";

    protected override int ExpectedWarmUpPeriod => 14;

    protected override string InputColumn => "TR";

    // 5 decimals printed.
    protected override IReadOnlyList<ReferenceColumn<WilderMovingAverage>> ReferenceColumns =>
    [
        new("Average True Range 14", rma => rma.Current, Tolerance.Abs(1e-5)),
    ];

    protected override WilderMovingAverage CreateIndicator() => new(14);

    protected override ReferenceTable LoadReference()
    {
        var table = ReferenceTable.Load(ReferenceFile);
        var high = table.Column("High");
        var low = table.Column("Low");
        var close = table.Column("Close");
        var trueRange = new double[table.RowCount];
        trueRange[0] = high[0] - low[0];
        for (var i = 1; i < trueRange.Length; i++)
        {
            trueRange[i] = new[] { high[i] - low[i], Math.Abs(high[i] - close[i - 1]), Math.Abs(low[i] - close[i - 1]) }.Max();
        }

        return table.WithColumn("TR", trueRange);
    }

    [Fact]
    public void SmoothsWithOneOverItsPeriodAfterASimpleSeed()
    {
        var rma = new WilderMovingAverage(4);
        foreach (var value in new double[] { 2, 4, 6, 8 })
        {
            rma.Update(value);
        }

        Assert.Equal(5, rma.Current);

        // 5 + (13 − 5)/4
        rma.Update(13);
        Assert.Equal(7, rma.Current);
        Assert.Equal(0.25, rma.SmoothingFactor);
    }
}
