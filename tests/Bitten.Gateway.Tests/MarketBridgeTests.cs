using System.Globalization;
using System.Text;
using System.Text.Json;
using Bitten.Domain.Primitives;
using Bitten.Engine.Market;
using Bitten.Gateway.Market;
using Bitten.Simulation.Replay;
using Bitten.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bitten.Gateway.Tests;

/// <summary>The bridge against pyzmq as a foreign EA and a foreign subscriber, with real ticks and bad frames.</summary>
public sealed class MarketBridgeTests
{
    // The foreign EA: PUSHes the frames it is given, in order (multipart ones as several parts); a SUB on the
    // bridge's output collects everything until the sentinel tick and prints what it received as JSON.
    private const string ForeignEa = """
        import base64, json, sys, zmq
        plan = json.load(open(sys.argv[3]))
        ctx = zmq.Context()
        sub = ctx.socket(zmq.SUB); sub.setsockopt(zmq.SUBSCRIBE, b""); sub.setsockopt(zmq.RCVHWM, 0); sub.connect(sys.argv[2])
        push = ctx.socket(zmq.PUSH); push.connect(sys.argv[1])
        sync = base64.b64decode(plan["sync"])
        poller = zmq.Poller(); poller.register(sub, zmq.POLLIN)
        for attempt in range(200):
            push.send(sync)
            if poller.poll(50):
                break
        else:
            sys.exit("bridge never delivered the sync tick")
        while poller.poll(300):
            sub.recv()
        for frame in plan["frames"]:
            parts = [base64.b64decode(p) for p in frame]
            push.send_multipart(parts)
        sentinel = base64.b64decode(plan["sentinel"])
        push.send(sentinel)
        received = []
        while True:
            if not poller.poll(10000):
                sys.exit("timed out waiting for the sentinel; received %d" % len(received))
            msg = sub.recv()
            if msg == sentinel:
                break
            received.append(base64.b64encode(msg).decode())
        print(json.dumps({"received": received, "syncs": attempt + 1}))
        """;

    [Fact]
    public async Task ForeignEaTicksArriveIdenticalAndInOrderWhileBadFramesOnlyMoveRejectCounters()
    {
        var real = new TickFile(SharedData.Path("ticks/oanda-fx/eurusd/20140505_quote.zip"), "EURUSD", TickFileFormat.LeanZip,
            new DateOnly(2014, 5, 5), TimeSpan.Zero).Load().Take(600).ToArray();
        var valid = real.Select(SeedTick).ToList();
        var bad = BadFrames(real[0]);
        var frames = new List<byte[][]>();
        var expectedRejects = new Dictionary<RejectReason, int>();
        for (var i = 0; i < valid.Count; i++)
        {
            frames.Add([valid[i]]);
            if (i % 20 == 10)
            {
                var (reason, parts) = bad[(i / 20) % bad.Count];
                frames.Add(parts);
                expectedRejects[reason] = expectedRejects.GetValueOrDefault(reason) + 1;
            }
        }

        Assert.True(expectedRejects.Count == bad.Count, "every kind of bad frame is sent at least once");
        var sentinel = SeedTick(real[^1] with { TimeMs = real[^1].TimeMs + 1000 });
        var sync = SeedTick(real[0]);
        var plan = Path.GetTempFileName();
        await File.WriteAllTextAsync(plan, JsonSerializer.Serialize(new
        {
            sync = Convert.ToBase64String(sync),
            sentinel = Convert.ToBase64String(sentinel),
            frames = frames.Select(f => f.Select(Convert.ToBase64String).ToArray()),
        }));

        var sink = new RecordingTickSink(int.MaxValue);
        var zmq = new ZmqOptions { MarketInPort = 0, MarketOutPort = 0 };
        await using var bridge = new MarketBridge(zmq, new BridgeOptions(), new MarketOptions(), new SymbolRegistry(), sink,
            TimeProvider.System, NullLogger.Instance);
        bridge.Start();

        var output = await PyZmq.RunAsync(ForeignEa, TimeSpan.FromSeconds(60),
            zmq.ConnectEndpoint(bridge.MarketInPort), zmq.ConnectEndpoint(bridge.MarketOutPort), plan);
        File.Delete(plan);
        using var result = JsonDocument.Parse(output);
        var received = result.RootElement.GetProperty("received").EnumerateArray().Select(e => Convert.FromBase64String(e.GetString()!)).ToList();
        var syncs = result.RootElement.GetProperty("syncs").GetInt32();

        Assert.Equal(valid.Count, received.Count);
        for (var i = 0; i < valid.Count; i++)
        {
            Assert.True(valid[i].AsSpan().SequenceEqual(received[i]), $"frame {i} differs: {Encoding.UTF8.GetString(received[i])}");
        }

        foreach (var reason in Enum.GetValues<RejectReason>().Where(r => r != RejectReason.None))
        {
            Assert.True(expectedRejects.GetValueOrDefault(reason) == bridge.Stats.Rejected(reason), $"{reason.Code()}: expected {expectedRejects.GetValueOrDefault(reason)}, counted {bridge.Stats.Rejected(reason)}");
        }

        Assert.Equal(syncs + valid.Count + 1 + expectedRejects.Values.Sum(), bridge.Stats.Received);
        Assert.Equal(syncs + valid.Count + 1, bridge.Stats.Published);

        // The kernel got the same ticks, in order, stamped with the tick's own time.
        var ticks = sink.Ticks.Skip(syncs).ToList();
        Assert.Equal(valid.Count + 1, ticks.Count);
        for (var i = 0; i < valid.Count; i++)
        {
            Assert.Equal(real[i].Bid, ticks[i].Bid);
            Assert.Equal(real[i].Ask, ticks[i].Ask);
            Assert.Equal(real[i].TimeMs, ticks[i].EventTimeMs);
        }
    }

    [Fact]
    public async Task ReportsAnEaSilentForTheConfiguredTimeAndKeepsListening()
    {
        var clock = new Engine.Kernel.ManualClock(DateTimeOffset.UtcNow);
        var sink = new RecordingTickSink(2);
        var zmq = new ZmqOptions { MarketInPort = 0, MarketOutPort = 0 };
        var health = new Engine.Kernel.ComponentHealth();
        await using var bridge = new MarketBridge(zmq, new BridgeOptions { SilenceSeconds = 30 }, new MarketOptions(), new SymbolRegistry(), sink,
            clock, NullLogger.Instance, health);
        bridge.Start();
        using var context = new Zmq.ZmqContext();
        using var push = context.CreateSocket(Zmq.ZmqSocketType.Push);
        push.Connect(zmq.ConnectEndpoint(bridge.MarketInPort));
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        push.Send(Encoding.UTF8.GetBytes($$"""{"type":"TICK","user_uuid":"EA_QUIET","symbol":"EURUSD","bid":1.1,"ask":1.1002,"timestamp":{{now}}}"""));
        await WaitFor(() => bridge.Sources.Snapshot().Any(s => s.Source == "EA_QUIET"));

        clock.Advance(TimeSpan.FromSeconds(31));
        await WaitFor(() => health.Get(MarketBridge.ComponentName).State == Engine.Kernel.ComponentState.Degraded);
        Assert.True(bridge.Sources.Snapshot().Single(s => s.Source == "EA_QUIET").Silent);
        Assert.Contains("EA_QUIET", health.Get(MarketBridge.ComponentName).Detail, StringComparison.Ordinal);

        now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        push.Send(Encoding.UTF8.GetBytes($$"""{"type":"TICK","user_uuid":"EA_QUIET","symbol":"EURUSD","bid":1.1001,"ask":1.1003,"timestamp":{{now}}}"""));
        await sink.Reached.WaitAsync(TimeSpan.FromSeconds(10));
        await WaitFor(() => health.Get(MarketBridge.ComponentName).State == Engine.Kernel.ComponentState.Running);
        Assert.False(bridge.Sources.Snapshot().Single(s => s.Source == "EA_QUIET").Silent);
    }

    [Fact]
    public async Task AppliesTheUtcOffsetAnEaDeclaresToItsBrokerTime()
    {
        var sink = new RecordingTickSink(1);
        var zmq = new ZmqOptions { MarketInPort = 0, MarketOutPort = 0 };
        await using var bridge = new MarketBridge(zmq, new BridgeOptions(), new MarketOptions(), new SymbolRegistry(), sink,
            TimeProvider.System, NullLogger.Instance);
        bridge.Start();
        using var context = new Zmq.ZmqContext();
        using var push = context.CreateSocket(Zmq.ZmqSocketType.Push);
        push.Connect(zmq.ConnectEndpoint(bridge.MarketInPort));
        push.Send("""{"type":"handshake","user_uuid":"EA_ATHENS","utc_offset_seconds":10800}"""u8);
        push.Send("""{"type":"TICK","user_uuid":"EA_ATHENS","symbol":"EURUSD","bid":1.17602,"ask":1.17603,"timestamp":"2025.09.15 19:41:16"}"""u8);
        await sink.Reached.WaitAsync(TimeSpan.FromSeconds(10));
        var expected = new DateTimeOffset(2025, 9, 15, 16, 41, 16, TimeSpan.Zero).ToUnixTimeMilliseconds();
        Assert.Equal(expected, sink.Ticks.Single().EventTimeMs);
    }

    private static async Task WaitFor(Func<bool> condition)
    {
        // Bounded wait on state the bridge thread changes; yields rather than sleeping a fixed time.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached within 10 s");
            await Task.Yield();
            Thread.Yield();
        }
    }

    private static byte[] SeedTick(RecordedTick t) => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
        $$"""{"type":"tick","symbol":"EURUSD","bid":{{t.Bid}},"ask":{{t.Ask}},"spread":{{Math.Round((t.Ask - t.Bid) * 100000, 1)}},"volume":0,"timestamp":{{t.TimeMs / 1000.0}}}"""));

    private static List<(RejectReason Reason, byte[][] Parts)> BadFrames(RecordedTick t)
    {
        byte[] Text(string s) => Encoding.UTF8.GetBytes(s);
        var ts = (t.TimeMs / 1000.0).ToString(CultureInfo.InvariantCulture);
        var good = Encoding.UTF8.GetString(SeedTick(t));
        var huge = new byte[1024 * 1024];
        Array.Fill(huge, (byte)'x');
        return
        [
            (RejectReason.NotJson, [Text("this is not json")]),
            (RejectReason.Truncated, [Text(good[..(good.Length / 2)])]),
            (RejectReason.WrongFieldType, [Text($$"""{"type":"tick","symbol":"EURUSD","bid":"1.3","ask":1.3,"timestamp":{{ts}}}""")]),
            (RejectReason.MissingField, [Text($$"""{"type":"tick","symbol":"EURUSD","ask":1.3,"timestamp":{{ts}}}""")]),
            (RejectReason.NonPositivePrice, [Text($$"""{"type":"tick","symbol":"EURUSD","bid":-1.3,"ask":1.3,"timestamp":{{ts}}}""")]),
            (RejectReason.NonFinitePrice, [Text($$"""{"type":"tick","symbol":"EURUSD","bid":1e400,"ask":1e400,"timestamp":{{ts}}}""")]),
            (RejectReason.AskBelowBid, [Text($$"""{"type":"tick","symbol":"EURUSD","bid":1.4,"ask":1.3,"timestamp":{{ts}}}""")]),
            (RejectReason.AbsurdJump, [Text($$"""{"type":"tick","symbol":"EURUSD","bid":{{(t.Bid * 1.5).ToString(CultureInfo.InvariantCulture)}},"ask":{{(t.Ask * 1.5).ToString(CultureInfo.InvariantCulture)}},"timestamp":{{ts}}}""")]),
            (RejectReason.FutureTimestamp, [Text($$"""{"type":"tick","symbol":"EURUSD","bid":{{t.Bid.ToString(CultureInfo.InvariantCulture)}},"ask":{{t.Ask.ToString(CultureInfo.InvariantCulture)}},"timestamp":4102444800}""")]),
            (RejectReason.FrameTooLarge, [huge]),
            (RejectReason.EmptyFrame, [[]]),
            (RejectReason.Multipart, [Text("garbage"), Text(good), Text("\u0001\u0002")]),
            (RejectReason.UnknownType, [Text($$"""{"type":"SELL_EVERYTHING","symbol":"EURUSD"}""")]),
            (RejectReason.MissingType, [Text($$"""{"symbol":"EURUSD","bid":1.3,"ask":1.31,"timestamp":{{ts}}}""")]),
            (RejectReason.UnexpectedType, [Text("""{"type":"HELLO","target_uuid":"X","balance":1}""")]),
            (RejectReason.NotAnObject, [Text("[1,2,3]")]),
            (RejectReason.BadSymbol, [Text($$"""{"type":"tick","symbol":" URUSD","bid":1.3,"ask":1.31,"timestamp":{{ts}}}""")]),
        ];
    }
}
