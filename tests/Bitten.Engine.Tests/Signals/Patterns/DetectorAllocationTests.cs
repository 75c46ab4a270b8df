using Bitten.Engine.Signals.Patterns;

namespace Bitten.Engine.Tests.Signals.Patterns;

/// <summary>
/// Every detector reads a thousand real candle prefixes without allocating. Run with the other allocation tests, alone:
/// the count is per thread, and under a parallel run another test's continuation run inline here was charged to it
/// (968 bytes once, in CI).
/// </summary>
[Collection(AllocationCollection.Name)]
public sealed class DetectorAllocationTests
{
    [Fact]
    public void TheRapidDetectorsAllocateNothing()
    {
        Assert.Equal(0, RapidCandles.AllocatedOverThousandPrefixes(new KalmanQuickfire()));
        Assert.Equal(0, RapidCandles.AllocatedOverThousandPrefixes(new BbScalp()));
        Assert.Equal(0, RapidCandles.AllocatedOverThousandPrefixes(new VcbBreakout()));
    }

    [Fact]
    public void TheSniperDetectorsAllocateNothing()
    {
        Assert.Equal(0, SniperCandles.AllocatedOverThousandPrefixes(new LiquiditySweepReversal()));
        Assert.Equal(0, SniperCandles.AllocatedOverThousandPrefixes(new OrderBlockBounce()));
        Assert.Equal(0, SniperCandles.AllocatedOverThousandPrefixes(new FairValueGapFill()));
    }
}
