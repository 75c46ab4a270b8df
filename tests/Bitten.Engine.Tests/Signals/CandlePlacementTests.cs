using Bitten.Domain.Market;
using Bitten.Domain.Primitives;
using Bitten.Engine.Signals;

namespace Bitten.Engine.Tests.Signals;

/// <summary>How history bars and live closes share one look-back: open-time order, one candle per slot, ticks win.</summary>
public sealed class CandlePlacementTests
{
    private static readonly SymbolId Eur = new(0);

    /// <summary>An M5 bar at slot <paramref name="slot"/>; <paramref name="price"/> tells a history bar from a tick-built one.</summary>
    private static Candle Bar(int slot, double price = 1.1, int ticks = 1)
    {
        var ohlc = new Ohlc(price, price, price, price);
        return new Candle(Eur, Timeframe.M5, slot * 300_000L, ohlc, ohlc, ohlc, ticks);
    }

    private static long[] Slots(CandleHistory history) => [.. history.Of(Eur).ToArray().Select(c => c.OpenTimeMs / 300_000L)];

    [Fact]
    public void AHistoryBarFillsAGapInOrder()
    {
        var history = new CandleHistory(Timeframe.M5, capacity: 10);
        history.Add(Bar(1));
        history.Add(Bar(4));

        Assert.Equal(CandlePlacement.Inserted, history.Place(Bar(2), replace: false));
        Assert.Equal(CandlePlacement.Inserted, history.Place(Bar(0), replace: false));
        Assert.Equal(CandlePlacement.Inserted, history.Place(Bar(3), replace: false));

        Assert.Equal([0L, 1, 2, 3, 4], Slots(history));
    }

    [Fact]
    public void AHistoryBarNeverTakesTheSlotOfABarBuiltFromTicks()
    {
        var history = new CandleHistory(Timeframe.M5, capacity: 10);
        history.Add(Bar(1, price: 1.2, ticks: 90));
        history.Add(Bar(2, price: 1.2, ticks: 90));

        Assert.Equal(CandlePlacement.SlotTaken, history.Place(Bar(1, price: 1.3), replace: false));
        Assert.Equal(CandlePlacement.SlotTaken, history.Place(Bar(2, price: 1.3), replace: false));

        Assert.All(history.Of(Eur).ToArray(), c => Assert.Equal(1.2, c.Mid.Close));
    }

    [Fact]
    public void ABarBuiltFromTicksTakesTheSlotOfAHistoryBar()
    {
        var history = new CandleHistory(Timeframe.M5, capacity: 10);
        history.Place(Bar(1, price: 1.3), replace: false);
        history.Place(Bar(2, price: 1.3), replace: false);

        Assert.Equal(CandlePlacement.Replaced, history.Place(Bar(1, price: 1.2, ticks: 90), replace: true));

        var held = history.Of(Eur);
        Assert.Equal([1L, 2], Slots(history));
        Assert.Equal(1.2, held[0].Mid.Close);
        Assert.Equal(1.3, held[1].Mid.Close);
    }

    [Fact]
    public void AReplacedCandleStaysReplacedAfterTheRingWraps()
    {
        // The ring keeps each candle twice; a replacement must change both copies.
        var history = new CandleHistory(Timeframe.M5, capacity: 3);
        for (var slot = 0; slot < 5; slot++)
        {
            history.Place(Bar(slot, price: 1.3), replace: false);
        }

        history.Place(Bar(3, price: 1.2), replace: true);
        history.Add(Bar(5));
        history.Add(Bar(6));

        Assert.Equal([4L, 5, 6], Slots(history));
        history.Place(Bar(4, price: 1.2), replace: true);
        history.Add(Bar(7));
        Assert.Equal([5L, 6, 7], Slots(history));
        Assert.Equal(1.1, history.Of(Eur)[0].Mid.Close);
    }

    [Fact]
    public void AFullWindowDropsAHistoryBarOlderThanAllItHolds()
    {
        var history = new CandleHistory(Timeframe.M5, capacity: 3);
        history.Add(Bar(5));
        history.Add(Bar(6));
        history.Add(Bar(7));

        Assert.Equal(CandlePlacement.TooOld, history.Place(Bar(4), replace: false));
        Assert.Equal([5L, 6, 7], Slots(history));
    }

    [Fact]
    public void AFullWindowMakesRoomForAnInsideBarByDroppingItsOldest()
    {
        var history = new CandleHistory(Timeframe.M5, capacity: 3);
        history.Add(Bar(5));
        history.Add(Bar(7));
        history.Add(Bar(8));

        Assert.Equal(CandlePlacement.Inserted, history.Place(Bar(6), replace: false));

        Assert.Equal([6L, 7, 8], Slots(history));
        history.Add(Bar(9));
        Assert.Equal([7L, 8, 9], Slots(history));
    }

    [Fact]
    public void HistoryOfAnotherTimeframeIsNotPlaced()
    {
        var history = new CandleHistory(Timeframe.M5, capacity: 3);
        var m1 = new Candle(Eur, Timeframe.M1, 0, default, default, default, 1);

        Assert.Equal(CandlePlacement.OtherTimeframe, history.Place(m1, replace: false));
        Assert.True(history.Of(Eur).IsEmpty);
    }
}
