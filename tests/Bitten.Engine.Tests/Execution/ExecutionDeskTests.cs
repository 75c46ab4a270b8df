using Bitten.Domain.Events;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Domain.Trading;
using Bitten.Domain.Users;
using Bitten.Engine.Execution;
using Bitten.Engine.Kernel;

namespace Bitten.Engine.Tests.Execution;

/// <summary>The desk as the kernel drives it: signals → missions → fires → fills → closes, with slots and refusals.</summary>
public sealed class ExecutionDeskTests
{
    // Tuesday 2 January 2024 10:00 UTC.
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeMilliseconds(1_704_189_600_000);

    private readonly ManualClock _clock = new(Start);
    private readonly RecordingOutbox _outbox = new();
    private readonly RecordingObserver _events = new();
    private readonly ExecutionDesk _desk;
    private int _signals;

    public ExecutionDeskTests()
    {
        _desk = new ExecutionDesk(_clock, new ExecutionOptions(), _outbox, _events);
    }

    private long Now => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    private static User Commander(long id, FireMode mode = FireMode.Auto, AutoFireSettings? auto = null, string? ea = null) =>
        new(id, 1000 + id, Tier.Commander, Role.User, mode, auto ?? AutoFireSettings.Default, ea ?? $"EA_{id}", 0);

    private Signal Signal(double confidence, PatternType pattern = PatternType.BbScalp, Direction direction = Direction.Buy, string symbol = "EURUSD")
    {
        var now = Now;
        var sign = direction == Direction.Buy ? 1 : -1;
        return new Signal(SignalIds.Create(pattern.Class(), pattern, symbol, now) + "_" + (++_signals), symbol, new SymbolId(0), direction,
            1.1000, 1.1000 - (sign * 0.0020), 1.1000 + (sign * 0.0030), 20, 30, 1.5, confidence, pattern, 7, "LONDON", now, now + (30 * 60_000), now);
    }

    private void CheckIn(string ea, decimal balance = 10_000m, bool hello = true, IReadOnlyList<ReportedPosition>? positions = null,
        IReadOnlyList<string>? recent = null) =>
        Assert.True(_desk.OnCheckIn(new EaCheckIn(ea, hello, new AccountSnapshot(balance, balance, balance, "USD"), positions, [], recent)));

    private FillReport Filled(FireOrder fire, long ticket, double price = 1.1001) =>
        new(fire.FireId, fire.EaUuid, true, ticket, price, fire.Lot, "done", new AccountSnapshot(10_000m, 10_000m, 9_000m, "USD"));

    [Fact]
    public void ASignalMakesOneMissionPerEligibleUserAndAutoFiresOnlyInsideTheBand()
    {
        _desk.UpsertUser(Commander(1));                                            // AUTO 80–89
        _desk.UpsertUser(Commander(2, auto: AutoFireSettings.Default with { MinConfidence = 90, MaxConfidence = 95 }));
        _desk.UpsertUser(Commander(3, FireMode.Manual));
        _desk.UpsertUser(new User(4, 1004, Tier.Nibbler, Role.User, FireMode.Manual, AutoFireSettings.Default, "EA_4", 0));
        foreach (var ea in new[] { "EA_1", "EA_2", "EA_3", "EA_4" })
        {
            CheckIn(ea);
        }

        var sniper = Signal(85, PatternType.OrderBlockBounce);
        Assert.True(_desk.Accept(sniper));

        // SNIPER: the NIBBLER gets no mission; three commanders do; only user 1's band holds 85.
        Assert.Equal(3, _events.All.OfType<MissionCreated>().Count());
        Assert.Empty(_desk.MissionsOf(4));
        var fire = Assert.IsType<FireOrder>(Assert.Single(_outbox.Orders));
        Assert.Equal(1, fire.UserId);
        Assert.Equal("EA_1", fire.EaUuid);
        Assert.Equal(sniper.StopLoss, fire.StopLoss);
        Assert.Equal(sniper.TakeProfit, fire.TakeProfit);
        Assert.Equal(MissionStatus.Fired, Assert.Single(_desk.MissionsOf(1)).Status);
        Assert.Equal(MissionStatus.Pending, Assert.Single(_desk.MissionsOf(2)).Status);

        // The same signal again makes nothing new.
        Assert.False(_desk.Accept(sniper));
        Assert.Single(_outbox.Orders);
    }

    [Fact]
    public void FireIdsAreUniquePerUserAndMissionAndNeverTheSignalId()
    {
        _desk.UpsertUser(Commander(1));
        _desk.UpsertUser(Commander(2));
        CheckIn("EA_1");
        CheckIn("EA_2");

        var signal = Signal(85);
        _desk.Accept(signal);

        var fires = _outbox.Orders.OfType<FireOrder>().ToList();
        Assert.Equal(2, fires.Count);
        Assert.NotEqual(fires[0].FireId, fires[1].FireId);
        Assert.All(fires, f => Assert.NotEqual(signal.SignalId, f.FireId));
        Assert.All(fires, f => Assert.True(f.FireId.Length <= 31, "MT5 order comments hold 31 characters"));
    }

    [Fact]
    public void SlotsFillUpToTheLimitAndAreReleasedOnlyWhenThePositionCloses()
    {
        _desk.UpsertUser(Commander(1, auto: AutoFireSettings.Default with { MaxSlots = 2 }));
        CheckIn("EA_1");

        _desk.Accept(Signal(85, symbol: "EURUSD"));
        _desk.Accept(Signal(85, symbol: "GBPUSD"));
        _desk.Accept(Signal(85, symbol: "AUDUSD"));

        var fires = _outbox.Orders.OfType<FireOrder>().ToList();
        Assert.Equal(2, fires.Count);
        Assert.Contains(_events.All, e => e is FireFailed { Refusal: FireRefusal.NoFreeSlot });
        Assert.Equal(2, _desk.AccountOf(1)!.SlotsUsed);

        // A fill keeps the slot: held from fire until the position is closed.
        _desk.OnFill(Filled(fires[0], 5001));
        Assert.Equal(2, _desk.AccountOf(1)!.SlotsUsed);
        Assert.Single(_desk.PositionsOf(1));

        _desk.OnClose(new CloseReport(fires[0].FireId, "EA_1", 5001, 1.1030, 30m, "tp", new AccountSnapshot(10_030m, 10_030m, 10_000m, "USD")));
        Assert.Equal(1, _desk.AccountOf(1)!.SlotsUsed);
        Assert.Empty(_desk.PositionsOf(1));
        var closed = _desk.MissionsOf(1).Single(m => m.FireId == fires[0].FireId);
        Assert.Equal(MissionStatus.Closed, closed.Status);
        Assert.Equal(PositionCloseReason.TakeProfit, closed.CloseReason);
        Assert.Contains(_events.All, e => e is SlotReleased { Reason: SlotReleaseReason.Closed } r && r.FireId == fires[0].FireId);

        // The freed slot takes the next signal.
        _desk.Accept(Signal(85, symbol: "NZDUSD"));
        Assert.Equal(3, _outbox.Orders.OfType<FireOrder>().Count());
    }

    [Fact]
    public void AFailedFireGivesItsSlotBackWithItsReason()
    {
        _desk.UpsertUser(Commander(1));
        CheckIn("EA_1");
        _desk.Accept(Signal(85));
        var fire = _outbox.Orders.OfType<FireOrder>().Single();

        _desk.OnFill(new FillReport(fire.FireId, "EA_1", false, 0, 0, 0, "market closed", new AccountSnapshot(10_000m, 10_000m, 10_000m, "USD")));

        Assert.Equal(0, _desk.AccountOf(1)!.SlotsUsed);
        Assert.Equal(MissionStatus.Failed, _desk.MissionsOf(1).Single().Status);
        Assert.Contains(_events.All, e => e is SlotReleased { Reason: SlotReleaseReason.FireFailed });
        Assert.Equal(fire.FireId, Assert.Single(_outbox.Completions).FireId);
    }

    [Fact]
    public void ConfirmationsFromTheWrongEaOrForUnknownFiresAreNotTrustedAndRepeatsAreIgnored()
    {
        _desk.UpsertUser(Commander(1));
        _desk.UpsertUser(Commander(2, FireMode.Manual));
        CheckIn("EA_1");
        _desk.Accept(Signal(85));
        var fire = _outbox.Orders.OfType<FireOrder>().Single();

        _desk.OnFill(Filled(fire, 7001) with { EaUuid = "EA_2" });
        _desk.OnFill(Filled(fire, 7001) with { FireId = "F9-9" });
        Assert.Empty(_desk.PositionsOf(1));
        Assert.Equal(2, _desk.Counts.UnmatchedReports);

        _desk.OnFill(Filled(fire, 7001));
        _desk.OnFill(Filled(fire, 7002));
        Assert.Equal(7001, Assert.Single(_desk.PositionsOf(1)).Ticket);
        Assert.Equal(1, _desk.Counts.DuplicateReports);
    }

    [Fact]
    public void AnUnconfirmedFireIsResentWithTheSameIdWhenTheEaSaysHelloAgain()
    {
        _desk.UpsertUser(Commander(1));
        CheckIn("EA_1");
        _desk.Accept(Signal(85));
        var first = _outbox.Orders.OfType<FireOrder>().Single();

        CheckIn("EA_1", hello: false); // a heartbeat is not a reconnect
        Assert.Single(_outbox.Orders);

        CheckIn("EA_1", hello: true);
        var again = Assert.IsType<FireOrder>(_outbox.Orders[1]);
        Assert.Equal(first.FireId, again.FireId);
        Assert.Equal(2, again.Attempt);

        // Once confirmed, a later HELLO sends nothing.
        _desk.OnFill(Filled(first, 8001));
        CheckIn("EA_1", hello: true, positions: [new ReportedPosition(8001, first.FireId, "EURUSD", Direction.Buy, first.Lot, 1.1, 1.098, 1.103)]);
        Assert.Equal(2, _outbox.Orders.Count);
        Assert.Single(_desk.PositionsOf(1));
    }

    [Fact]
    public void HeartbeatsReconcilePositions()
    {
        _desk.UpsertUser(Commander(1));
        CheckIn("EA_1");
        _desk.Accept(Signal(85, symbol: "EURUSD"));
        _desk.Accept(Signal(85, symbol: "GBPUSD"));
        var fires = _outbox.Orders.OfType<FireOrder>().ToList();
        _desk.OnFill(Filled(fires[0], 9001));

        // The second fill's confirmation was lost, but the heartbeat shows its position under our fire id; and an
        // unknown position carrying our comment is adopted and flagged.
        _clock.Advance(TimeSpan.FromSeconds(90));
        CheckIn("EA_1", hello: false, positions:
        [
            new ReportedPosition(9001, fires[0].FireId, "EURUSD", Direction.Buy, fires[0].Lot, 1.1, 1.098, 1.103),
            new ReportedPosition(9002, fires[1].FireId, "GBPUSD", Direction.Buy, fires[1].Lot, 1.1, 1.098, 1.103),
            new ReportedPosition(9003, "F77-1", "USDJPY", Direction.Sell, 0.1m, 150, 151, 148),
        ]);
        var positions = _desk.PositionsOf(1);
        Assert.Equal([9001L, 9002L, 9003L], positions.Select(p => p.Ticket));
        // The journal learns of the fill the heartbeat proved, or it would hold that fire as unconfirmed for ever.
        Assert.Contains((fires[1].FireId, true), _outbox.Completions);
        Assert.True(positions.Single(p => p.Ticket == 9003).Adopted);
        Assert.Equal(3, _desk.AccountOf(1)!.SlotsUsed);

        // A position gone from the heartbeat is closed and its slot released with that reason.
        _clock.Advance(TimeSpan.FromSeconds(90));
        CheckIn("EA_1", hello: false, positions: [new ReportedPosition(9002, fires[1].FireId, "GBPUSD", Direction.Buy, fires[1].Lot, 1.1, 1.098, 1.103)]);
        Assert.Equal([9002L], _desk.PositionsOf(1).Select(p => p.Ticket));
        Assert.Contains(_events.All, e => e is SlotReleased { Reason: SlotReleaseReason.MissingFromHeartbeat });
    }

    [Fact]
    public void APositionFilledJustBeforeAHeartbeatThatMissesItIsKept()
    {
        _desk.UpsertUser(Commander(1));
        CheckIn("EA_1");
        _desk.Accept(Signal(85));
        var fire = _outbox.Orders.OfType<FireOrder>().Single();
        _desk.OnFill(Filled(fire, 9101));

        CheckIn("EA_1", hello: false, positions: []);

        Assert.Single(_desk.PositionsOf(1));
    }

    [Fact]
    public void PendingMissionsExpireAndCanNoLongerBeFired()
    {
        _desk.UpsertUser(Commander(1, FireMode.Manual));
        CheckIn("EA_1");
        _desk.Accept(Signal(85));
        var mission = _desk.MissionsOf(1).Single();

        _clock.Advance(TimeSpan.FromMinutes(30));
        _desk.OnClock(Now);

        Assert.Equal(MissionStatus.Expired, _desk.MissionsOf(1).Single().Status);
        var result = _desk.Fire(1, mission.MissionId);
        Assert.Equal(FireRefusal.Expired, result.Verdict.Refusal);
        Assert.Empty(_outbox.Orders);
    }

    [Fact]
    public void AManualFireIsOneTimeAndAnUnknownMissionIsNotFound()
    {
        _desk.UpsertUser(Commander(1, FireMode.Manual));
        CheckIn("EA_1");
        _desk.Accept(Signal(85));
        var mission = _desk.MissionsOf(1).Single();

        var first = _desk.Fire(1, mission.MissionId);
        var second = _desk.Fire(1, mission.MissionId);

        Assert.True(first.Verdict.Fires);
        Assert.Equal(FireRefusal.AlreadyFired, second.Verdict.Refusal);
        Assert.False(_desk.Fire(1, "nope").MissionFound);
        Assert.False(_desk.Fire(2, mission.MissionId).MissionFound);
        Assert.Single(_outbox.Orders);
    }

    [Fact]
    public void ASilentEaGetsNoFires()
    {
        _desk.UpsertUser(Commander(1));
        CheckIn("EA_1");
        _clock.Advance(TimeSpan.FromSeconds(121));

        _desk.Accept(Signal(85));

        Assert.Empty(_outbox.Orders);
        Assert.Contains(_events.All, e => e is FireFailed { Refusal: FireRefusal.EaNotSeen });
    }

    [Fact]
    public void AHardStopClosesEverythingAndASoftStopOnlyStopsNewFires()
    {
        _desk.UpsertUser(Commander(1));
        _desk.UpsertUser(Commander(2));
        CheckIn("EA_1");
        CheckIn("EA_2");
        _desk.Accept(Signal(85));
        foreach (var fire in _outbox.Orders.OfType<FireOrder>().ToList())
        {
            _desk.OnFill(Filled(fire, fire.UserId == 1 ? 1 : 2));
        }

        _desk.SetEmergencyStop(EmergencyStop.Soft);
        _desk.Accept(Signal(85, symbol: "GBPUSD"));
        Assert.Equal(2, _outbox.Orders.Count);

        _desk.SetEmergencyStop(EmergencyStop.Hard);
        var closes = _outbox.Orders.OfType<CloseAllOrder>().Select(c => c.EaUuid).ToList();
        Assert.Equal(["EA_1", "EA_2"], closes);

        // The closes come back as MANUAL closes and every slot is free again.
        _desk.OnClose(new CloseReport(null, "EA_1", 1, 1.1005, 5m, "closed", new AccountSnapshot(10_005m, 10_005m, 10_005m, "USD")));
        _desk.OnClose(new CloseReport(null, "EA_2", 2, 1.1005, 5m, "closed", new AccountSnapshot(10_005m, 10_005m, 10_005m, "USD")));
        Assert.Equal(0, _desk.AccountOf(1)!.SlotsUsed + _desk.AccountOf(2)!.SlotsUsed);
        Assert.All(_desk.MissionsOf(1).Where(m => m.Status == MissionStatus.Closed), m => Assert.Equal(PositionCloseReason.Manual, m.CloseReason));
    }

    [Fact]
    public void ClosingByTicketFireIdOrAllSendsTheRightOrders()
    {
        _desk.UpsertUser(Commander(1));
        CheckIn("EA_1");
        _desk.Accept(Signal(85));
        var fire = _outbox.Orders.OfType<FireOrder>().Single();
        _desk.OnFill(Filled(fire, 4242));

        Assert.Equal(1, _desk.Close(1, 4242, null, all: false));
        Assert.Equal(1, _desk.Close(1, null, fire.FireId, all: false));
        Assert.Equal(-1, _desk.Close(1, 999, null, all: false));
        Assert.Equal(1, _desk.Close(1, null, null, all: true));
        Assert.Equal(2, _outbox.Orders.OfType<CloseTicketOrder>().Count(c => c.Ticket == 4242));
        Assert.Single(_outbox.Orders.OfType<CloseAllOrder>());
    }

    [Fact]
    public void AUserWithoutAnEaIsRefusedAndNothingGoesToAnotherUsersEa()
    {
        _desk.UpsertUser(Commander(1) with { EaUuid = null });
        _desk.UpsertUser(Commander(2, FireMode.Manual));
        CheckIn("EA_2");

        _desk.Accept(Signal(85));

        Assert.Empty(_outbox.Orders);
        Assert.Contains(_events.All, e => e is FireFailed { UserId: 1, Refusal: FireRefusal.NoEa });
    }

    [Fact]
    public void AfterARestartTheDeskResumesFromItsSnapshotAndTheJournalAndSendsNothingTheEaAlreadyExecuted()
    {
        _desk.UpsertUser(Commander(1));
        CheckIn("EA_1");
        _desk.Accept(Signal(85, symbol: "EURUSD"));
        _desk.Accept(Signal(85, symbol: "GBPUSD"));
        var fires = _outbox.Orders.OfType<FireOrder>().ToList();
        _desk.OnFill(Filled(fires[0], 6001));
        var snapshot = _desk.Snapshot();
        // A third fire was committed to the journal after the snapshot, just before the crash.
        _desk.Accept(Signal(85, symbol: "AUDUSD"));
        var journalOnly = _outbox.Orders.OfType<FireOrder>().Last();

        var outbox = new RecordingOutbox();
        var restarted = new ExecutionDesk(_clock, new ExecutionOptions(), outbox, _events);
        restarted.UpsertUser(Commander(1));
        restarted.Restore(snapshot, [fires[1], journalOnly], s => s);
        Assert.Equal(3, restarted.AccountOf(1)!.SlotsUsed);
        Assert.Equal(6001, Assert.Single(restarted.PositionsOf(1)).Ticket);

        // The EA's first word after the restart is a heartbeat: the GBPUSD fire was executed and already closed while
        // the server was down; the AUDUSD fire never arrived. Only the AUDUSD fire goes again.
        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.True(restarted.OnCheckIn(new EaCheckIn("EA_1", false, new AccountSnapshot(10_000m, 10_000m, 10_000m, "USD"),
            [new ReportedPosition(6001, fires[0].FireId, "EURUSD", Direction.Buy, fires[0].Lot, 1.1, 1.098, 1.103)], [], [fires[0].FireId, fires[1].FireId])));
        var resent = Assert.IsType<FireOrder>(Assert.Single(outbox.Orders));
        Assert.Equal(journalOnly.FireId, resent.FireId);
        Assert.Equal(2, restarted.AccountOf(1)!.SlotsUsed);
        Assert.Contains(_events.All, e => e is SlotReleased r && r.FireId == fires[1].FireId);

        // New fire ids never collide with the restored ones.
        restarted.Accept(Signal(85, symbol: "NZDUSD"));
        var next = outbox.Orders.OfType<FireOrder>().Last();
        Assert.DoesNotContain(next.FireId, fires.Select(f => f.FireId).Append(journalOnly.FireId));
    }

    [Fact]
    public void WhenTheStoreIsNewerThanTheCheckpointItsEndingsAndPositionsWinAndNothingIsSentAgain()
    {
        _desk.UpsertUser(Commander(1));
        CheckIn("EA_1");
        foreach (var symbol in new[] { "EURUSD", "GBPUSD", "AUDUSD", "NZDUSD" })
        {
            _desk.Accept(Signal(85, symbol: symbol));
        }

        // The checkpoint has all four in flight; after it, the journal saw one fill and one failure, and the positions
        // projection saw a third fill whose confirmation never reached the journal. The fourth is still unconfirmed.
        var snapshot = _desk.Snapshot();
        var fires = _outbox.Orders.OfType<FireOrder>().ToList();
        var outbox = new RecordingOutbox();
        var events = new RecordingObserver();
        var restarted = new ExecutionDesk(_clock, new ExecutionOptions(), outbox, events);
        restarted.UpsertUser(Commander(1));
        var fromProjection = new OpenPosition(7003, fires[2].FireId, 1, "AUDUSD", Direction.Buy, fires[2].Lot, 0.65, 0.64, 0.66, Now - 60_000, Adopted: false);
        restarted.Restore(snapshot, [fires[3]], s => s,
            [new FireEnding(fires[0].FireId, true, 7001, 1.1001, "filled"), new FireEnding(fires[1].FireId, false, null, null, "no money")],
            [fromProjection]);

        Assert.Equal([7001L, 7003L], restarted.PositionsOf(1).Select(p => p.Ticket));
        // Two positions and one fire in flight hold slots; the failed fire's slot was released with its reason.
        Assert.Equal(3, restarted.AccountOf(1)!.SlotsUsed);
        Assert.Contains(events.All, e => e is SlotReleased r && r.FireId == fires[1].FireId);
        Assert.Contains(events.All, e => e is FireFilled r && r.FireId == fires[0].FireId);
        Assert.Equal(MissionStatus.Failed, restarted.MissionsOf(1).Single(m => m.FireId == fires[1].FireId).Status);
        // The projection's fill is journalled now, so no later start finds it unconfirmed.
        Assert.Contains((fires[2].FireId, true), outbox.Completions);

        // On the EA's return only the one still unconfirmed goes again.
        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.True(restarted.OnCheckIn(new EaCheckIn("EA_1", true, new AccountSnapshot(10_000m, 10_000m, 10_000m, "USD"),
            [new ReportedPosition(7001, fires[0].FireId, "EURUSD", Direction.Buy, fires[0].Lot, 1.1001, 1.098, 1.103),
             new ReportedPosition(7003, fires[2].FireId, "AUDUSD", Direction.Buy, fires[2].Lot, 0.65, 0.64, 0.66)], [])));
        Assert.Equal(fires[3].FireId, Assert.IsType<FireOrder>(Assert.Single(outbox.Orders)).FireId);
    }

    [Fact]
    public void AReplayedSignalsWindowCountsFromWhenItArrivedNotFromItsRecordedTime()
    {
        _desk.UpsertUser(Commander(1));
        CheckIn("EA_1");
        // Ticks recorded ten years ago, replayed now: the feed lags our clock by ten years.
        var tenYears = TimeSpan.FromDays(3650);
        var recorded = Now - (long)tenYears.TotalMilliseconds;
        _desk.OnTick(new Bitten.Domain.Market.Tick(new SymbolId(0), 1.1, 1.1001, recorded, Now));
        var signal = Signal(85) is var s ? s with { TimestampMs = recorded, ExpiresAtMs = recorded + (30 * 60_000) } : null!;

        _desk.Accept(signal);

        var mission = Assert.Single(_desk.MissionsOf(1));
        Assert.Equal(Now + (30 * 60_000), mission.ExpiresAtMs);
        Assert.Equal(MissionStatus.Fired, mission.Status);
    }

    [Fact]
    public void AnEaThatBelongsToNoUserIsRefused()
    {
        Assert.False(_desk.OnCheckIn(new EaCheckIn("STRANGER", true, new AccountSnapshot(1m, 1m, 1m, "USD"), null, [])));
    }

    [Fact]
    public void ASymbolWithoutATradingSpecRefusesEveryAutoUserAndTheFanOutCompletes()
    {
        foreach (var id in new long[] { 1, 2, 3 })
        {
            _desk.UpsertUser(Commander(id));
            CheckIn($"EA_{id}");
        }

        // ZZZUSD: not in the catalogue, and no EA has reported it.
        var signal = Signal(85, symbol: "ZZZUSD");
        Assert.True(_desk.Accept(signal));

        Assert.Empty(_outbox.Orders);
        var refused = _events.All.OfType<FireFailed>().ToList();
        Assert.Equal([1L, 2L, 3L], refused.Select(r => r.UserId));
        Assert.All(refused, r => Assert.Equal(FireRefusal.NoTradingSpec, r.Refusal));
        foreach (var id in new long[] { 1, 2, 3 })
        {
            var mission = Assert.Single(_desk.MissionsOf(id));
            Assert.Equal(MissionStatus.Pending, mission.Status);
            Assert.Equal(FireRefusal.NoTradingSpec, mission.LastRefusal?.Refusal);
            Assert.Contains("ZZZUSD", mission.LastRefusal!.Message, StringComparison.Ordinal);
        }

        // Once the EA reports the symbol's spec, the same user's next signal fires.
        Assert.True(_desk.OnCheckIn(new EaCheckIn("EA_1", false, new AccountSnapshot(10_000m, 10_000m, 10_000m, "USD"), null,
            [TradingSpecs.FromReport("ZZZUSD", 5, 1m, 0.00001, 0.01m, 0.01m, 100m)!])));
        _clock.Advance(TimeSpan.FromMinutes(1));
        _desk.Accept(Signal(85, symbol: "ZZZUSD"));
        Assert.Equal(1L, Assert.IsType<FireOrder>(Assert.Single(_outbox.Orders)).UserId);
    }

    [Fact]
    public void AManualFireComesBackAsManualAfterARestartAndIsResentAsManual()
    {
        _desk.UpsertUser(Commander(1, FireMode.Manual));
        CheckIn("EA_1");
        var signal = Signal(85);
        _desk.Accept(signal);
        var result = _desk.Fire(1, MissionStatuses.MissionId(signal.SignalId, 1));
        Assert.True(result.Verdict.Fires);
        Assert.Equal(FireSource.Manual, Assert.IsType<FireOrder>(Assert.Single(_outbox.Orders)).Source);

        // Through the checkpoint (JSON, as the checkpointer stores it) and back.
        var json = System.Text.Json.JsonSerializer.Serialize(_desk.Snapshot());
        var snapshot = System.Text.Json.JsonSerializer.Deserialize<DeskSnapshot>(json)!;
        var outbox = new RecordingOutbox();
        var events = new RecordingObserver();
        var restarted = new ExecutionDesk(_clock, new ExecutionOptions(), outbox, events);
        restarted.UpsertUser(Commander(1, FireMode.Manual));
        restarted.Restore(snapshot, [], s => s);
        Assert.True(restarted.OnCheckIn(new EaCheckIn("EA_1", true, new AccountSnapshot(10_000m, 10_000m, 10_000m, "USD"), [], [])));

        var resent = Assert.IsType<FireOrder>(Assert.Single(outbox.Orders));
        Assert.Equal((result.FireId, 2, FireSource.Manual), (resent.FireId, resent.Attempt, resent.Source));
        Assert.Equal(FireSource.Manual, Assert.Single(events.All.OfType<FireSent>()).Source);
    }

    [Fact]
    public void TheEaRefusingAFireIsTheMissionsLastRefusal()
    {
        _desk.UpsertUser(Commander(1));
        CheckIn("EA_1");
        _desk.Accept(Signal(85));
        var fire = Assert.IsType<FireOrder>(Assert.Single(_outbox.Orders));

        _desk.OnFill(new FillReport(fire.FireId, "EA_1", false, 0, 0, 0, "Not enough money", new AccountSnapshot(10_000m, 10_000m, 10_000m, "USD")));

        var mission = Assert.Single(_desk.MissionsOf(1));
        Assert.Equal(MissionStatus.Failed, mission.Status);
        Assert.Equal(new MissionRefusal(FireRefusal.EaRefused, "Not enough money"), mission.LastRefusal);
        var failed = Assert.Single(_events.All.OfType<FireFailed>());
        Assert.Equal((fire.FireId, FireRefusal.EaRefused), (failed.FireId, failed.Refusal));
        // A repeated confirmation of an ended fire is a duplicate, not a stranger.
        _desk.OnFill(new FillReport(fire.FireId, "EA_1", false, 0, 0, 0, "again", new AccountSnapshot(10_000m, 10_000m, 10_000m, "USD")));
        Assert.Equal((1L, 0L), (_desk.Counts.DuplicateReports, _desk.Counts.UnmatchedReports));
    }

    [Fact]
    public void FinishedStateLeavesMemoryOnceItsRetentionHasPassed()
    {
        var options = new ExecutionOptions { RetainFinishedHours = 1, FinishedMissionsPerUser = 3 };
        var desk = new ExecutionDesk(_clock, options, _outbox, _events);
        for (var id = 1; id <= 5; id++)
        {
            desk.UpsertUser(Commander(id, auto: AutoFireSettings.Default with { MaxSlots = 100 }));
        }

        long ticket = 0;
        for (var round = 0; round < 40; round++)
        {
            for (var id = 1; id <= 5; id++)
            {
                Assert.True(desk.OnCheckIn(new EaCheckIn($"EA_{id}", false, new AccountSnapshot(10_000m, 10_000m, 10_000m, "USD"), null, [])));
            }

            _outbox.Orders.Clear();
            desk.Accept(Signal(85));
            foreach (var fire in _outbox.Orders.OfType<FireOrder>().ToList())
            {
                desk.OnFill(Filled(fire, ++ticket));
                desk.OnClose(new CloseReport(fire.FireId, fire.EaUuid, ticket, 1.1030, 30m, "tp", new AccountSnapshot(10_000m, 10_000m, 10_000m, "USD")));
            }

            _clock.Advance(TimeSpan.FromMinutes(10));
            desk.OnClock(Now);
        }

        var footprint = desk.Footprint;
        // 40 signals × 5 users became 200 closed missions and 200 ended fires; memory keeps at most 3 finished missions per
        // user, the ended fire ids of the last hour (6 rounds of 10 minutes) and the signal ids whose 30-minute window
        // closed within the last hour (9 rounds).
        Assert.Equal(200, desk.Counts.Closed);
        Assert.True(footprint.Missions <= 5 * 3, $"missions in memory: {footprint.Missions}");
        Assert.True(footprint.EndedFireIds <= 5 * 6, $"ended fire ids in memory: {footprint.EndedFireIds}");
        Assert.True(footprint.SignalIds <= 9, $"signal ids in memory: {footprint.SignalIds}");
        Assert.Equal(0, footprint.LiveFires);
        Assert.True(footprint.PendingExpiries <= 5 * 3, $"queued expiries: {footprint.PendingExpiries}");
        Assert.Equal(3, desk.MissionsOf(1).Count);
    }

    [Fact]
    public void AFireNeverConfirmedGivesItsSlotBackAtTheOrphanTimeoutAndAYoungerOneStays()
    {
        _desk.UpsertUser(Commander(1));
        CheckIn("EA_1");
        _desk.Accept(Signal(85));
        _clock.Advance(TimeSpan.FromMinutes(30));
        CheckIn("EA_1", hello: false);
        _desk.Accept(Signal(85, symbol: "GBPUSD"));
        var fires = _outbox.Orders.OfType<FireOrder>().ToList();
        Assert.Equal(2, _desk.AccountOf(1)!.SlotsUsed);

        // One minute short of the 4 h timeout for the first: nothing moves.
        _clock.Advance(TimeSpan.FromMinutes(209));
        _desk.OnClock(Now);
        Assert.Empty(_events.All.OfType<SlotReleased>());

        _clock.Advance(TimeSpan.FromMinutes(1));
        _desk.OnClock(Now);

        var released = Assert.Single(_events.All.OfType<SlotReleased>());
        Assert.Equal((fires[0].FireId, SlotReleaseReason.OrphanTimeout), (released.FireId, released.Reason));
        Assert.Contains((fires[0].FireId, false), _outbox.Completions);
        Assert.Equal(MissionStatus.Failed, _desk.MissionsOf(1).Single(m => m.FireId == fires[0].FireId).Status);
        Assert.Equal(1, _desk.AccountOf(1)!.SlotsUsed);
        Assert.Equal(1, _desk.Counts.Failed);
    }

    [Fact]
    public void ASignalsAutoFiresLeaveAsOneBatchBeforeAnyOfItsEventsIsTold()
    {
        // What the store-before-send rule rests on: the outbox gets every fire of the signal in one piece (one
        // commit) before the observer hears of a single mission, so no mission is durable ahead of its fire's batch.
        var timeline = new List<string>();
        var outbox = new TimelineOutbox(timeline);
        var desk = new ExecutionDesk(_clock, new ExecutionOptions(), outbox, new TimelineObserver(timeline));
        for (var id = 1; id <= 50; id++)
        {
            desk.UpsertUser(Commander(id, id % 5 == 0 ? FireMode.Manual : FireMode.Auto));
            Assert.True(desk.OnCheckIn(new EaCheckIn($"EA_{id}", true, new AccountSnapshot(10_000m, 10_000m, 10_000m, "USD"), [], [])));
        }

        timeline.Clear();
        Assert.True(desk.Accept(Signal(85)));

        Assert.Equal("batch:40", timeline[0]);
        Assert.DoesNotContain(timeline.Skip(1), t => t.StartsWith("batch:", StringComparison.Ordinal) || t == "single");
        Assert.Equal(50, timeline.Count(t => t == nameof(MissionCreated)));
        Assert.Equal(40, timeline.Count(t => t == nameof(FireSent)));
        Assert.Equal(40, outbox.Orders.Select(o => o.FireId).Distinct(StringComparer.Ordinal).Count());

        // A trader's own FIRE outside a signal's fan-out is sent alone, and still before its event.
        timeline.Clear();
        var manual = desk.MissionsOf(5).Single();
        Assert.Equal(FireRefusal.None, desk.Fire(5, manual.MissionId).Verdict.Refusal);
        Assert.Equal(["single", nameof(FireSent)], timeline.Where(t => t is "single" or nameof(FireSent) || t.StartsWith("batch:", StringComparison.Ordinal)));
    }

    private sealed class TimelineOutbox(List<string> timeline) : IExecutionOutbox
    {
        public List<FireOrder> Orders { get; } = [];

        public void Send(EaOrder order)
        {
            timeline.Add("single");
            Orders.Add((FireOrder)order);
        }

        public void Send(IReadOnlyList<EaOrder> orders)
        {
            timeline.Add($"batch:{orders.Count}");
            Orders.AddRange(orders.Cast<FireOrder>());
        }

        public void Completed(string fireId, bool filled, long? ticket, double? price, string? message)
        {
        }
    }

    private sealed class TimelineObserver(List<string> timeline) : IExecutionObserver
    {
        public void OnEvent(TradingEvent e) => timeline.Add(e.GetType().Name);
    }

    [Theory]
    [InlineData(10, 9_999, false)]
    [InlineData(10, 10_000, true)]
    [InlineData(10, 600_000, true)]
    [InlineData(2, 1_999, false)]
    [InlineData(2, 2_000, true)]
    [InlineData(0, 600_000, false)]
    public void AHeartbeatResendsOnlyAFireUnconfirmedForResendAfterSeconds(int resendAfter, int heartbeatAfterMs, bool resent)
    {
        var desk = new ExecutionDesk(_clock, new ExecutionOptions { ResendAfterSeconds = resendAfter }, _outbox, _events);
        desk.UpsertUser(Commander(1));
        Assert.True(desk.OnCheckIn(new EaCheckIn("EA_1", true, new AccountSnapshot(10_000m, 10_000m, 10_000m, "USD"), [], [])));
        Assert.True(desk.Accept(Signal(85)));
        var fire = Assert.IsType<FireOrder>(Assert.Single(_outbox.Orders));

        _clock.Advance(TimeSpan.FromMilliseconds(heartbeatAfterMs));
        Assert.True(desk.OnCheckIn(new EaCheckIn("EA_1", false, new AccountSnapshot(10_000m, 10_000m, 10_000m, "USD"), null, [])));

        Assert.Equal(resent ? 2 : 1, _outbox.Orders.Count);
        if (resent)
        {
            // The same fire, one attempt more: the EA executes a fire_id once, so this can only recover a lost one.
            Assert.Equal(fire with { Attempt = 2 }, _outbox.Orders[1]);
            Assert.Equal(2, _events.All.OfType<FireSent>().Count(e => e.FireId == fire.FireId));

            // Measured from that resend: the next heartbeat at once sends nothing more.
            Assert.True(desk.OnCheckIn(new EaCheckIn("EA_1", false, new AccountSnapshot(10_000m, 10_000m, 10_000m, "USD"), null, [])));
            Assert.Equal(2, _outbox.Orders.Count);
        }

        // A HELLO resends whatever is unconfirmed, however recent.
        Assert.True(desk.OnCheckIn(new EaCheckIn("EA_1", true, new AccountSnapshot(10_000m, 10_000m, 10_000m, "USD"), [], [])));
        Assert.Equal(fire.FireId, Assert.IsType<FireOrder>(_outbox.Orders[^1]).FireId);
        Assert.Equal(resent ? 3 : 2, _outbox.Orders.Count);
    }

    [Theory]
    [InlineData(FireRefusal.AlreadyFired)]
    [InlineData(FireRefusal.NotStored)]
    public void AFireTheStoreWouldNotKeepFailsWithItsReasonAndIsNeverResent(FireRefusal refusal)
    {
        _desk.UpsertUser(Commander(1));
        CheckIn("EA_1");
        Assert.True(_desk.Accept(Signal(85)));
        var fire = Assert.IsType<FireOrder>(Assert.Single(_outbox.Orders));
        Assert.Equal(1, _desk.AccountOf(1)!.SlotsUsed);

        _desk.OnNotSent(fire.FireId, refusal, "not kept");

        var failed = Assert.Single(_events.All.OfType<FireFailed>());
        Assert.Equal((fire.FireId, refusal, "not kept"), (failed.FireId, failed.Refusal, failed.Message));
        Assert.Equal(0, _desk.AccountOf(1)!.SlotsUsed);
        Assert.Equal(new MissionRefusal(refusal, "not kept"), Assert.Single(_desk.MissionsOf(1)).LastRefusal);
        // The journal has no row for it: nothing is completed there. A later check-in never sends it.
        Assert.Empty(_outbox.Completions);
        _clock.Advance(TimeSpan.FromMinutes(5));
        CheckIn("EA_1", hello: false);
        CheckIn("EA_1");
        Assert.Single(_outbox.Orders);
        // Said twice (the outbox and a retry of it), it fails once.
        _desk.OnNotSent(fire.FireId, refusal, "not kept");
        Assert.Single(_events.All.OfType<FireFailed>());
    }

    private sealed class RecordingOutbox : IExecutionOutbox
    {
        public List<EaOrder> Orders { get; } = [];

        public List<(string FireId, bool Filled)> Completions { get; } = [];

        public void Send(EaOrder order) => Orders.Add(order);

        public void Completed(string fireId, bool filled, long? ticket, double? price, string? message) => Completions.Add((fireId, filled));
    }

    private sealed class RecordingObserver : IExecutionObserver
    {
        public List<TradingEvent> All { get; } = [];

        public void OnEvent(TradingEvent e) => All.Add(e);
    }
}
