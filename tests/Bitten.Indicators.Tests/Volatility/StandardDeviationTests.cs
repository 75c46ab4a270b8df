using Bitten.Indicators.Tests.Support;
using Bitten.Indicators.Volatility;

namespace Bitten.Indicators.Tests.Volatility;

public sealed class StandardDeviationTests : ValueIndicatorTests<StandardDeviation>
{
    // LEAN's population variance over 10 closes, printed with float noise in the 10th decimal.
    protected override string ReferenceFile => "indicators/lean/spy_var.txt";

    protected override string ExpectedName => "STD(10)";

    protected override int ExpectedWarmUpPeriod => 10;

    protected override IReadOnlyList<ReferenceColumn<StandardDeviation>> ReferenceColumns =>
    [
        new("Var", std => std.Variance, Tolerance.Abs(1e-9)),
        new("Var", std => std.Current * std.Current, Tolerance.Abs(1e-9)),
    ];

    protected override StandardDeviation CreateIndicator() => new(10);

    [Fact]
    public void MatchesStockChartsTwentyDayDeviation()
    {
        // 6 decimals printed.
        AssertMatches(
            () => new StandardDeviation(20),
            ReferenceTable.Load("indicators/stockcharts/cs-bbands.csv"),
            [
                new("20-day Standard Deviation", std => std.Current, Tolerance.Abs(1e-6)),
                new("MiddleBand", std => std.Mean, Tolerance.Abs(1e-6)),
            ],
            20,
            0);
    }

    [Fact]
    public void KeepsItsDigitsOnLargePricesWithTinyMoves()
    {
        // Running sums of x and x² would cancel almost every digit here (x² ≈ 1e18, variance ≈ 1e-6).
        const double High = 1e9 + 0.001;
        const double Low = 1e9 - 0.001;
        var std = new StandardDeviation(4);
        foreach (var value in new[] { High, Low, High, Low })
        {
            std.Update(value);
        }

        // Half the gap between the two doubles (about 0.001; 1e9 has an ulp of 1.2e-7), exactly subtracted.
        Assert.Equal((High - Low) / 2, std.Current, 1e-15);
    }
}
