using Bitten.Host.Execution;
using Bitten.Domain.Events;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Domain.Trading;
using Bitten.Domain.Users;
using Bitten.Engine.Execution;
using Bitten.Engine.Kernel;
using Bitten.Wire.Events;

namespace Bitten.EndToEnd.Tests;

/// <summary>Our own events must pass our own validation — the original's bus rejected its own signal and trade events.</summary>
public sealed class EventRecorderTests
{
    [Fact]
    public void EveryEventOfAFullTradeLifecyclePassesValidation()
    {
        var clock = new ManualClock(DateTimeOffset.FromUnixTimeMilliseconds(1_704_189_600_000));
        var sink = new Collect();
        var recorder = new EventRecorder(sink);
        var outbox = new Outbox();
        var desk = new ExecutionDesk(clock, new ExecutionOptions(), outbox, recorder);
        desk.UpsertUser(new User(1, 101, Tier.Commander, Role.User, FireMode.Auto, AutoFireSettings.Default with { MaxSlots = 1 }, "EA_1", 0));
        desk.UpsertUser(new User(2, 102, Tier.Nibbler, Role.User, FireMode.Manual, AutoFireSettings.Default, "EA_2", 0));
        desk.OnCheckIn(new EaCheckIn("EA_1", true, new AccountSnapshot(10_000m, 10_000m, 10_000m, "USD"), [], []));
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        Signal Make(string symbol, int n) => new(SignalIds.Create(SignalClass.Rapid, PatternType.BbScalp, symbol, now + n), symbol, new SymbolId(0),
            Direction.Buy, 1.1, 1.098, 1.103, 20, 30, 1.5, 85, PatternType.BbScalp, 7, "LONDON", now + n, now + n + 1_800_000, now + n);

        var first = Make("EURUSD", 1);
        recorder.OnSignal(first);
        desk.Accept(first);
        var fire = outbox.Orders.OfType<FireOrder>().Single();
        desk.Accept(Make("GBPUSD", 2)); // no free slot: fire_failed
        desk.OnFill(new FillReport(fire.FireId, "EA_1", true, 777, 1.1001, fire.Lot, "ok", new AccountSnapshot(10_000m, 10_000m, 9_000m, "USD")));
        desk.OnClose(new CloseReport(fire.FireId, "EA_1", 777, 1.103, 30m, "tp", new AccountSnapshot(10_030m, 10_030m, 10_030m, "USD")));
        recorder.OnResolved(new SignalOutcome(first.SignalId, Outcome.Win, 1.103, now + 60_000, 30, 1, 30, 2));
        desk.OnFill(new FillReport("F9-9", "EA_9", true, 1, 1, 1, "?", new AccountSnapshot(1m, 1m, 1m, "USD")));
        desk.SetEmergencyStop(EmergencyStop.Soft);
        clock.Advance(TimeSpan.FromHours(1));
        desk.OnClock(clock.GetUtcNow().ToUnixTimeMilliseconds());

        var types = sink.Events.Select(e => e.EventType).ToHashSet();
        foreach (var expected in new[] { "signal_generated", "mission_created", "fire_command", "fire_failed", "trade_executed", "position_closed",
                     "slot_released", "signal_resolved", "signal_expired", "system_health" })
        {
            Assert.Contains(expected, types);
        }

        Assert.All(sink.Events, e =>
        {
            var parsed = EventJson.Parse(EventJson.Write(e), out var error);
            Assert.True(parsed is not null, $"{e.EventType} {e.DataJson}: {error}");
        });
    }

    private sealed class Collect : IEventSink
    {
        public List<EventEnvelope> Events { get; } = [];

        public void Append(EventEnvelope e) => Events.Add(e);
    }

    private sealed class Outbox : IExecutionOutbox
    {
        public List<EaOrder> Orders { get; } = [];

        public void Send(EaOrder order) => Orders.Add(order);

        public void Completed(string fireId, bool filled, long? ticket, double? price, string? message)
        {
        }
    }
}
