using Bitten.Indicators.Momentum;
using Bitten.Indicators.Tests.Support;

namespace Bitten.Indicators.Tests.Momentum;

/// <summary>Wilder's RSI: gains and losses smoothed by RMA(14), ready after 15 prices.</summary>
public sealed class RelativeStrengthIndexTests : ValueIndicatorTests<RelativeStrengthIndex>
{
    protected override string ReferenceFile => "indicators/lean/spy_with_indicators.txt";

    protected override string ExpectedName => "RSI(14)";

    protected override int ExpectedWarmUpPeriod => 15;

    // 5 decimals printed.
    protected override IReadOnlyList<ReferenceColumn<RelativeStrengthIndex>> ReferenceColumns =>
    [
        new("RSI 14 Wilder", rsi => rsi.Current, Tolerance.Abs(1e-5)),
    ];

    protected override RelativeStrengthIndex CreateIndicator() => new(14);

    [Fact]
    public void ReadsFiftyWhenNothingMoves()
    {
        var rsi = new RelativeStrengthIndex(3);
        for (var i = 0; i < 6; i++)
        {
            rsi.Update(42);
        }

        Assert.True(rsi.IsReady);
        Assert.Equal(50, rsi.Current);
    }

    [Fact]
    public void ReadsHundredWhenPricesOnlyRise()
    {
        var rsi = new RelativeStrengthIndex(3);
        for (var i = 0; i < 6; i++)
        {
            rsi.Update(42 + i);
        }

        Assert.Equal(100, rsi.Current);
        Assert.Equal(0, rsi.AverageLoss);
        Assert.Equal(1, rsi.AverageGain);
    }

    [Fact]
    public void ExposesItsAveragesAfterWarmUp()
    {
        var rsi = new RelativeStrengthIndex(2);
        rsi.Update(10);
        rsi.Update(12);
        Assert.False(rsi.IsReady);
        Assert.Equal(0, rsi.AverageGain);

        // changes +2 and −1: gain 1, loss 0.5, RS 2, RSI 100 − 100/3
        rsi.Update(11);
        Assert.Equal(1, rsi.AverageGain);
        Assert.Equal(0.5, rsi.AverageLoss);
        Assert.Equal(100 - (100 / 3.0), rsi.Current, 1e-12);
    }
}
