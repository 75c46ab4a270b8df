using Bitten.Engine.Signals.Citadel;
using static Bitten.Engine.Tests.Signals.Citadel.ZoneCandles;

namespace Bitten.Engine.Tests.Signals.Citadel;

public sealed class LiquidityZonesTests
{
    private const double Tolerance = 1.5 * Pip;

    private static LiquidityZone[] Find(IReadOnlyList<Bitten.Domain.Market.Candle> candles)
    {
        Span<LiquidityZone> zones = stackalloc LiquidityZone[16];
        var found = LiquidityZones.Find(candles.ToArray(), Tolerance, zones);
        return zones[..found].ToArray();
    }

    [Fact]
    public void FindsSwingsAndCountsTheirRevisitsAsTouches()
    {
        var zones = Find(RevisitedHigh());

        Assert.Equal(2, zones.Length);
        var resistance = zones[0];
        Assert.Equal(ZoneSide.Resistance, resistance.Side);
        Assert.Equal(Price(20), resistance.Level, 10);
        Assert.Equal(2, resistance.SwingIndex);
        // The revisit at +19.5 is a touch of the same zone, not a zone of its own.
        Assert.Equal(2, resistance.Touches);
        Assert.Equal(ZoneState.Intact, resistance.State);
        Assert.Equal(-1, resistance.EventIndex);

        var support = zones[1];
        Assert.Equal(ZoneSide.Support, support.Side);
        Assert.Equal(Price(-8), support.Level, 10);
        Assert.Equal(1, support.Touches);
    }

    [Fact]
    public void ASwingIsOnlyKnownOnceTheCandlesAfterItHaveClosed()
    {
        var candles = RevisitedHigh();
        // Candle 2 is a swing only after candles 3 and 4 have closed.
        Assert.DoesNotContain(Find(candles[..4]), z => z.SwingIndex == 2);
        Assert.Contains(Find(candles[..5]), z => z.SwingIndex == 2);
    }

    [Fact]
    public void AWickThroughAndACloseBackInsideIsASweep()
    {
        var candles = RevisitedHigh();
        candles.Add(Bar(11, 23, 5, 15));

        var resistance = Find(candles)[0];

        Assert.Equal(ZoneState.Swept, resistance.State);
        Assert.Equal(11, resistance.EventIndex);
    }

    [Fact]
    public void ACloseBeyondTheLevelBreaksIt()
    {
        var candles = RevisitedHigh();
        candles.Add(Bar(11, 25, 5, 23));

        var resistance = Find(candles)[0];

        Assert.Equal(ZoneState.Broken, resistance.State);
        Assert.Equal(11, resistance.EventIndex);
    }

    [Fact]
    public void AWickWithinTheToleranceIsATouchNotASweep()
    {
        var candles = RevisitedHigh();
        candles.Add(Bar(11, 21.4, 5, 15));

        var resistance = Find(candles)[0];

        Assert.Equal(ZoneState.Intact, resistance.State);
        Assert.Equal(3, resistance.Touches);
    }

    [Fact]
    public void SupportMirrorsResistance()
    {
        var candles = RevisitedHigh();
        candles.Add(Bar(11, 9, -10, 2));

        var support = Find(candles)[1];

        Assert.Equal(ZoneSide.Support, support.Side);
        Assert.Equal(ZoneState.Swept, support.State);
        Assert.Equal(11, support.EventIndex);
    }

    [Fact]
    public void FlatCandlesHaveNoZonesAndACapacityIsRespected()
    {
        Assert.Empty(Find(Flat(30)));
        Span<LiquidityZone> one = stackalloc LiquidityZone[1];
        Assert.Equal(1, LiquidityZones.Find(RevisitedHigh().ToArray(), Tolerance, one));
    }
}
