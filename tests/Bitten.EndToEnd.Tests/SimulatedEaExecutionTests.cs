using Bitten.Domain.Events;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Domain.Trading;
using Bitten.Domain.Users;
using Bitten.Engine.Execution;
using Bitten.Engine.Kernel;
using Bitten.Engine.Market;
using Bitten.Gateway;
using Bitten.Gateway.Execution;
using Bitten.Gateway.Market;
using Bitten.Simulation.Ea;
using Bitten.Simulation.Replay;
using Bitten.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bitten.EndToEnd.Tests;

/// <summary>
/// Execution end to end with two simulated EAs (paper brokers replaying real EURUSD ticks) over the real ports: AUTO
/// users in and out of the band, slots filling to the limit and released on close, and a HARD stop closing everything.
/// </summary>
public sealed class SimulatedEaExecutionTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly ZmqOptions _zmq = new() { MarketInPort = 0, MarketOutPort = 0, CommandPort = 0, ConfirmPort = 0 };
    private readonly TradingKernel _kernel = new(TimeProvider.System, new MarketOptions(), new KernelOptions());
    private readonly ExecutionEvents _events = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(SimulatedEa Ea, Task Run)> _eas = [];
    private ExecutionDesk _desk = null!;
    private CommandOutbox _outbox = null!;
    private EaGateway _gateway = null!;
    private MarketBridge _bridge = null!;
    private int _signals;

    public async Task InitializeAsync()
    {
        _outbox = new CommandOutbox(null, NullLogger.Instance);
        _desk = new ExecutionDesk(TimeProvider.System, new ExecutionOptions(), _outbox, _events);
        // In the band with two slots; and a user whose band is above it.
        _desk.UpsertUser(new User(1, 101, Tier.Commander, Role.User, FireMode.Auto, AutoFireSettings.Default with { MaxSlots = 2, RiskPercent = 1m }, "SIM_IN_BAND", 0));
        _desk.UpsertUser(new User(2, 102, Tier.Commander, Role.User, FireMode.Auto, AutoFireSettings.Default with { MinConfidence = 90, MaxConfidence = 95, RiskPercent = 1m }, "SIM_HIGH_BAND", 0));
        _kernel.Start();
        _gateway = new EaGateway(_zmq, _kernel, _desk, null, NullLogger.Instance);
        _gateway.Start();
        _outbox.Start(_gateway);
        _bridge = new MarketBridge(_zmq, new BridgeOptions(), new MarketOptions(), new SymbolRegistry(), _kernel, TimeProvider.System, NullLogger.Instance);
        _bridge.Start();

        var connected = _events.WaitForCount(e => e is EaConnected { IsHello: true }, 2);
        foreach (var uuid in new[] { "SIM_IN_BAND", "SIM_HIGH_BAND" })
        {
            var options = new SimulatedEaOptions
            {
                Uuid = uuid,
                MarketPort = _bridge.MarketInPort,
                CommandPort = _gateway.CommandPort,
                ConfirmPort = _gateway.ConfirmPort,
                Speed = 60,
                Loop = true,
                Ticks = SharedData.Path("ticks/oanda-fx/eurusd"),
            };
            var ea = new SimulatedEa(options, new TickReplay(TickReplay.Discover([options.Ticks])), TimeProvider.System, NullLogger.Instance);
            _eas.Add((ea, ea.RunAsync(_stop.Token)));
        }

        await connected;
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_eas.Select(e => e.Run));
        await _bridge.DisposeAsync();
        await _outbox.DisposeAsync();
        await _gateway.DisposeAsync();
        await _kernel.DisposeAsync();
        _stop.Dispose();
    }

    [Fact]
    public async Task BandsSlotsReleasesAndAHardStopWorkAgainstPaperBrokers()
    {
        var inBand = _eas[0].Ea.Broker;
        var highBand = _eas[1].Ea.Broker;

        // 85 %: only the 80–89 user fires. Twice fills both slots; the third is refused for want of a slot.
        await Raise(85);
        await Raise(85);
        await _events.WaitForCount(e => e is FireFilled { UserId: 1 }, 2);
        await Raise(85);
        Assert.Contains(_events.Seen, e => e is FireFailed { UserId: 1, Refusal: FireRefusal.NoFreeSlot });
        Assert.Equal(2, inBand.Positions.Count);
        Assert.Empty(highBand.Positions);

        // 92 %: only the 90–95 user fires.
        await Raise(92);
        await _events.WaitFor(e => e is FireFilled { UserId: 2 });
        Assert.Single(highBand.Positions);
        Assert.Equal(2, inBand.Positions.Count);

        // Closing one position at the broker releases its slot, and the next signal fills it again.
        var ticket = (await _kernel.AskAsync(() => _desk.PositionsOf(1)))[0].Ticket;
        Assert.Equal(1, await _kernel.AskAsync(() => _desk.Close(1, ticket, null, all: false)));
        await _events.WaitFor(e => e is SlotReleased { UserId: 1, Reason: SlotReleaseReason.Closed });
        Assert.Equal(1, (await _kernel.AskAsync(() => _desk.AccountOf(1)))!.SlotsUsed);
        Assert.Equal(PositionCloseReason.Manual, (await _kernel.AskAsync(() => _desk.MissionsOf(1))).Single(m => m.Status == MissionStatus.Closed).CloseReason);
        await Raise(85);
        await _events.WaitForCount(e => e is FireFilled { UserId: 1 }, 3);
        Assert.Equal(2, inBand.Positions.Count);

        // HARD stop: every position at every EA is closed and every slot is free.
        var closedBefore = _events.Seen.Count(e => e is PositionClosed);
        await _kernel.AskAsync(() =>
        {
            _desk.SetEmergencyStop(EmergencyStop.Hard);
            return true;
        });
        await _events.WaitForCount(e => e is PositionClosed, closedBefore + 3);
        Assert.Empty(inBand.Positions);
        Assert.Empty(highBand.Positions);
        Assert.Empty(await _kernel.AskAsync(() => _desk.PositionsOf(1)));
        Assert.Empty(await _kernel.AskAsync(() => _desk.PositionsOf(2)));
        Assert.Equal(0, (await _kernel.AskAsync(() => _desk.AccountOf(1)))!.SlotsUsed + (await _kernel.AskAsync(() => _desk.AccountOf(2)))!.SlotsUsed);
        Assert.Equal(0, inBand.Duplicates + highBand.Duplicates);
    }

    /// <summary>A BUY EURUSD signal at the paper broker's current price, with stops far enough that replay noise cannot hit them.</summary>
    private async Task Raise(double confidence)
    {
        var broker = _eas[0].Ea.Broker;
        var deadline = DateTime.UtcNow + Timeout;
        double bid, ask;
        while (!broker.TryGetQuote("EURUSD", out bid, out ask))
        {
            Assert.True(DateTime.UtcNow < deadline, "the simulated EA never priced EURUSD");
            await Task.Yield();
        }

        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + (++_signals);
        var entry = Math.Round(ask, 5);
        var signal = new Signal(SignalIds.Create(SignalClass.Rapid, PatternType.BbScalp, "EURUSD", now), "EURUSD", new SymbolId(0), Direction.Buy,
            entry, Math.Round(entry - 0.0500, 5), Math.Round(entry + 0.0500, 5), 500, 500, 1, confidence, PatternType.BbScalp, 7, "LONDON",
            now, now + 1_800_000, now);
        Assert.True(await _kernel.AskAsync(() => _desk.Accept(signal)));
    }
}
