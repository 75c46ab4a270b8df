using Bitten.Domain.Trading;
using Bitten.Domain.Events;
using Bitten.Domain.Market;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Domain.Users;
using Bitten.Engine.Execution;
using Bitten.Engine.Kernel;
using Bitten.Simulation.Ea;
using Bitten.Testing;
using Bitten.Wire.Ea;

namespace Bitten.Simulation.Tests;

/// <summary>The paper EA wired to a real execution desk in-process: orders out, fills, closes and heartbeats back.</summary>
public sealed class InProcessEasTests
{
    private const long T0 = 1_399_276_800_000; // 2014-05-05 08:00 UTC
    private const long UserId = 7;

    private readonly ManualClock _clock = new(DateTimeOffset.FromUnixTimeMilliseconds(T0));
    private readonly SymbolRegistry _symbols = new();
    private readonly ExecutionEvents _events = new();
    private readonly Accounts _accounts = new();
    private readonly InProcessEas _eas;
    private readonly ExecutionDesk _desk;
    private readonly SymbolId _eurusd;

    public InProcessEasTests()
    {
        _eurusd = _symbols.GetOrAdd("EURUSD");
        _eas = new InProcessEas([new SimulatedEaOptions { Uuid = "EA-1", Balance = 10_000m }], _symbols, _accounts);
        _desk = new ExecutionDesk(_clock, new ExecutionOptions(), _eas, _events);
        _desk.UpsertUser(new User(UserId, 70, Tier.Commander, Role.User, FireMode.Auto, AutoFireSettings.Default, "EA-1", 0));
        _eas.Connect(_desk, ["EURUSD"], T0);
    }

    [Fact]
    public void AnAutoFireIsFilledAtTheLastAskOnTheEasTurnAndTheDeskThenHoldsThePosition()
    {
        Quote(1.08500, 1.08512, T0);

        _desk.Accept(Signal(Direction.Buy, 1.08512, sl: 1.08312, tp: 1.08912));

        // As live: the order has left, its confirmation has not come back yet.
        Assert.True(_eas.IsDue(T0));
        Assert.Empty(_desk.PositionsOf(UserId));
        _eas.Pump(T0);
        var position = Assert.Single(_desk.PositionsOf(UserId));
        Assert.Equal(1.08512, position.OpenPrice);
        Assert.Equal(position.Ticket, Assert.Single(_eas.BrokerOf("EA-1").Positions).Ticket);
        Assert.Contains(_events.Seen, e => e is FireFilled f && f.Ticket == position.Ticket);
        Assert.Equal((1, 1), (_eas.BrokerOf("EA-1").FiresReceived, _eas.BrokerOf("EA-1").Fills));
        Assert.False(_eas.IsDue(T0));
    }

    [Fact]
    public void ABidThroughTheStopClosesThePositionAtTheBrokerAndTheDeskReleasesItsSlot()
    {
        Quote(1.08500, 1.08512, T0);
        _desk.Accept(Signal(Direction.Buy, 1.08512, sl: 1.08312, tp: 1.08912));
        _eas.Pump(T0);

        Quote(1.08300, 1.08312, T0 + 1_000);
        _eas.Pump(T0 + 1_000);

        Assert.Empty(_desk.PositionsOf(UserId));
        Assert.Empty(_eas.BrokerOf("EA-1").Positions);
        Assert.Contains(_events.Seen, e => e is PositionClosed { Reason: PositionCloseReason.StopLoss });
        Assert.Contains(_events.Seen, e => e is SlotReleased);
        Assert.Equal(1, _eas.ClosesOf("EA-1"));
        var balance = _eas.BrokerOf("EA-1").Account.Balance;
        Assert.True(balance < 10_000m, $"balance {balance}");
        Assert.Equal(balance, _desk.AccountOf(UserId)!.Balance);
        Assert.Equal((double)((10_000m - balance) / 10_000m * 100m), _eas.MaxDrawdownPercentOf("EA-1"), 9);
        Assert.Equal(balance, _accounts.Closes.Single().Account.Balance);
    }

    [Fact]
    public void AFireForASymbolWithNoQuoteYetIsRefusedByTheBrokerAndTheSlotComesBack()
    {
        _desk.Accept(Signal(Direction.Sell, 1.08500, sl: 1.08700, tp: 1.08100));
        _eas.Pump(T0);

        Assert.Empty(_desk.PositionsOf(UserId));
        Assert.Contains(_events.Seen, e => e is FireFailed { Refusal: FireRefusal.EaRefused });
        Assert.Equal("no price for EURUSD", _accounts.Fires.Single().Answer.Message);
        Assert.Equal(0, _desk.AccountOf(UserId)!.SlotsUsed);
    }

    [Fact]
    public void TheEaChecksInEveryThirtySecondsOfReplayTimeSoTheDeskSeesItAlive()
    {
        _clock.SetUtcNow(DateTimeOffset.FromUnixTimeMilliseconds(T0 + 29_999));
        _eas.Pump(T0 + 29_999);
        var helloOnly = _accounts.Reports;
        _clock.SetUtcNow(DateTimeOffset.FromUnixTimeMilliseconds(T0 + 30_000));
        Assert.True(_eas.IsDue(T0 + 30_000));
        _eas.Pump(T0 + 30_000);

        Assert.Equal(1, helloOnly);
        Assert.Equal(2, _accounts.Reports);
        var account = _desk.AccountOf(UserId)!;
        Assert.Equal(T0 + 30_000, account.EaLastSeenMs);
        Assert.True(account.EaAlive);
    }

    [Fact]
    public void ATickWithNothingOpenIsOnlyRememberedAndAllocatesNothing()
    {
        _eas.Pump(T0);

        // Warm-up first: JIT and tiering of the tick path allocate once, the ticks themselves must not.
        var due = Ticks(0, 30_000);
        var before = GC.GetAllocatedBytesForCurrentThread();
        due |= Ticks(0, 10_000);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.False(due);
        Assert.False(_eas.BrokerOf("EA-1").TryGetQuote("EURUSD", out _, out _));
    }

    /// <summary>Quotes EURUSD every millisecond from T0 (nothing open, within the first heartbeat); true if the EAs ever had work.</summary>
    private bool Ticks(int from, int count)
    {
        var due = false;
        for (var i = from; i < from + count; i++)
        {
            var tick = new Tick(_eurusd, 1.08500 + (i % 100) * 1e-7, 1.08512 + (i % 100) * 1e-7, T0 + (i % 20_000), T0 + (i % 20_000));
            _eas.OnTick(in tick);
            due |= _eas.IsDue(T0 + (i % 20_000));
        }

        return due;
    }

    private void Quote(double bid, double ask, long timeMs)
    {
        _clock.SetUtcNow(DateTimeOffset.FromUnixTimeMilliseconds(Math.Max(timeMs, UnixMs.Now(_clock))));
        var tick = new Tick(_eurusd, bid, ask, timeMs, timeMs);
        _eas.OnTick(in tick);
    }

    private Signal Signal(Direction direction, double entry, double sl, double tp) =>
        new($"S-{direction}", "EURUSD", _eurusd, direction, entry, sl, tp, 20, 40, 2, 85, PatternType.BbScalp, 0, "LONDON", T0, T0 + 1_800_000, T0);

    private sealed class Accounts : IPaperAccountObserver
    {
        public List<(FireOrder Order, FireConfirmation Answer)> Fires { get; } = [];

        public List<CloseConfirmation> Closes { get; } = [];

        public int Reports { get; private set; }

        public void OnFire(FireOrder order, FireConfirmation answer, long timeMs) => Fires.Add((order, answer));

        public void OnClose(CloseConfirmation close, long timeMs) => Closes.Add(close);

        public void OnAccount(string eaUuid, AccountReport account, long timeMs) => Reports++;
    }
}
