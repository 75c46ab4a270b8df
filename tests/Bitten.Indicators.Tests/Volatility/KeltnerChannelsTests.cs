using Bitten.Indicators.Tests.Support;
using Bitten.Indicators.Volatility;

namespace Bitten.Indicators.Tests.Volatility;

public sealed class KeltnerChannelsTests : BarIndicatorTests<KeltnerChannels>
{
    protected override string ReferenceFile => "indicators/lean/spy_with_keltner.csv";

    protected override string ExpectedName => "KC(20,1.5)";

    protected override int ExpectedWarmUpPeriod => 20;

    // 4 decimals printed, worst row 6.4e-5 off (the file's prices carry a few more decimals than shown).
    protected override IReadOnlyList<ReferenceColumn<KeltnerChannels>> ReferenceColumns =>
    [
        new("Middle Band", kc => kc.Middle, Tolerance.Abs(1e-4)),
        new("Middle Band", kc => kc.Current, Tolerance.Abs(1e-4)),
        new("Keltner Channels 20 Top", kc => kc.Upper, Tolerance.Abs(1e-4)),
        new("Keltner Channels 20 Bottom", kc => kc.Lower, Tolerance.Abs(1e-4)),
    ];

    protected override KeltnerChannels CreateIndicator() => new(20, 1.5);

    [Fact]
    public void ReproducesLeanOnlyWithASimpleMiddleAndASimpleAtr()
    {
        // Pins the finding behind the defaults: LEAN's file is an SMA of the typical price ± 1.5 simple ATR(20).
        // Either textbook alternative misses it by far more than its printed precision.
        Assert.True(WorstBandError(new KeltnerChannels(20, 1.5, MovingAverageType.Simple, MovingAverageType.Wilders)) > 0.1);
        Assert.True(WorstBandError(new KeltnerChannels(20, 1.5, MovingAverageType.Exponential, MovingAverageType.Simple)) > 0.1);
        Assert.True(WorstBandError(CreateIndicator()) < 1e-4);
    }

    [Fact]
    public void NamesNonDefaultAverages() =>
        Assert.Equal("KC(20,2,EMA,RMA)", new KeltnerChannels(20, 2, MovingAverageType.Exponential, MovingAverageType.Wilders).Name);

    [Fact]
    public void ExposesTheAtrItIsBuiltFrom()
    {
        var kc = new KeltnerChannels(2, 2);
        kc.Update(new Bar(0, 10, 11, 9, 10));
        kc.Update(new Bar(1, 14, 15, 14, 14.5));

        // typical prices 10 and 14.5; true ranges 2 and 5
        Assert.Equal(12.25, kc.Middle);
        Assert.Equal(3.5, kc.AverageTrueRange);
        Assert.Equal(19.25, kc.Upper);
        Assert.Equal(5.25, kc.Lower);
    }

    private double WorstBandError(KeltnerChannels kc)
    {
        var worst = 0.0;
        for (var row = 0; row < Reference.RowCount; row++)
        {
            Update(kc, Reference, row);
            var top = Reference.Value("Keltner Channels 20 Top", row);
            if (kc.IsReady && !double.IsNaN(top))
            {
                worst = Math.Max(worst, Math.Abs(kc.Upper - top));
                worst = Math.Max(worst, Math.Abs(kc.Lower - Reference.Value("Keltner Channels 20 Bottom", row)));
            }
        }

        return worst;
    }
}
