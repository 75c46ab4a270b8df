using Bitten.Indicators.Averages;
using Bitten.Indicators.Tests.Support;

namespace Bitten.Indicators.Tests.Averages;

public sealed class ExponentialMovingAverageTests : ValueIndicatorTests<ExponentialMovingAverage>
{
    protected override string ReferenceFile => "indicators/lean/spy_ema.csv";

    protected override string ExpectedName => "EMA(14)";

    protected override int ExpectedWarmUpPeriod => 14;

    // Printed at full double precision (worst row 1.7e-13 off), so only summation-order noise is allowed.
    protected override IReadOnlyList<ReferenceColumn<ExponentialMovingAverage>> ReferenceColumns =>
    [
        new("EMA14", ema => ema.Current, Tolerance.Rel(1e-12)),
    ];

    protected override ExponentialMovingAverage CreateIndicator() => new(14);

    [Fact]
    public void MatchesTheDailyDowFile()
    {
        // 2 decimals on values near 14,000, as for the SMA column of the same file.
        AssertMatches(
            CreateIndicator,
            ReferenceTable.Load("indicators/lean/spy_with_indicators.txt"),
            [new("EMA14", ema => ema.Current, Tolerance.Rel(1e-6))],
            14,
            0);
    }

    [Fact]
    public void IsSeededByTheSimpleAverageOfItsFirstPeriod()
    {
        var ema = new ExponentialMovingAverage(3);
        ema.Update(1);
        ema.Update(2);
        ema.Update(6);
        Assert.Equal(3, ema.Current);

        // alpha = 2/(3+1) = 0.5
        ema.Update(5);
        Assert.Equal(4, ema.Current);
        Assert.Equal(0.5, ema.SmoothingFactor);
    }
}
