using Bitten.Engine.Tracking;
using System.Text.Json;
using Bitten.Domain.Events;
using Bitten.Domain.Market;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Domain.Trading;
using Bitten.Domain.Users;
using Bitten.Engine.Execution;
using Bitten.Engine.Kernel;
using Bitten.Engine.Signals;
using Bitten.Host.Execution;
using Bitten.Persistence;
using Bitten.Persistence.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bitten.Host.Tests;

public sealed class SignalHistoryTests
{
    [Fact]
    public void LoadsSignalsAndOutcomesFromStoredEventsAndSkipsWhatItCannotRead()
    {
        var history = new SignalHistory();
        var events = new[]
        {
            Stored(EventTypes.SignalGenerated, """{"signal_id":"S1","symbol":"EURUSD","direction":"BUY","pattern_type":"BB_SCALP","entry_price":1.1,"sl":1.098,"tp":1.103,"confidence":85,"expires_at":1704191400000}"""),
            Stored(EventTypes.SignalGenerated, """{"signal_id":"S2","symbol":"XAUUSD","direction":"SELL","pattern_type":"BB_SCALP","entry_price":2050,"sl":2052,"tp":2046,"confidence":82,"expires_at":1704191400000}"""),
            Stored(EventTypes.SignalResolved, """{"signal_id":"S2","outcome":"LOSS","exit_price":2052,"pips":-20}"""),
            Stored(EventTypes.SignalGenerated, "{not json"),
        };

        var loaded = history.Load(events, new SymbolRegistry());

        Assert.Equal(2, loaded);
        Assert.Equal(1, history.SkippedOnLoad);
        Assert.True(history.IsOpen("S1"));
        Assert.False(history.IsOpen("S2"));
        Assert.Equal((Outcome.Loss, -20.0), (history.Snapshot()[1].Outcome!.Value.Outcome, history.Snapshot()[1].Outcome!.Value.Pips));
        Assert.Equal(Direction.Sell, history.SignalOf("S2")?.Direction);
    }

    [Fact]
    public void ASignalSeenTwiceIsKeptOnceAndTheSnapshotIsACopy()
    {
        var history = new SignalHistory();
        var signal = Signals.Make("EURUSD", 1);
        history.OnSignal(signal);
        var before = history.Snapshot();
        history.AddRange([signal, Signals.Make("EURUSD", 2)]);

        Assert.Single(before);
        Assert.Equal(2, history.Snapshot().Count);
    }

    [Fact]
    public void ASignalsScoreComesBackFromTheEventLogWithIt()
    {
        var score = new SignalScore(70, 5.5, 3.25, 2, 8, -0.05, 1.3, 8.3, 3.5, 3, 1.3, 0.5);
        var signal = Signals.Make("EURUSD", 1) with { Score = score };
        var envelope = Bitten.Wire.Events.TradingEventJson.ToEnvelope(new SignalRaised(signal));
        var history = new SignalHistory();

        Assert.Equal(1, history.Load([Stored(envelope.EventType, envelope.DataJson)], new SymbolRegistry()));
        Assert.Equal(score, history.SignalOf(signal.SignalId)?.Score);
    }

    [Fact]
    public void ResolvedSignalsOlderThanTheRetentionBehindTheNewestAreLetGoAndTallied()
    {
        var history = new SignalHistory();
        var day = 86_400_000L;
        var old = Signals.Make("EURUSD", 1);
        var oldOpen = Signals.Make("EURUSD", 2);
        var lost = Signals.Make("EURUSD", 3, pattern: PatternType.VcbBreakout);
        history.AddRange([old, oldOpen, lost]);
        history.OnResolved(Signals.Win(old, Signals.Start + 60_000));
        history.OnResolved(new SignalOutcome(lost.SignalId, Outcome.Loss, lost.StopLoss, Signals.Start + 60_000, -20, 10, 2, 20));

        // Just inside the 7 days, nothing goes; an hour past them, the two resolved ones go and the open one stays.
        history.OnSignal(Signals.Make("EURUSD", 4, Signals.Start + (7 * day) - 10));
        Assert.Equal(4, history.Count);
        history.OnSignal(Signals.Make("EURUSD", 5, Signals.Start + (7 * day) + 3_600_000));

        Assert.Equal(3, history.Count);
        Assert.Null(history.SignalOf(old.SignalId));
        Assert.Null(history.SignalOf(lost.SignalId));
        Assert.True(history.IsOpen(oldOpen.SignalId));
        Assert.Equal(new[] { (PatternType.BbScalp, 1, 1), (PatternType.VcbBreakout, 1, 0) }, history.Earlier.OrderBy(e => e.Pattern).ToArray());
        // The index follows the compaction: what is left is still found and resolves.
        history.OnResolved(Signals.Win(oldOpen, Signals.Start + (8 * day)));
        Assert.False(history.IsOpen(oldOpen.SignalId));
        Assert.Equal(oldOpen.SignalId, history.Snapshot()[0].Signal.SignalId);
    }

    [Fact]
    public void BeyondTheCapTheOldestResolvedGoFirstAndOpenOnesStay()
    {
        var history = new SignalHistory(TimeSpan.FromDays(7), maxResolved: 80);
        var open = Signals.Make("EURUSD", 0);
        history.OnSignal(open);
        for (var i = 1; i <= 200; i++)
        {
            var signal = Signals.Make("EURUSD", i);
            history.OnSignal(signal);
            history.OnResolved(Signals.Win(signal, Signals.Start + i));
            Assert.True(history.Snapshot().Count(t => t.Outcome is not null) <= 80);
        }

        var kept = history.Snapshot();
        Assert.True(history.IsOpen(open.SignalId));
        Assert.Equal(Signals.Make("EURUSD", 200).SignalId, kept[^1].Signal.SignalId);
        // The kept resolved are the newest, in order, and everything let go is tallied.
        var resolved = kept.Where(t => t.Outcome is not null).Select(t => t.Signal.TimestampMs).ToList();
        Assert.Equal(resolved.Order(), resolved);
        Assert.Equal(200, history.Earlier.Single().Resolved + resolved.Count);
        Assert.InRange(resolved.Count, 70, 80);
    }

    [Fact]
    public void TheSwitchboardCountsWhatTheHistoryLetGo()
    {
        var history = new SignalHistory(TimeSpan.FromDays(7), maxResolved: 8);
        for (var i = 1; i <= 30; i++)
        {
            var signal = Signals.Make("EURUSD", i);
            history.OnSignal(signal);
            history.OnResolved(new SignalOutcome(signal.SignalId, Outcome.Loss, signal.StopLoss, Signals.Start + i, -20, 10, 2, 20));
        }

        var counted = new PatternSwitchboard();
        counted.Preload(history.Snapshot(), history.Earlier);
        var keptOnly = new PatternSwitchboard();
        keptOnly.Preload(history.Snapshot());

        // 30 losses switch the pattern off by its record; the 8 or fewer kept alone are too few to judge.
        Assert.True(counted.IsDisabled(PatternType.BbScalp));
        Assert.False(keptOnly.IsDisabled(PatternType.BbScalp));
    }

    private static StoredEvent Stored(string type, string json) => new(0, type, Signals.Start, json);
}

public sealed class PatternOverridesTests
{
    [Fact]
    public void EachPatternsLastOverrideWinsAndOtherActionsAreIgnored()
    {
        StoredEvent Action(string action, string pattern, string field = "target") =>
            new(0, EventTypes.UserAction, Signals.Start, $$"""{"action":"{{action}}","{{field}}":"{{pattern}}"}""");

        var last = PatternOverrides.Replay([
            Action(AdminActions.PatternKeepOn, "BB_SCALP", field: "pattern"),
            Action(AdminActions.PatternKeepOn, "VCB_BREAKOUT"),
            Action(AdminActions.PatternRelease, "BB_SCALP"),
            Action("fire", "VCB_BREAKOUT"),
            Action(AdminActions.PatternKeepOn, "NO_SUCH_PATTERN"),
            Action(AdminActions.PatternDisable, "KALMAN_QUICKFIRE"),
            Action(AdminActions.PatternDisable, "ORDER_BLOCK_BOUNCE"),
            Action(AdminActions.PatternEnable, "ORDER_BLOCK_BOUNCE"),
        ]);

        Assert.Equal(4, last.Count);
        Assert.Equal(PatternOverride.None, last[PatternType.BbScalp]);
        Assert.Equal(PatternOverride.KeepOn, last[PatternType.VcbBreakout]);
        Assert.Equal(PatternOverride.ForceOff, last[PatternType.KalmanQuickfire]);
        Assert.Equal(PatternOverride.KeepOn, last[PatternType.OrderBlockBounce]);
    }
}

public sealed class TrackingFileTests : IDisposable
{
    private readonly TempStore _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void WritesOneJsonLinePerOutcomeOfAKnownSignalAndCountsTheRest()
    {
        var signal = Signals.Make("EURUSD", 1);
        using (var file = new TrackingFile(_folder.TrackingPath, id => id == signal.SignalId ? signal : null, NullLogger.Instance))
        {
            file.OnResolved(Signals.Win(signal, Signals.Start + 60_000));
            file.OnResolved(new SignalOutcome("UNKNOWN", Outcome.Loss, 1, Signals.Start, -10, 5, 0, 10));
            Assert.Equal((1, 1), (file.Written, file.Skipped));
        }

        var line = Assert.Single(File.ReadAllLines(_folder.TrackingPath));
        using var json = JsonDocument.Parse(line);
        Assert.Contains(signal.SignalId, line, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Object, json.RootElement.ValueKind);
    }
}

public sealed class CandleRecorderTests : IDisposable
{
    private readonly TempStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task SavesClosedCandlesOfItsTimeframeOnlyAndWarmsThemBackOldestFirst()
    {
        var symbols = new SymbolRegistry();
        using var database = _store.Open();
        await using (var log = new EventLog(database))
        {
            var recorder = new CandleRecorder(log, symbols, keepCandles: 300);
            var eurusd = symbols.GetOrAdd("EURUSD");
            recorder.OnCandleClosed(Candle(eurusd, Timeframe.M5, Signals.Start + 300_000, close: 1.2));
            recorder.OnCandleClosed(Candle(eurusd, Timeframe.M5, Signals.Start, close: 1.1));
            recorder.OnCandleClosed(Candle(eurusd, Timeframe.M1, Signals.Start, close: 9));
            await log.FlushAsync();
            Assert.Equal(2, recorder.Saved);
        }

        var fresh = new SymbolRegistry();
        fresh.GetOrAdd("XAUUSD");
        var warm = CandleRecorder.Warm(new CandleStore(database), fresh, 300);

        Assert.Equal([Signals.Start, Signals.Start + 300_000], warm.Select(c => c.OpenTimeMs));
        Assert.Equal([1.1, 1.2], warm.Select(c => c.Mid.Close));
        Assert.All(warm, c => Assert.Equal(fresh.GetOrAdd("EURUSD"), c.Symbol));
    }

    private static Candle Candle(SymbolId symbol, Timeframe timeframe, long openMs, double close)
    {
        var prices = new Ohlc(1.1, Math.Max(1.1, close), 1.09, close);
        return new Candle(symbol, timeframe, openMs, prices, prices, prices, 10);
    }
}

public sealed class SignalPositionsTests : IDisposable
{
    private readonly TempStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task RemembersWhereEachRecentSignalSitsInTheQueueAndForgetsTheOldest()
    {
        using var database = _store.Open();
        await using var log = new EventLog(database);
        var positions = new SignalPositions(log, capacity: 2);
        var first = Signals.Make("EURUSD", 1);
        positions.OnSignal(first);
        log.Append(new EventEnvelope(EventTypes.SystemHealth, Signals.Start, "test", """{"component":"test","status":"OK"}"""));
        var second = Signals.Make("EURUSD", 2);
        positions.OnSignal(second);
        var third = Signals.Make("EURUSD", 3);
        positions.OnSignal(third);

        Assert.Equal(0, positions.Of(first.SignalId));
        Assert.True(positions.Of(second.SignalId) > 0);
        Assert.Equal(positions.Of(second.SignalId), positions.Of(third.SignalId));
        Assert.Equal(0, positions.Of("never seen"));
    }
}

public sealed class PublishWhenStoredTests : IDisposable
{
    private readonly TempStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task PublishesASignalOnceWhatWasRecordedBeforeItIsCommitted()
    {
        using var database = _store.Open();
        await using var log = new EventLog(database);
        var published = new TaskCompletionSource<(Signal Signal, long Committed)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var signal = Signals.Make("EURUSD", 1);
        log.Append(new EventEnvelope(EventTypes.SystemHealth, Signals.Start, "test", """{"component":"test","status":"OK"}"""));
        new PublishWhenStored(log, new Sink(s => published.TrySetResult((s, log.Committed)))).OnSignal(signal);

        var (seen, committed) = await published.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Same(signal, seen);
        Assert.Equal(1, committed);
    }

    private sealed class Sink(Action<Signal> onSignal) : ISignalSink
    {
        public void OnSignal(Signal signal) => onSignal(signal);
    }
}

public sealed class StoreAdaptersTests : IDisposable
{
    private readonly TempStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public void APairingCodeBindsTheEaOnceAndAWrongCodeBindsNothing()
    {
        using var database = _store.Open();
        var users = new UserStore(database, TimeProvider.System);
        var (user, _) = users.Add(1001, Tier.Fang, Role.User, FireMode.Manual, null);
        var code = users.CreatePairingCode(user.UserId, TimeSpan.FromMinutes(15));
        var pairing = new StorePairing(users, NullLogger.Instance);

        Assert.Null(pairing.Redeem("WRONGCODE", "EA_9"));
        Assert.Equal("EA_9", pairing.Redeem(code, "EA_9")?.EaUuid);
        Assert.Null(pairing.Redeem(code, "EA_10"));
    }

    [Fact]
    public void WebUsersAuthenticateByTokenAndChangeTheStoredFireMode()
    {
        using var database = _store.Open();
        var users = new UserStore(database, TimeProvider.System);
        var (user, token) = users.Add(1001, Tier.Commander, Role.User, FireMode.Manual, "EA_1");
        var web = new StoreWebUsers(users);

        Assert.Equal(user.UserId, web.Authenticate(token)?.UserId);
        Assert.Null(web.Authenticate("not-a-token"));
        Assert.Equal(FireMode.Auto, web.SetFireMode(user.UserId, FireMode.Auto, null).Mode);
        Assert.Equal(FireMode.Auto, users.ByTelegramId(1001)?.Mode);
    }
}

public sealed class UserSyncTests : IDisposable
{
    private readonly TempStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task LoadsEveryStoredUserIntoTheDeskAndOnlyPostsUsersThatChanged()
    {
        await using var services = _store.Services([HostRole.Engine, HostRole.EventLog]);
        var users = services.GetRequiredService<UserStore>();
        users.Add(1001, Tier.Commander, Role.User, FireMode.Auto, "EA_1");
        users.Add(1002, Tier.Fang, Role.User, FireMode.Manual, "EA_2");
        var sync = services.GetRequiredService<UserSync>();
        var kernel = services.GetRequiredService<TradingKernel>();
        var desk = services.GetRequiredService<ExecutionDesk>();

        Assert.Equal(2, sync.LoadAll());
        kernel.Start();
        Assert.Equal(2, await kernel.AskAsync(() => desk.Counts.Users));
        users.Update(1002, Tier.Commander, null, null, null);
        Assert.Equal(2, sync.LoadAll());
        Assert.Equal(2, await kernel.AskAsync(() => desk.Snapshot().Traders.Count));
    }
}

public sealed class ExecutionFiguresTests
{
    [Fact]
    public void PublishesTheDesksSlotsAndWhetherAnEaIsAliveOnEachClock()
    {
        var clock = Signals.Clock();
        var desk = new ExecutionDesk(clock, new ExecutionOptions(), new NoOutbox());
        var figures = new ExecutionFigures(desk);
        desk.UpsertUser(new User(1, 101, Tier.Commander, Role.User, FireMode.Auto, AutoFireSettings.Default with { MaxSlots = 3 }, "EA_1", 0));

        figures.OnClock(clock.GetUtcNow().ToUnixTimeMilliseconds());
        var before = figures.Current;
        desk.OnCheckIn(new EaCheckIn("EA_1", true, new AccountSnapshot(10_000m, 10_000m, 10_000m, "USD"), [], []));
        figures.OnClock(clock.GetUtcNow().ToUnixTimeMilliseconds());

        Assert.False(before.EaConnected);
        Assert.True(figures.Current.EaConnected);
        Assert.Equal(desk.Counts.SlotsMax, figures.Current.SlotsMax);
        Assert.Equal(0, figures.Current.SlotsUsed);
    }

    private sealed class NoOutbox : IExecutionOutbox
    {
        public void Send(EaOrder order)
        {
        }

        public void Completed(string fireId, bool filled, long? ticket, double? price, string? message)
        {
        }
    }
}

public sealed class CheckpointerTests : IDisposable
{
    private readonly TempStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task SavesWhenForcedOrChangedAndNotAgainWhenNothingChanged()
    {
        await using var services = _store.Services([HostRole.Engine, HostRole.EventLog]);
        var checkpointer = services.GetRequiredService<Checkpointer>();
        var kernel = services.GetRequiredService<TradingKernel>();
        var desk = services.GetRequiredService<ExecutionDesk>();
        kernel.Start();

        await checkpointer.SaveAsync(force: true);
        await checkpointer.SaveAsync(force: false);
        Assert.Equal(1, checkpointer.Checkpoints);
        await kernel.AskAsync(() =>
        {
            desk.SetEmergencyStop(EmergencyStop.Soft);
            return desk.Version;
        });
        await checkpointer.SaveAsync(force: false);
        Assert.Equal(2, checkpointer.Checkpoints);
        Assert.NotNull(new StateStore(services.GetRequiredService<IDatabase>()).Load());
    }
}
