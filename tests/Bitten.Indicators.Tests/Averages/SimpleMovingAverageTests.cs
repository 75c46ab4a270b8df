using Bitten.Indicators.Averages;
using Bitten.Indicators.Tests.Support;

namespace Bitten.Indicators.Tests.Averages;

public sealed class SimpleMovingAverageTests : ValueIndicatorTests<SimpleMovingAverage>
{
    protected override string ReferenceFile => "indicators/lean/spy_with_indicators.txt";

    protected override string ExpectedName => "SMA(14)";

    protected override int ExpectedWarmUpPeriod => 14;

    // DJIA closes and the SMA are printed with 2 decimals on values near 14,000: 1e-6 relative is ~0.014, a few
    // units in the last printed place (the worst row is 0.0057 off).
    protected override IReadOnlyList<ReferenceColumn<SimpleMovingAverage>> ReferenceColumns =>
    [
        new("SMA14", sma => sma.Current, Tolerance.Rel(1e-6)),
    ];

    protected override SimpleMovingAverage CreateIndicator() => new(14);

    [Fact]
    public void MatchesTheTenBarAverageOfTheIntradayFile()
    {
        // spy_with_rma.csv was computed with history before its first row, so its first 9 rows are blanked here.
        // Its SMA5 and SMA15 headers are swapped (the "SMA5" column is the 15-bar average), so only SMA10 is used.
        var table = ReferenceTable.Load("indicators/lean/spy_with_rma.csv").BlankWhere("SMA10", (row, _) => row < 9);

        // 7 decimals printed.
        AssertMatches(() => new SimpleMovingAverage(10), table, [new("SMA10", sma => sma.Current, Tolerance.Abs(1e-6))], 10, 0);
    }

    [Fact]
    public void StaysExactOverMillionsOfUpdates()
    {
        const int Period = 7;
        var sma = new SimpleMovingAverage(Period);
        var recent = new double[Period];
        for (var i = 0; i < 3_000_000; i++)
        {
            var value = 1e6 * (i * 0.6180339887498949 % 1);
            sma.Update(value);
            recent[i % Period] = value;
        }

        // A running sum that is never rebuilt drifts to ~8e-7 off on this sequence; the rebuilt one stays within a
        // few ulps of a fresh sum.
        Assert.Equal(recent.Sum() / Period, sma.Current, 1e-8);
    }
}
