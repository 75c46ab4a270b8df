using Bitten.Indicators.Tests.Support;
using Bitten.Indicators.Volatility;

namespace Bitten.Indicators.Tests.Volatility;

public sealed class BollingerBandsTests : ValueIndicatorTests<BollingerBands>
{
    protected override string ReferenceFile => "indicators/lean/spy_bollinger_bands.txt";

    protected override string ExpectedName => "BB(20,2)";

    protected override int ExpectedWarmUpPeriod => 20;

    // The file prints 4 decimals and derived BandWidth (×100) and %B from its already-rounded bands (recomputing
    // them from the printed bands lands within 5e-5), so those two carry the bands' rounding: 2e-4 and 1e-4. The
    // middle band, a mean of 2-decimal closes, is printed exactly.
    protected override IReadOnlyList<ReferenceColumn<BollingerBands>> ReferenceColumns =>
    [
        new("Moving Average 20", bb => bb.Middle, Tolerance.Rel(1e-12)),
        new("Moving Average 20", bb => bb.Current, Tolerance.Rel(1e-12)),
        new("Bollinger Bands® 20 2 Top", bb => bb.Upper, Tolerance.Abs(1e-4)),
        new("Bollinger Bands® 20 2 Bottom", bb => bb.Lower, Tolerance.Abs(1e-4)),
        new("BandWidth", bb => bb.BandWidth * 100, Tolerance.Abs(2e-4)),
        new("%B", bb => bb.PercentB, Tolerance.Abs(1e-4)),
    ];

    protected override BollingerBands CreateIndicator() => new(20, 2);

    [Fact]
    public void MatchesStockChartsWorkedExample()
    {
        // 6 decimals printed, every column computed at full precision.
        AssertMatches(
            CreateIndicator,
            ReferenceTable.Load("indicators/stockcharts/cs-bbands.csv"),
            [
                new("MiddleBand", bb => bb.Middle, Tolerance.Abs(1e-6)),
                new("20-day Standard Deviation", bb => bb.StandardDeviation, Tolerance.Abs(1e-6)),
                new("HighBand", bb => bb.Upper, Tolerance.Abs(1e-6)),
                new("LowBand", bb => bb.Lower, Tolerance.Abs(1e-6)),
                new("WidthBand", bb => bb.BandWidth * 100, Tolerance.Abs(1e-6)),
                new("PercentageBand", bb => bb.PercentB, Tolerance.Abs(1e-6)),
            ],
            20,
            0);
    }

    [Fact]
    public void PutsAFlatWindowInTheMiddleOfCollapsedBands()
    {
        var bb = new BollingerBands(3, 2);
        bb.Update(10);
        bb.Update(10);
        bb.Update(10);

        Assert.Equal(10, bb.Upper);
        Assert.Equal(10, bb.Lower);
        Assert.Equal(0, bb.BandWidth);
        Assert.Equal(0.5, bb.PercentB);
    }

    [Fact]
    public void NamesFractionalWidthsInvariantly() => Assert.Equal("BB(20,2.5)", new BollingerBands(20, 2.5).Name);
}
