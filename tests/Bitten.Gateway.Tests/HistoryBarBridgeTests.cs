using System.Globalization;
using System.Text;
using Bitten.Domain.Market;
using Bitten.Domain.Primitives;
using Bitten.Engine.Market;
using Bitten.Gateway.Market;
using Bitten.Testing;
using Bitten.Zmq;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bitten.Gateway.Tests;

/// <summary>OHLC bars through the bridge: validated like ticks, M5 handed to the kernel in order, the rest counted.</summary>
public sealed class HistoryBarBridgeTests
{
    private const long FiveMinutes = 300_000;

    // A real XAUUSD M1 bar (OANDA, 2014-05-05 07:00), moved to our clock's recent past so it has closed.
    private static readonly ReferenceBar Gold = ReferenceBars.LoadLeanMinuteZip(SharedData.Path("bars/oanda-minute/xauusd/20140505_quote.zip"))
        .First(b => b.OpenTimeMs % 86_400_000 == 7 * 3_600_000);

    [Fact]
    public async Task AnM5BarReachesTheKernelBehindTheTicksBeforeItWithTheLastSpreadAdded()
    {
        var sink = new RecordingTickSink(3);
        await using var bridge = Start(sink);
        using var context = new ZmqContext();
        using var push = Connect(context, bridge);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var bar = UnixMs.Floor(now, FiveMinutes) - (10 * FiveMinutes);
        var ask = Gold.Ask!.Value.Close;
        push.Send(Tick("XAUUSD", Gold.Bid.Close, ask, now));
        push.Send(Bar("M5", bar));
        push.Send(Tick("XAUUSD", Gold.Bid.Close, ask, now + 1));

        await sink.Reached.WaitAsync(TimeSpan.FromSeconds(30));

        var history = Assert.Single(sink.Bars);
        Assert.Equal(Timeframe.M5, history.Timeframe);
        Assert.Equal(bar, history.OpenTimeMs);
        Assert.Equal(Gold.Bid, history.Bid);
        var spread = ask - Gold.Bid.Close;
        Assert.Equal(Gold.Bid.High + spread, history.Ask.High, 9);
        Assert.Equal(Gold.Bid.Low + (spread / 2), history.Mid.Low, 9);
        Assert.Equal(42, history.TickCount);
        // The tick before it was handed on before it: the first tick's batch went first.
        Assert.Single(sink.Ticks, t => t.EventTimeMs == now);
        Assert.Equal(1, bridge.Stats.Bars);
        Assert.Equal(0, bridge.Stats.TotalRejected);
    }

    [Fact]
    public async Task BeforeAnyTickABarHasNoSpread()
    {
        var sink = new RecordingTickSink(1);
        await using var bridge = Start(sink);
        using var context = new ZmqContext();
        using var push = Connect(context, bridge);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        push.Send(Bar("M5", UnixMs.Floor(now, FiveMinutes) - FiveMinutes));

        await sink.Reached.WaitAsync(TimeSpan.FromSeconds(30));

        var history = Assert.Single(sink.Bars);
        Assert.Equal(history.Bid, history.Ask);
        Assert.Equal(history.Bid, history.Mid);
    }

    [Fact]
    public async Task BarsOfOtherPeriodsAreRepublishedAndCountedButNotApplied()
    {
        var sink = new RecordingTickSink(1);
        await using var bridge = Start(sink);
        using var context = new ZmqContext();
        using var push = Connect(context, bridge);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        push.Send(Bar("M1", UnixMs.Floor(now, 60_000) - 60_000));
        push.Send(Bar("M15", UnixMs.Floor(now, 900_000) - 900_000));
        push.Send(Bar("H1", UnixMs.Floor(now, 3_600_000) - 3_600_000));
        push.Send(Tick("XAUUSD", Gold.Bid.Close, Gold.Ask!.Value.Close, now));

        await sink.Reached.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Empty(sink.Bars);
        Assert.Equal(3, bridge.Stats.Bars);
        Assert.Equal(3, bridge.Stats.BarsIgnored);
        Assert.Equal(4, bridge.Stats.Published);
    }

    [Fact]
    public async Task BadBarsAreRefusedWithTheirReasonAndTheBridgeGoesOn()
    {
        var sink = new RecordingTickSink(1);
        await using var bridge = Start(sink);
        using var context = new ZmqContext();
        using var push = Connect(context, bridge);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var open = UnixMs.Floor(now, FiveMinutes);
        push.Send(Bar("M5", open + (2 * FiveMinutes))); // ends ten minutes or more after our clock: not closed
        push.Send(Bar("M5", open - FiveMinutes + 60_000)); // not on an M5 boundary
        push.Send(Bar("W1", open - FiveMinutes)); // no such period
        push.Send(Encoding.UTF8.GetBytes(Json("M5", open - FiveMinutes, Gold.Bid with { High = Gold.Bid.Low / 2 })));
        push.Send(Encoding.UTF8.GetBytes(Json("M5", open - FiveMinutes, Gold.Bid with { Open = -1 })));
        push.Send(Tick("XAUUSD", Gold.Bid.Close, Gold.Ask!.Value.Close, now));

        await sink.Reached.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, bridge.Stats.Rejected(RejectReason.FutureTimestamp));
        Assert.Equal(1, bridge.Stats.Rejected(RejectReason.MisalignedBar));
        Assert.Equal(1, bridge.Stats.Rejected(RejectReason.UnknownTimeframe));
        Assert.Equal(1, bridge.Stats.Rejected(RejectReason.InconsistentBar));
        Assert.Equal(1, bridge.Stats.Rejected(RejectReason.NonPositivePrice));
        Assert.Empty(sink.Bars);
        Assert.Single(sink.Ticks);
    }

    private static MarketBridge Start(RecordingTickSink sink)
    {
        var bridge = new MarketBridge(new ZmqOptions { MarketInPort = 0, MarketOutPort = 0 }, new BridgeOptions(), new MarketOptions(), new SymbolRegistry(),
            sink, TimeProvider.System, NullLogger.Instance);
        bridge.Start();
        return bridge;
    }

    private static ZmqSocket Connect(ZmqContext context, MarketBridge bridge)
    {
        var push = context.CreateSocket(ZmqSocketType.Push);
        push.Connect($"tcp://127.0.0.1:{bridge.MarketInPort}");
        return push;
    }

    private static byte[] Tick(string symbol, double bid, double ask, long timeMs) => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
        $$"""{"type":"TICK","user_uuid":"ea-1","symbol":"{{symbol}}","bid":{{bid}},"ask":{{ask}},"timestamp":{{timeMs}}}"""));

    private static byte[] Bar(string timeframe, long openMs) => Encoding.UTF8.GetBytes(Json(timeframe, openMs, Gold.Bid));

    private static string Json(string timeframe, long openMs, Ohlc bid) => string.Create(CultureInfo.InvariantCulture,
        $$"""{"type":"OHLC","user_uuid":"ea-1","symbol":"XAUUSD","timeframe":"{{timeframe}}","time":{{openMs / 1000}},"open":{{bid.Open}},"high":{{bid.High}},"low":{{bid.Low}},"close":{{bid.Close}},"tick_volume":42}""");
}
