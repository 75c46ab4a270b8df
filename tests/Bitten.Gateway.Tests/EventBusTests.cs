using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Bitten.Domain.Events;
using Bitten.Gateway.Events;
using Bitten.Testing;
using Bitten.Wire.Events;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bitten.Gateway.Tests;

/// <summary>The event bus against pyzmq as a foreign producer (PUSH to 5571) and a foreign collector (SUB on 5570).</summary>
public sealed class EventBusTests
{
    // The foreign producer and collector in one: PUSHes a sync event until its SUB sees one (PUB drops until the
    // subscription has arrived), then the planned frames (multipart ones as several parts), then a sentinel, and
    // prints every [topic, json] it received until the sentinel.
    private const string ForeignProducer = """
        import base64, json, sys, zmq
        plan = json.load(open(sys.argv[3]))
        ctx = zmq.Context()
        sub = ctx.socket(zmq.SUB); sub.setsockopt(zmq.SUBSCRIBE, b"bitten."); sub.setsockopt(zmq.RCVHWM, 0); sub.connect(sys.argv[2])
        push = ctx.socket(zmq.PUSH); push.connect(sys.argv[1])
        poller = zmq.Poller(); poller.register(sub, zmq.POLLIN)
        sync = plan["sync"].encode()
        for attempt in range(200):
            push.send(sync)
            if poller.poll(50):
                break
        else:
            sys.exit("the bus never published the sync event")
        while poller.poll(300):
            sub.recv_multipart()
        for frame in plan["frames"]:
            push.send_multipart([base64.b64decode(p) for p in frame])
        push.send(plan["sentinel"].encode())
        received = []
        while True:
            if not poller.poll(10000):
                sys.exit("timed out waiting for the sentinel; received %d" % len(received))
            topic, body = sub.recv_multipart()
            if b"SENTINEL" in body:
                break
            received.append([topic.decode(), body.decode()])
        print(json.dumps({"received": received, "syncs": attempt + 1}))
        """;

    // A foreign collector, as the original's data_collector was: SUB on "bitten.", says when it is receiving, then
    // prints every [topic, json] until the sentinel type.
    private const string Collector = """
        import json, sys, zmq
        ctx = zmq.Context()
        sub = ctx.socket(zmq.SUB); sub.setsockopt(zmq.SUBSCRIBE, b"bitten."); sub.setsockopt(zmq.RCVHWM, 0); sub.connect(sys.argv[1])
        if not sub.poll(20000):
            sys.exit("nothing published within 20 s")
        sub.recv_multipart()
        print("ready", flush=True)
        received = []
        while True:
            if not sub.poll(10000):
                sys.exit("timed out waiting for the sentinel; received %d" % len(received))
            topic, body = sub.recv_multipart()
            if topic == b"bitten.risk_blocked":
                break
            if b"SYNC" not in body:
                received.append([topic.decode(), body.decode()])
        print(json.dumps(received), flush=True)
        """;

    private const string Sync = """{"event_type":"signal_expired","timestamp":1763000000,"source":"py","data":{"signal_id":"SYNC"}}""";
    private const string Sentinel = """{"event_type":"signal_expired","timestamp":1763000000,"source":"py","data":{"signal_id":"SENTINEL"}}""";

    [Fact]
    public async Task AForeignProducersGoodEventsAreKeptAndRepublishedAndBadOnesCountedByReason()
    {
        string[] good =
        [
            // Float epoch seconds, as the original's EventBusClient stamps them.
            """{"event_type":"signal_generated","timestamp":1763000000.25,"source":"elite_guard","data":{"signal_id":"S1","symbol":"EURUSD","direction":"BUY","confidence":84.5,"pattern_type":"VCB_BREAKOUT"},"correlation_id":"S1"}""",
            """{"event_type":"trade_executed","timestamp":1763000001123,"source":"ea","data":{"fire_id":"F1","ticket":7,"symbol":"EURUSD","direction":"BUY","volume":0.1,"open_price":1.1,"execution_time":1763000001},"user_id":"42"}""",
            """{"event_type":"system_health","timestamp":1763000002,"source":"webapp","data":{"component":"webapp","status":"running","uptime":5}}""",
            """{"event_type":"user_action","timestamp":1763000003,"source":"webapp","data":{"user_id":42,"action":"fire"},"session_id":"s-1"}""",
        ];
        var bad = new (string Reason, string[] Parts)[]
        {
            ("not_json", ["{\"event_type\": oops"]),
            ("not_object", ["[1, 2, 3]"]),
            ("unknown_type", ["""{"event_type":"trade_confirmed","timestamp":1763000000,"source":"confirm_listener","data":{}}"""]),
            // The original Elite Guard's signal: no pattern_type.
            ("missing:data.pattern_type", ["""{"event_type":"signal_generated","timestamp":1763000000.5,"source":"elite_guard","data":{"signal_id":"S2","symbol":"EURUSD","direction":"SELL","confidence":77}}"""]),
            // The original enqueue_fire's trade_executed: no ticket, no open price.
            ("missing:data.ticket", ["""{"event_type":"trade_executed","timestamp":1763000000.5,"source":"webapp","data":{"fire_id":"F2","symbol":"EURUSD","direction":"BUY","volume":0.1}}"""]),
            // The original broker's own startup beat.
            ("invalid:data.status", ["""{"event_type":"system_health","timestamp":1763000000.5,"source":"event_bus","data":{"component":"event_bus","status":"started"}}"""]),
            ("multipart", ["bitten.user_action", good[3]]),
            ("too_large", [$$$"""{"event_type":"user_action","timestamp":1763000000,"source":"x","data":{"user_id":1,"action":"{{{new string('a', 70_000)}}}"}}"""]),
        };
        var frames = new List<string[]>();
        for (var i = 0; i < good.Length; i++)
        {
            frames.Add([good[i]]);
            frames.Add(bad[i].Parts);
            frames.Add(bad[i + good.Length].Parts);
        }

        var plan = Path.GetTempFileName();
        await File.WriteAllTextAsync(plan, JsonSerializer.Serialize(new
        {
            sync = Sync,
            sentinel = Sentinel,
            frames = frames.Select(f => f.Select(p => Convert.ToBase64String(Encoding.UTF8.GetBytes(p))).ToArray()),
        }));

        var sink = new RecordingEventSink();
        var zmq = new ZmqOptions { EventPort = 0, EventInPort = 0 };
        await using var bus = new EventBus(zmq, sink, NullLogger.Instance);
        bus.Start();

        var output = await PyZmq.RunAsync(ForeignProducer, TimeSpan.FromSeconds(60),
            zmq.ConnectEndpoint(bus.EventInPort), zmq.ConnectEndpoint(bus.EventPort), plan);
        File.Delete(plan);
        using var result = JsonDocument.Parse(output);
        var received = result.RootElement.GetProperty("received").EnumerateArray()
            .Select(m => (Topic: m[0].GetString()!, Json: m[1].GetString()!))
            .Where(m => !m.Json.Contains("SYNC", StringComparison.Ordinal))
            .ToList();
        var syncs = result.RootElement.GetProperty("syncs").GetInt32();

        // Republished in order, under bitten.<type>, normalised (timestamps in ms, data compact) and still valid.
        var expected = good.Select(g => EventJson.Parse(Encoding.UTF8.GetBytes(g), out _)!).ToList();
        Assert.Equal(expected.Select(e => "bitten." + e.EventType), received.Select(r => r.Topic));
        Assert.Equal(expected, received.Select(r => EventJson.Parse(Encoding.UTF8.GetBytes(r.Json), out _)));
        Assert.Equal(1_763_000_000_250, expected[0].TimestampMs);

        // Kept in the log too: the syncs, the good ones and the sentinel, after the bus's own starting beat.
        var kept = sink.Events.Where(e => e.Source != EventBus.Source).ToList();
        Assert.Equal(syncs + good.Length + 1, kept.Count);
        Assert.Equal(expected, kept.Where(e => !e.DataJson.Contains("SYNC", StringComparison.Ordinal)).Take(good.Length));
        Assert.Contains(sink.Events, e => e.EventType == EventTypes.SystemHealth && e.Source == EventBus.Source && e.DataJson.Contains("\"running\"", StringComparison.Ordinal));

        foreach (var (reason, _) in bad)
        {
            Assert.True(bus.RejectedFor(reason) == 1, $"{reason}: counted {bus.RejectedFor(reason)}");
        }

        Assert.Equal(bad.Length, bus.Rejected);
        Assert.Equal(syncs + good.Length + 1, bus.Accepted);
        Assert.Equal(syncs + good.Length + 1 + bad.Length, bus.Received);
    }

    [Fact]
    public async Task AForeignCollectorSeesEveryEventWePublishFromAnyThreadUnderItsTopic()
    {
        var sink = new RecordingEventSink();
        var zmq = new ZmqOptions { EventPort = 0, EventInPort = 0 };
        await using var bus = new EventBus(zmq, sink, NullLogger.Instance);
        bus.Start();
        using var python = PyZmq.Start(Collector, zmq.ConnectEndpoint(bus.EventPort));
        var ready = python.StandardOutput.ReadLineAsync();

        // PUB drops messages until the subscription has arrived: publish until the collector has one.
        var sync = new EventEnvelope(EventTypes.SignalExpired, 1_763_000_000_000, "test", """{"signal_id":"SYNC"}""");
        for (var attempt = 0; !ready.IsCompleted; attempt++)
        {
            Assert.True(attempt < 400 && !python.HasExited, "the collector never received an event: " + (python.HasExited ? await python.StandardError.ReadToEndAsync() : ""));
            bus.Publish(sync);
            try
            {
                // Wait on the collector's "ready" line; after 50 ms without it, publish again (the subscription may
                // not have reached the PUB yet: it drops what it sends before that).
                await ready.WaitAsync(TimeSpan.FromMilliseconds(50));
            }
            catch (TimeoutException)
            {
            }
        }

        Assert.Equal("ready", await ready);

        var ours = new[]
        {
            new EventEnvelope(EventTypes.MissionCreated, 1_763_000_000_001, "execution", """{"mission_id":"M1","signal_id":"S1","user_id":42}""", "S1", "42"),
            new EventEnvelope(EventTypes.FireFailed, 1_763_000_000_002, "execution", """{"user_id":42,"reason":"no_free_slot"}""", UserId: "42"),
            new EventEnvelope(EventTypes.PositionClosed, 1_763_000_000_003, "execution", """{"ticket":7,"fire_id":"F1"}"""),
            new EventEnvelope(EventTypes.SlotReleased, 1_763_000_000_004, "execution", """{"user_id":42,"reason":"closed"}"""),
            new EventEnvelope(EventTypes.SignalResolved, 1_763_000_000_005, "tracker", """{"signal_id":"S1","outcome":"WIN"}"""),
            new EventEnvelope(EventTypes.PatternDetected, 1_763_000_000_006, "elite_guard", """{"symbol":"EURUSD","pattern_type":"VCB_BREAKOUT"}"""),
        };

        // From several threads at once: Publish only, and Append (kept, then published).
        await Task.WhenAll(ours.Select((e, i) => Task.Run(() =>
        {
            if (i % 2 == 0)
            {
                bus.Publish(e);
            }
            else
            {
                bus.Append(e);
            }
        })));
        bus.Publish(new EventEnvelope(EventTypes.RiskBlocked, 1_763_000_000_007, "execution", """{"user_id":42,"reason":"drawdown_limit"}"""));

        var line = await python.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await python.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(python.ExitCode == 0, await python.StandardError.ReadToEndAsync());
        using var json = JsonDocument.Parse(line!);
        var received = json.RootElement.EnumerateArray().Select(m => (Topic: m[0].GetString()!, Json: m[1].GetString()!)).ToList();

        Assert.Equal(ours.Length, received.Count);
        foreach (var (topic, body) in received)
        {
            var parsed = EventJson.Parse(Encoding.UTF8.GetBytes(body), out var error);
            Assert.True(parsed is not null, $"our own event was refused ({error}): {body}");
            Assert.Equal("bitten." + parsed.EventType, topic);
            Assert.Contains(parsed, ours);
        }

        Assert.Equal(ours.Where((_, i) => i % 2 == 1), sink.Events.Where(e => e.Source != EventBus.Source).OrderBy(e => e.TimestampMs));
        Assert.Equal(0, bus.Dropped);
    }

    [Fact]
    public async Task PublishNeverBlocksAndCountsWhatItCannotQueueOnceStopped()
    {
        var zmq = new ZmqOptions { EventPort = 0, EventInPort = 0 };
        var bus = new EventBus(zmq, null, NullLogger.Instance);
        bus.Start();
        await bus.DisposeAsync();

        bus.Publish(new EventEnvelope(EventTypes.SignalExpired, 1_763_000_000_000, "test", """{"signal_id":"S1"}"""));

        Assert.Equal(1, bus.Dropped);
    }

    private sealed class RecordingEventSink : IEventSink
    {
        private readonly ConcurrentQueue<EventEnvelope> _events = new();

        public IReadOnlyList<EventEnvelope> Events => [.. _events];

        public void Append(EventEnvelope e) => _events.Enqueue(e);
    }
}
