using Bitten.Domain.Market;
using Bitten.Domain.Primitives;
using Bitten.Engine.Signals;

namespace Bitten.Engine.Tests.Signals;

public sealed class CandleHistoryTests
{
    private static readonly SymbolId Eur = new(0);
    private static readonly SymbolId Gold = new(3);

    private static Candle Bar(SymbolId symbol, int minute, Timeframe timeframe = Timeframe.M5)
    {
        var price = 1.0 + (minute / 1000.0);
        var ohlc = new Ohlc(price, price, price, price);
        return new Candle(symbol, timeframe, minute * 60_000L, ohlc, ohlc, ohlc, 1);
    }

    [Fact]
    public void KeepsTheLastCandlesOldestFirstAcrossManyWraps()
    {
        var history = new CandleHistory(Timeframe.M5, capacity: 4);
        for (var i = 1; i <= 11; i++)
        {
            Assert.True(history.Add(Bar(Eur, i * 5)));
            var span = history.Of(Eur);
            Assert.Equal(Math.Min(i, 4), span.Length);
            for (var k = 0; k < span.Length; k++)
            {
                // The newest is last; each is one bar after the one before it.
                Assert.Equal((i - span.Length + 1 + k) * 5 * 60_000L, span[k].OpenTimeMs);
            }
        }
    }

    [Fact]
    public void KeepsSymbolsApartAndIgnoresOtherTimeframes()
    {
        var history = new CandleHistory(Timeframe.M5, capacity: 10);
        history.Add(Bar(Eur, 5));
        history.Add(Bar(Gold, 10));
        Assert.False(history.Add(Bar(Eur, 1, Timeframe.M1)));
        Assert.Equal(5 * 60_000L, history.Of(Eur).ToArray().Single().OpenTimeMs);
        Assert.Equal(10 * 60_000L, history.Of(Gold).ToArray().Single().OpenTimeMs);
        Assert.True(history.Of(new SymbolId(1)).IsEmpty);
        Assert.True(history.Of(new SymbolId(99)).IsEmpty);
    }

    [Fact]
    public void AddsWithoutAllocatingOnceASymbolIsKnown()
    {
        var history = new CandleHistory(Timeframe.M5, capacity: 300);
        history.Add(Bar(Eur, 0));
        var bars = Enumerable.Range(1, 10_000).Select(i => Bar(Eur, i * 5)).ToArray();
        // The first pass compiles the loop and what it calls; the JIT (on-stack replacement under load) can allocate on
        // this thread then, which is not the steady state the test is about.
        var warm = Feed(history, bars.AsSpan(0, 5_000));
        var before = GC.GetAllocatedBytesForCurrentThread();
        var sum = Feed(history, bars.AsSpan(5_000));

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(sum > 0 && warm > 0);
    }

    private static double Feed(CandleHistory history, ReadOnlySpan<Candle> bars)
    {
        double sum = 0;
        foreach (ref readonly var bar in bars)
        {
            history.Add(in bar);
            sum += history.Of(Eur)[^1].Mid.Close;
        }

        return sum;
    }
}

public sealed class TradingSessionTests
{
    [Theory]
    [InlineData(0, TradingSession.Asian)]
    [InlineData(6, TradingSession.Asian)]
    [InlineData(7, TradingSession.London)]
    [InlineData(11, TradingSession.London)]
    [InlineData(12, TradingSession.Overlap)]
    [InlineData(15, TradingSession.Overlap)]
    [InlineData(16, TradingSession.NewYork)]
    [InlineData(20, TradingSession.NewYork)]
    [InlineData(21, TradingSession.Late)]
    [InlineData(23, TradingSession.Late)]
    public void NamesTheSessionOfAUtcHour(int hour, TradingSession expected)
    {
        var day = new DateTimeOffset(2014, 5, 5, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        Assert.Equal(expected, TradingSessions.At(day + (hour * 3_600_000L) + 59 * 60_000));
        Assert.Equal(expected, TradingSessions.At(day + (hour * 3_600_000L)));
    }

    [Fact]
    public void EverySessionHasADistinctWireName()
    {
        var names = Enum.GetValues<TradingSession>().Select(s => s.WireName()).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
    }
}
