using Bitten.Indicators.Tests.Support;
using Bitten.Indicators.Volatility;

namespace Bitten.Indicators.Tests.Volatility;

public sealed class TrueRangeTests : BarIndicatorTests<TrueRange>
{
    protected override string ReferenceFile => "indicators/lean/spy_tr.txt";

    protected override string ExpectedName => "TR";

    protected override int ExpectedWarmUpPeriod => 1;

    // The file leaves its first row blank although LEAN's TrueRange emits high − low there (StockCharts prints it:
    // see the cs-atr test below).
    protected override int ReferenceWarmUpSlack => 1;

    // Printed with float noise in the 14th decimal.
    protected override IReadOnlyList<ReferenceColumn<TrueRange>> ReferenceColumns =>
    [
        new("TR", tr => tr.Current, Tolerance.Abs(1e-9)),
    ];

    protected override TrueRange CreateIndicator() => new();

    [Fact]
    public void MatchesStockChartsIncludingTheFirstBar()
    {
        AssertMatches(
            CreateIndicator,
            ReferenceTable.Load("indicators/stockcharts/cs-atr.csv"),
            [new("TR", tr => tr.Current, Tolerance.Abs(1e-9))],
            1,
            0);
    }

    [Fact]
    public void TakesThePreviousCloseIntoAccountAcrossAGap()
    {
        var tr = new TrueRange();
        tr.Update(new Bar(0, 10, 11, 9, 10));
        Assert.Equal(2, tr.Current);

        tr.Update(new Bar(1, 14, 15, 14, 14.5));
        Assert.Equal(5, tr.Current);

        tr.Update(new Bar(2, 9, 10, 8, 9));
        Assert.Equal(6.5, tr.Current);
    }
}
