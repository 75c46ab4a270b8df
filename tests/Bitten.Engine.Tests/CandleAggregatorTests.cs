using Bitten.Domain.Market;
using Bitten.Engine.Market;
using Bitten.Testing;
using static Bitten.Engine.Tests.TestTicks;

namespace Bitten.Engine.Tests;

public class CandleAggregatorTests
{
    private readonly RecordingCandleSink _sink = new();
    private readonly CandleAggregator _candles;

    public CandleAggregatorTests()
    {
        _candles = new CandleAggregator(_sink, new MarketOptions { BarCloseGraceMilliseconds = 500 });
    }

    [Fact]
    public void ClosesM1M5AndM15EachAtItsOwnBoundary()
    {
        // One tick every minute from 12:00:30 to 12:16:30.
        for (var minute = 0; minute <= 16; minute++)
        {
            _candles.OnTick(Quote(1.1 + (minute * 1e-4), 1.1001 + (minute * 1e-4), At(12, minute, 30)));
        }

        Assert.Equal(Enumerable.Range(0, 16).Select(m => At(12, m)), _sink.Of(Timeframe.M1).Select(c => c.OpenTimeMs));
        Assert.Equal([At(12, 0), At(12, 5), At(12, 10)], _sink.Of(Timeframe.M5).Select(c => c.OpenTimeMs));
        Assert.Equal([At(12, 0)], _sink.Of(Timeframe.M15).Select(c => c.OpenTimeMs));
        Assert.Equal(16, _candles.ClosedM1);
        Assert.Equal(3, _candles.ClosedM5);
        Assert.Equal(1, _candles.ClosedM15);
        Assert.Equal(17, _candles.TicksApplied);
        Assert.All(_sink.Of(Timeframe.M5), c => Assert.Equal(5, c.TickCount));
        Assert.Equal(15, Assert.Single(_sink.Of(Timeframe.M15)).TickCount);
    }

    [Fact]
    public void PublishesBarsInCloseOrderWithM1BeforeLongerTimeframes()
    {
        _candles.OnTick(Quote(1.1, 1.1001, At(12, 4, 59)));
        _candles.OnTick(Quote(1.1, 1.1001, At(12, 5, 0)));

        Assert.Equal([Timeframe.M1, Timeframe.M5], _sink.Candles.Select(c => c.Timeframe));
    }

    [Fact]
    public void AggregatesM5FromTheSameTicksAsM1()
    {
        double[] bids = [1.1000, 1.1010, 1.0990, 1.1005, 1.1020, 1.0980, 1.1001, 1.1003, 1.0999, 1.1002];
        for (var i = 0; i < bids.Length; i++)
        {
            _candles.OnTick(Quote(bids[i], bids[i] + 0.0002, At(12, 0) + (i * 29_000)));
        }

        _candles.OnTick(Quote(1.1, 1.1002, At(12, 5)));

        var m5 = Assert.Single(_sink.Of(Timeframe.M5));
        Assert.Equal(new Ohlc(bids[0], bids.Max(), bids.Min(), bids[^1]), m5.Bid);
        Assert.Equal(new Ohlc(bids[0] + 0.0002, bids.Max() + 0.0002, bids.Min() + 0.0002, bids[^1] + 0.0002), m5.Ask);
        Assert.Equal(bids.Length, m5.TickCount);
        Assert.Equal(bids.Length, _sink.Of(Timeframe.M1).Sum(c => c.TickCount));
    }

    [Fact]
    public void NeverPublishesTheFormingBar()
    {
        _candles.OnTick(Quote(1.1, 1.1001, At(12, 0, 10)));
        _candles.OnTick(Quote(1.1, 1.1001, At(12, 0, 50)));
        _candles.OnClock(At(12, 0, 50));

        Assert.Empty(_sink.Candles);
        Assert.True(_candles.IsForming(EurUsd, Timeframe.M1));
        Assert.True(_candles.IsForming(EurUsd, Timeframe.M15));
        Assert.False(_candles.IsForming(GbpUsd, Timeframe.M1));
    }

    [Fact]
    public void ClosesByClockOnlyAfterTheBarEndPlusGraceOnTheFeedsTimeline()
    {
        // Event 12:00:30, arrived one second later on our clock.
        _candles.OnTick(Quote(1.1, 1.1001, At(12, 0, 30), receivedMs: At(12, 0, 31)));

        // Feed time = 12:00:30 + (now − 12:00:31): 12:01:00.499 is not yet end + grace.
        _candles.OnClock(At(12, 1, 1, 499));
        Assert.Empty(_sink.Candles);

        _candles.OnClock(At(12, 1, 1, 500));
        var closed = Assert.Single(_sink.Candles);
        Assert.Equal(Timeframe.M1, closed.Timeframe);
        Assert.Equal(At(12, 0), closed.OpenTimeMs);
        Assert.False(_candles.IsForming(EurUsd, Timeframe.M1));
        Assert.True(_candles.IsForming(EurUsd, Timeframe.M5));
    }

    [Fact]
    public void ClosesLongerTimeframesByClockAtTheirOwnEnds()
    {
        _candles.OnTick(Quote(1.1, 1.1001, At(12, 3)));

        _candles.OnClock(At(12, 5, 0, 499));
        Assert.Equal([Timeframe.M1], _sink.Candles.Select(c => c.Timeframe));
        _candles.OnClock(At(12, 5, 0, 500));
        Assert.Equal([Timeframe.M1, Timeframe.M5], _sink.Candles.Select(c => c.Timeframe));
        _candles.OnClock(At(12, 15, 0, 500));
        Assert.Equal([Timeframe.M1, Timeframe.M5, Timeframe.M15], _sink.Candles.Select(c => c.Timeframe));
        _candles.OnClock(At(13, 0));
        Assert.Equal(3, _sink.Candles.Count);
    }

    [Fact]
    public void ASkewedEaClockDoesNotLetOurClockCloseBarsEarly()
    {
        // The EA's clock runs an hour behind ours: its 11:00:30 tick arrives at our 12:00:30.
        _candles.OnTick(Quote(1.1, 1.1001, At(11, 0, 30), receivedMs: At(12, 0, 30)));

        _candles.OnClock(At(12, 0, 59));
        Assert.Empty(_sink.Candles);

        _candles.OnClock(At(12, 1, 1));
        Assert.Equal(At(11, 0), Assert.Single(_sink.Candles).OpenTimeMs);
    }

    [Fact]
    public void AFastReplayClosesBarsByTheFeedsOwnTicksNotByOurClock()
    {
        // Ticks an hour apart in event time, all received within the same second of our clock.
        _candles.OnTick(Quote(1.1, 1.1001, At(9, 0, 10), receivedMs: At(12, 0, 0, 100)));
        _candles.OnTick(Quote(1.1, 1.1001, At(10, 0, 10), receivedMs: At(12, 0, 0, 200)));
        _candles.OnClock(At(12, 0, 0, 300));

        Assert.Equal([At(9, 0)], _sink.Of(Timeframe.M1).Select(c => c.OpenTimeMs));
    }

    [Fact]
    public void CountsALateTickOnceAndLeavesEveryPublishedBarAsItWas()
    {
        _candles.OnTick(Quote(1.10, 1.1001, At(12, 4, 10)));
        _candles.OnTick(Quote(1.11, 1.1101, At(12, 15, 10))); // closes M1 12:04, M5 12:00, M15 12:00
        var published = _sink.Candles.ToArray();

        _candles.OnTick(Quote(5.0, 5.0001, At(12, 4, 50)));
        _candles.OnTick(Quote(1.12, 1.1201, At(12, 16)));

        Assert.Equal(1, _candles.LateTicks);
        Assert.Equal(3, _candles.TicksApplied); // the late tick is counted as late, not applied
        Assert.Equal(published, _sink.Candles.Take(published.Length));
        var m1 = _sink.Of(Timeframe.M1);
        Assert.Equal([At(12, 4), At(12, 15)], m1.Select(c => c.OpenTimeMs));
        Assert.Equal(new Ohlc(1.11, 1.11, 1.11, 1.11), m1[1].Bid);
        Assert.DoesNotContain(_sink.Candles, c => c.Bid.High >= 5.0);
    }

    [Fact]
    public void ATickLateForM1IsIgnoredByEveryTimeframe()
    {
        _candles.OnTick(Quote(1.10, 1.1001, At(12, 1, 10)));
        _candles.OnTick(Quote(1.11, 1.1101, At(12, 2, 10))); // closes M1 12:01
        _candles.OnTick(Quote(5.00, 5.0001, At(12, 1, 50))); // late for M1, same M5 bucket
        _candles.OnTick(Quote(1.12, 1.1201, At(12, 5, 10))); // closes M1 12:02 and M5 12:00

        var m1 = _sink.Of(Timeframe.M1);
        var m5 = Assert.Single(_sink.Of(Timeframe.M5));
        Assert.Equal(m1.Max(c => c.Bid.High), m5.Bid.High);
        Assert.Equal(m1.Sum(c => c.TickCount), m5.TickCount);
    }

    [Fact]
    public void NeverPublishesTwoBarsForTheSameMinute()
    {
        _candles.OnTick(Quote(1.10, 1.1001, At(12, 0, 30)));
        _candles.OnClock(At(12, 1, 0, 600));
        _candles.OnTick(Quote(1.11, 1.1101, At(12, 0, 59, 900), receivedMs: At(12, 1, 0, 700)));
        _candles.OnTick(Quote(1.12, 1.1201, At(12, 1, 10)));

        var m1 = _sink.Of(Timeframe.M1);
        Assert.Equal(m1.Count, m1.Select(c => c.OpenTimeMs).Distinct().Count());
        Assert.Equal(1, _candles.LateTicks);
    }

    [Fact]
    public void KeepsSymbolsIndependent()
    {
        _candles.OnTick(Quote(1.1, 1.1001, At(12, 0, 10), symbol: EurUsd));
        _candles.OnTick(Quote(1.3, 1.3001, At(12, 0, 20), symbol: GbpUsd));

        _candles.OnTick(Quote(1.1, 1.1001, At(12, 1, 10), symbol: EurUsd));

        var closed = Assert.Single(_sink.Candles);
        Assert.Equal(EurUsd, closed.Symbol);
        Assert.True(_candles.IsForming(GbpUsd, Timeframe.M1));
        Assert.Equal(new Ohlc(1.1, 1.1, 1.1, 1.1), closed.Bid);
    }

    [Fact]
    public void ClosesEachSymbolByItsOwnFeedClock()
    {
        // GBPUSD's EA is ten seconds behind EURUSD's.
        _candles.OnTick(Quote(1.1, 1.1001, At(12, 0, 50), receivedMs: At(12, 0, 50), symbol: EurUsd));
        _candles.OnTick(Quote(1.3, 1.3001, At(12, 0, 40), receivedMs: At(12, 0, 50), symbol: GbpUsd));

        _candles.OnClock(At(12, 1, 1));

        var closed = Assert.Single(_sink.Candles);
        Assert.Equal(EurUsd, closed.Symbol);
        _candles.OnClock(At(12, 1, 11));
        Assert.Equal([EurUsd, GbpUsd], _sink.Of(Timeframe.M1).Select(c => c.Symbol));
    }

    [Fact]
    public void GrowsForManySymbols()
    {
        for (var s = 0; s < 100; s++)
        {
            _candles.OnTick(Quote(1 + s, 1.0001 + s, At(12, 0, 10), symbol: new Bitten.Domain.Primitives.SymbolId(s)));
        }

        _candles.OnClock(At(12, 2));

        var m1 = _sink.Of(Timeframe.M1);
        Assert.Equal(100, m1.Count);
        Assert.All(m1, c => Assert.Equal(1 + c.Symbol.Value, c.Bid.Open));
    }

    [Fact]
    public void OnClockWithoutTicksPublishesNothing()
    {
        _candles.OnClock(At(12, 0));
        _candles.OnClock(long.MaxValue / 2);

        Assert.Empty(_sink.Candles);
    }

    [Fact]
    public void ClosesAtExactBoundariesByTheFollowingBucketsFirstTick()
    {
        _candles.OnTick(Quote(1.1, 1.1001, At(12, 14, 59, 999)));
        Assert.Empty(_sink.Candles);

        _candles.OnTick(Quote(1.2, 1.2001, At(12, 15)));

        Assert.Equal([(Timeframe.M1, At(12, 14)), (Timeframe.M5, At(12, 10)), (Timeframe.M15, At(12, 0))],
            _sink.Candles.Select(c => (c.Timeframe, c.OpenTimeMs)));
    }
}
