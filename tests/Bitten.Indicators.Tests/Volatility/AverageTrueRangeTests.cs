using Bitten.Indicators.Tests.Support;
using Bitten.Indicators.Volatility;

namespace Bitten.Indicators.Tests.Volatility;

/// <summary>Wilder's ATR: seeded by the mean of the first n true ranges, the first being high − low.</summary>
public sealed class AverageTrueRangeTests : BarIndicatorTests<AverageTrueRange>
{
    protected override string ReferenceFile => "indicators/lean/spy_atr_wilder.txt";

    protected override string ExpectedName => "ATR(14)";

    protected override int ExpectedWarmUpPeriod => 14;

    // 5 decimals printed.
    protected override IReadOnlyList<ReferenceColumn<AverageTrueRange>> ReferenceColumns =>
    [
        new("Average True Range 14", atr => atr.Current, Tolerance.Abs(1e-5)),
    ];

    protected override AverageTrueRange CreateIndicator() => new(14);

    [Fact]
    public void MatchesStockChartsFourteenDayExample() =>
        AssertMatchesStockCharts("cs-atr.csv", 14);

    [Fact]
    public void MatchesStockChartsTenDayExample() =>
        AssertMatchesStockCharts("cs-atr2.csv", 10);

    [Fact]
    public void ExposesTheLatestTrueRange()
    {
        var atr = new AverageTrueRange(2);
        atr.Update(new Bar(0, 10, 11, 9, 10));
        atr.Update(new Bar(1, 14, 15, 14, 14.5));
        Assert.Equal(5, atr.TrueRange);
        Assert.Equal(3.5, atr.Current);
    }

    private void AssertMatchesStockCharts(string file, int period)
    {
        // StockCharts prints 0 rather than a blank while warming up; values carry 10 or more decimals.
        var table = ReferenceTable.Load("indicators/stockcharts/" + file).BlankWhere("ATR", (_, value) => value == 0);
        AssertMatches(() => new AverageTrueRange(period), table, [new("ATR", atr => atr.Current, Tolerance.Abs(1e-9))], period, 0);
    }
}
