using Bitten.Domain.Market;
using Bitten.Domain.Primitives;
using Bitten.Engine.Kernel;
using Bitten.Engine.Market;
using Bitten.Testing;
using static Bitten.Engine.Tests.TestTicks;

namespace Bitten.Engine.Tests;

/// <summary>An EA's history bars on their way in: the clock rule, the forming bar they may not touch, the kernel's order.</summary>
public sealed class HistoryBarTests
{
    private static Candle Bar(long openMs, Timeframe timeframe = Timeframe.M5, SymbolId? symbol = null)
    {
        var ohlc = new Ohlc(1.1, 1.1002, 1.0998, 1.1001);
        return new Candle(symbol ?? EurUsd, timeframe, openMs, ohlc, ohlc, ohlc, 12);
    }

    [Fact]
    public void ABarThatHasNotClosedByOurClockIsRefusedAsFuture()
    {
        var validator = new TickValidator(new MarketOptions { MaxFutureSkewSeconds = 60 });
        var now = At(12, 3);

        Assert.Equal(RejectReason.None, validator.ValidateBar(Bar(At(11, 55)), now));
        Assert.Equal(RejectReason.None, validator.ValidateBar(Bar(At(11, 59), Timeframe.M1), now));
        // 12:00–12:05 ends two minutes after our clock, beyond the minute of skew.
        Assert.Equal(RejectReason.FutureTimestamp, validator.ValidateBar(Bar(At(12, 0)), now));
        Assert.Equal(RejectReason.None, validator.ValidateBar(Bar(At(12, 0)), At(12, 4)));
        Assert.Equal(RejectReason.FutureTimestamp, validator.ValidateBar(Bar(At(12, 0), Timeframe.H1), now));
    }

    [Fact]
    public void HistoryAtOrAfterTheBarTicksAreFormingIsDroppedAndOlderHistoryGoesOn()
    {
        var sink = new RecordingCandleSink();
        var candles = new CandleAggregator(sink, new MarketOptions());
        candles.OnTick(Quote(1.1, 1.1001, At(12, 7, 30)));

        candles.OnHistoryBar(Bar(At(12, 0)));
        candles.OnHistoryBar(Bar(At(12, 5))); // the M5 bar the tick is forming
        candles.OnHistoryBar(Bar(At(12, 10))); // later than it
        candles.OnHistoryBar(Bar(At(12, 6), Timeframe.M1)); // before the forming M1 bar (12:07)
        candles.OnHistoryBar(Bar(At(12, 7), Timeframe.M1));

        Assert.Equal([At(12, 0), At(12, 6)], sink.History.Select(b => b.OpenTimeMs));
        Assert.Equal(2, candles.HistoryBars);
        Assert.Equal(3, candles.HistoryBarsDropped);
        Assert.Empty(sink.Candles);
    }

    [Fact]
    public void WithoutTicksEveryHistoryBarGoesOn()
    {
        var sink = new RecordingCandleSink();
        var candles = new CandleAggregator(sink, new MarketOptions());

        candles.OnHistoryBar(Bar(At(12, 0), symbol: GbpUsd));
        candles.OnHistoryBar(Bar(At(11, 0), Timeframe.H1));

        Assert.Equal(2, sink.History.Count);
    }

    [Fact]
    public async Task TheKernelAppliesHistoryBarsInTheOrderTheyArePostedAmongTicks()
    {
        var clock = new ManualClock(DateTimeOffset.FromUnixTimeMilliseconds(At(12, 30)));
        await using var kernel = new TradingKernel(clock, new MarketOptions(), new KernelOptions());
        var sink = new RecordingCandleSink();
        kernel.Subscribe(sink);
        kernel.Start();

        kernel.PostHistoryBar(Bar(At(12, 0)));
        kernel.Post(Quote(1.1, 1.1001, At(12, 7, 30)));
        kernel.PostHistoryBar(Bar(At(12, 5))); // ticks are forming its slot by now
        kernel.PostHistoryBar(Bar(At(11, 55)));
        await kernel.FlushAsync();

        Assert.Equal([At(12, 0), At(11, 55)], sink.History.Select(b => b.OpenTimeMs));
        Assert.Equal(1, kernel.Candles.HistoryBarsDropped);
        Assert.Equal(0, kernel.Faults);
    }
}
