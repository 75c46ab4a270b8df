using System.Globalization;
using Bitten.Domain.Events;
using Bitten.Domain.Users;
using Bitten.Persistence.Events;

namespace Bitten.Persistence.Tests;

public sealed class SqliteEventLogTests() : EventLogContract(new SqliteTestStore());

[OnPostgres]
public sealed class PostgresEventLogTests() : EventLogContract(new PostgresTestStore());

/// <summary>The event log on each provider: batched commits, each event with its typed row, the stats view, flush, reopen.</summary>
public abstract class EventLogContract(TestStore store) : IDisposable
{
    private const long T0 = 1_763_000_000_000;

    protected TestStore Store { get; } = store;

    public void Dispose()
    {
        Store.Dispose();
        GC.SuppressFinalize(this);
    }

    [StoreFact]
    public async Task EveryEventIsCommittedWithItsTypedRow()
    {
        using var database = Store.Open();
        await using (var log = new EventLog(database, Store.Time))
        {
            log.Append(Signal(T0, "S1"));
            log.Append(new EventEnvelope(EventTypes.FireCommand, T0 + 1, "execution",
                """{"fire_id":"F1","signal_id":"S1","user_id":42,"symbol":"EURUSD","direction":"BUY","lot_size":0.12,"execution_mode":"AUTO","sl_price":1.08312,"tp_price":1.08562}""",
                CorrelationId: "S1", UserId: "42"));
            log.Append(new EventEnvelope(EventTypes.TradeExecuted, T0 + 2, "execution",
                """{"fire_id":"F1","ticket":50000001,"symbol":"EURUSD","direction":"BUY","volume":0.12,"open_price":1.08414,"execution_time":1763000000.5}""",
                CorrelationId: "S1", UserId: "42", SessionId: "sess"));
            log.Append(new EventEnvelope(EventTypes.SystemHealth, T0 + 3, "bridge", """{"component":"bridge","status":"degraded","uptime":12.5,"message":"silent EA"}"""));
            log.Append(new EventEnvelope(EventTypes.MissionCreated, T0 + 4, "execution", """{"mission_id":"M1","signal_id":"S1","user_id":42}""", UserId: "42"));
            await log.FlushAsync();

            Assert.Equal(5, log.Committed);
            Assert.Equal(0, log.Untyped);
        }

        Assert.Equal(5L, Scalar(database, "SELECT COUNT(*) FROM events"));
        Assert.Equal(
            ["S1|EURUSD|BUY|84.5|VCB_BREAKOUT|1.08412|10|15|1763001800000|signal_generated"],
            Rows(database, """
                SELECT s.signal_id, s.symbol, s.direction, s.confidence, s.pattern_type, s.entry_price, s.stop_pips, s.target_pips,
                       s.expires_at_ms, e.event_type
                FROM signal_events s JOIN events_json e ON e.id = s.event_id
                """));
        Assert.Equal(
            ["fire_command|F1||EURUSD|BUY|0.12||1.08312|1.08562|", "trade_executed|F1|50000001|EURUSD|BUY|0.12|1.08414|||1763000000500"],
            Rows(database, """
                SELECT e.event_type, t.fire_id, t.ticket, t.symbol, t.direction, t.volume, t.open_price, t.sl_price, t.tp_price,
                       t.execution_time_ms
                FROM trade_events t JOIN events_json e ON e.id = t.event_id ORDER BY e.timestamp_ms
                """));
        Assert.Equal(["bridge|degraded|12.5|silent EA|system_health"],
            Rows(database, "SELECT h.component, h.status, h.uptime, h.message, e.event_type FROM health_events h JOIN events_json e ON e.id = h.event_id"));
        Assert.Equal(["trade_executed|1763000000002|execution|S1|42|sess|1772442000000"],
            Rows(database, "SELECT event_type, timestamp_ms, source, correlation_id, user_id, session_id, created_at_ms FROM events_json WHERE event_type = 'trade_executed'"));
        Assert.Equal("""{"mission_id":"M1","signal_id":"S1","user_id":42}""",
            Scalar(database, "SELECT data_json FROM events_json WHERE event_type = 'mission_created'"));
    }

    [StoreFact]
    public async Task TheStoredDataIsPackedAndTheViewAndTheReaderGiveBackTheJsonExactly()
    {
        using var database = Store.Open();
        // Every token, an escaped quote before a key name, a key's text inside a string value, and a key not in the table.
        var data = "{" + string.Join(",", EventData.Keys.Select((k, i) => $"\"{k}\":{i}")) +
            ""","note":"say \"user_id\": here","x\"user_id":1,"not_a_token":"\"symbol\":"}""";
        await using (var log = new EventLog(database, Store.Time))
        {
            log.Append(new EventEnvelope(EventTypes.UserAction, T0, "ops", data));
            log.Append(Mission(T0 + 1, 1));
            await log.FlushAsync();
        }

        var stored = (string)Scalar(database, "SELECT data_json FROM events ORDER BY id LIMIT 1")!;
        Assert.True(stored.Length < data.Length - 200, $"{stored.Length} stored for {data.Length}");
        Assert.Equal(data, Scalar(database, "SELECT data_json FROM events_json ORDER BY id LIMIT 1"));
        Assert.Equal([data, Mission(T0 + 1, 1).DataJson], new EventReader(database).Read(EventTypes.UserAction, EventTypes.MissionCreated).Select(e => e.DataJson));

        // A row written before packing (plain JSON) reads back the same through both.
        using (var connection = database.OpenConnection())
        {
            Execute(connection, null, $"UPDATE events SET data_json = '{Mission(T0 + 1, 1).DataJson}' WHERE type_code = (SELECT code FROM event_types WHERE name = 'mission_created')");
        }

        Assert.Equal(Mission(T0 + 1, 1).DataJson, Scalar(database, "SELECT data_json FROM events_json WHERE event_type = 'mission_created'"));
        Assert.Equal(Mission(T0 + 1, 1).DataJson, new EventReader(database).Read(EventTypes.MissionCreated).Single().DataJson);
    }

    [StoreFact]
    public async Task ManyEventsAreCommittedInBatchesNoBiggerThanTheLimit()
    {
        using var database = Store.Open();
        await using var log = new EventLog(database, Store.Time, maxBatch: 100);
        for (var i = 0; i < 2_000; i++)
        {
            log.Append(i % 10 == 0 ? Signal(T0 + i, $"S{i}") : Mission(T0 + i, i));
        }

        await log.FlushAsync();

        Assert.Equal(2_000, log.Appended);
        Assert.Equal(2_000, log.Committed);
        Assert.Equal(0, log.Dropped);
        Assert.InRange(log.Batches, 20, 2_000);
        Assert.Equal(2_000L, Scalar(database, "SELECT COUNT(*) FROM events"));
        Assert.Equal(200L, Scalar(database, "SELECT COUNT(*) FROM signal_events"));
    }

    [StoreFact]
    public async Task ABurstsProjectionsEndAsTheEventsOneByOneWouldLeaveThemWhenAKeyRepeatsAndTablesInterleave()
    {
        // On PostgreSQL a run of one insert goes as one statement over arrays, and statements on different tables may
        // change places (PostgresSets). The rows must end as the events one by one leave them: each mission seen twice
        // (the second event, earlier in time, corrects when it was created), a balance reported three times (the
        // newest wins, whatever the order), a fill reported twice (the first stays), and a close after it. In one go:
        // a batch that failed and was written again event by event would hide a wrong statement, so none may warn.
        using var database = Store.Open();
        var warnings = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using (var log = new EventLog(database, Store.Time, warnings.Enqueue))
        {
            for (var k = 0; k < 20; k++)
            {
                log.Append(Event(EventTypes.MissionCreated, T0 + 100 + k, $$"""{"mission_id":"M{{k}}","signal_id":"S1","user_id":42}"""));
            }

            log.Append(Event(EventTypes.BalanceUpdate, T0 + 10, """{"user_id":42,"account_number":"A1","balance":100,"equity":100}"""));
            log.Append(Event(EventTypes.BalanceUpdate, T0 + 30, """{"user_id":42,"account_number":"A1","balance":300,"equity":300}"""));
            for (var k = 0; k < 20; k++)
            {
                log.Append(Event(EventTypes.MissionCreated, T0 + 50 + k, $$"""{"mission_id":"M{{k}}","signal_id":"S1","user_id":42}"""));
            }

            log.Append(Event(EventTypes.BalanceUpdate, T0 + 20, """{"user_id":42,"account_number":"A1","balance":200,"equity":200}"""));
            log.Append(Event(EventTypes.TradeExecuted, T0 + 200,
                """{"fire_id":"F1","ticket":7,"symbol":"EURUSD","direction":"BUY","volume":0.1,"open_price":1.1,"execution_time":1}"""));
            log.Append(Event(EventTypes.TradeExecuted, T0 + 201,
                """{"fire_id":"F1","ticket":7,"symbol":"EURUSD","direction":"BUY","volume":0.1,"open_price":1.2,"execution_time":1}"""));
            log.Append(Event(EventTypes.PositionClosed, T0 + 300, """{"fire_id":"F1","ticket":7,"reason":"tp"}"""));
            await log.FlushAsync();
            Assert.Equal(0L, log.Failed);
        }

        Assert.Empty(warnings);

        Assert.Equal([.. Enumerable.Range(0, 20).Select(k => $"M{k}|{T0 + 50 + k}")],
            Rows(database, "SELECT mission_id, created_at_ms FROM missions ORDER BY created_at_ms"));
        Assert.Equal([$"42|300|{T0 + 30}"], Rows(database, "SELECT user_id, balance, updated_at_ms FROM accounts"));
        Assert.Equal([$"42|7|1.1|{T0 + 300}|tp"], Rows(database, "SELECT user_id, ticket, open_price, closed_at_ms, close_reason FROM positions"));
    }

    [StoreFact]
    public async Task ABurstAndTheFewEventsAfterItKeepEveryTypedRowOnItsOwnEventAndEveryProjection()
    {
        // A burst this size goes to PostgreSQL by binary COPY (ids taken first), the three after it as statements:
        // both ways must key each typed row to its own event and leave the ids one sequence.
        using var database = Store.Open();
        await using (var log = new EventLog(database, Store.Time))
        {
            for (var i = 0; i < 600; i++)
            {
                log.Append((i % 3) switch
                {
                    0 => Signal(T0 + i, $"S{i}"),
                    1 => Mission(T0 + i, i),
                    _ => Event(EventTypes.FireCommand, T0 + i,
                        $$"""{"fire_id":"F{{i}}","mission_id":"M{{i}}","signal_id":"S{{i}}","user_id":42,"symbol":"EURUSD","direction":"BUY","lot_size":0.{{i % 9 + 1}},"sl_price":1.09,"tp_price":1.11,"execution_mode":"AUTO"}"""),
                });
            }

            await log.FlushAsync();
            log.Append(Signal(T0 + 1000, "AFTER1"));
            log.Append(Mission(T0 + 1001, 1001));
            log.Append(Signal(T0 + 1002, "AFTER2"));
            await log.FlushAsync();
        }

        Assert.Equal(603L, Scalar(database, "SELECT COUNT(*) FROM events"));
        Assert.Equal(603L, Scalar(database, "SELECT COUNT(DISTINCT id) FROM events"));
        Assert.Equal(202L, Scalar(database, "SELECT COUNT(*) FROM signal_events"));
        Assert.Equal(202L, Scalar(database, """
            SELECT COUNT(*) FROM signal_events s JOIN events_json e ON e.id = s.event_id
            WHERE e.event_type = 'signal_generated' AND e.data_json LIKE '%"' || s.signal_id || '"%' AND e.timestamp_ms >= 0
            """));
        Assert.Equal(200L, Scalar(database, """
            SELECT COUNT(*) FROM trade_events t JOIN events_json e ON e.id = t.event_id
            WHERE e.event_type = 'fire_command' AND e.data_json LIKE '%"' || t.fire_id || '"%'
              AND t.sl_price = 1.09 AND t.tp_price = 1.11
            """));
        Assert.Equal(Scalar(database, "SELECT COUNT(*) FROM events_json WHERE event_type = 'mission_created'"), Scalar(database, "SELECT COUNT(*) FROM missions"));
        Assert.Equal(201L, Scalar(database, "SELECT COUNT(*) FROM missions"));
    }

    [StoreFact]
    public async Task AfterAheadWorkTheWriterHoldsForItsSendsButAnOutboxThatNeverSaysSoCannotStallIt()
    {
        using var database = Store.Open();
        await using var log = new EventLog(database, Store.Time);
        var neverSent = new TaskCompletionSource();

        await log.CommitAhead((_, _) => { }, thenHoldUntil: neverSent.Task);
        log.Append(Mission(T0, 1));
        // The gate never opens: the event behind the work still commits, once the longest hold has passed.
        await log.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, log.Holds);
        Assert.Equal(1L, Scalar(database, "SELECT COUNT(*) FROM events"));
        await log.CommitAhead((_, _) => { }, thenHoldUntil: Task.CompletedTask);
        await log.FlushAsync();
        Assert.Equal(1, log.Holds);
    }

    [StoreFact]
    public async Task FlushCompletesOnlyOnceEverythingAppendedBeforeItIsCommitted()
    {
        using var database = Store.Open();
        await using var log = new EventLog(database, Store.Time);
        for (var i = 0; i < 10_000; i++)
        {
            log.Append(Mission(T0 + i, i));
        }

        await log.FlushAsync();

        // Read on a connection of its own: committed means visible to anyone.
        Assert.Equal(10_000L, Scalar(database, "SELECT COUNT(*) FROM events"));
        Assert.Equal(10_000, log.Committed);
    }

    [StoreFact]
    public async Task TheStatsViewCountsEachTypeWithItsFirstAndLastTime()
    {
        using var database = Store.Open();
        await using (var log = new EventLog(database, Store.Time))
        {
            log.Append(Mission(T0 + 50, 1));
            log.Append(Signal(T0 + 10, "S1"));
            log.Append(Mission(T0 + 20, 2));
            log.Append(Mission(T0 + 90, 3));
            await log.FlushAsync();
        }

        Assert.Equal(
            [$"mission_created|3|{T0 + 20}|{T0 + 90}", $"signal_generated|1|{T0 + 10}|{T0 + 10}"],
            Rows(database, "SELECT event_type, count, first_seen, last_seen FROM event_stats ORDER BY event_type"));
    }

    [StoreFact]
    public async Task ReopeningTheDatabaseKeepsEveryEventAndItsTypedRow()
    {
        using (var database = Store.Open())
        {
            await using var log = new EventLog(database, Store.Time);
            for (var i = 0; i < 300; i++)
            {
                log.Append(i % 3 == 0 ? Signal(T0 + i, $"S{i}") : Mission(T0 + i, i));
            }

            // Disposing commits what is queued: no flush needed before a clean shutdown.
        }

        using (var reopened = Store.Open())
        {
            Assert.Equal(300L, Scalar(reopened, "SELECT COUNT(*) FROM events"));
            Assert.Equal(100L, Scalar(reopened, "SELECT COUNT(*) FROM signal_events"));
            await using var log = new EventLog(reopened, Store.Time);
            log.Append(Mission(T0 + 1000, 1000));
            await log.FlushAsync();
            Assert.Equal(301L, Scalar(reopened, "SELECT COUNT(*) FROM events"));
            Assert.Equal(301L, Scalar(reopened, "SELECT MAX(id) FROM events"));
        }
    }

    [StoreFact]
    public async Task AFullQueueMakesAMoneyEventWaitForTheWriterAndLosesNone()
    {
        using var inner = Store.Open();
        using var gate = new ManualResetEventSlim();
        using var held = new ManualResetEventSlim();
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var log = new EventLog(GatedDatabase.Create(inner, gate, held), Store.Time, w =>
        {
            if (w.Contains("waits for room", StringComparison.Ordinal))
            {
                waiting.TrySetResult();
            }
        }, capacity: 3);
        Task producer;
        try
        {
            FillWhileTheWriterIsHeld(log, held);

            // Every kind of money-path event, from a producer of its own (as the kernel's thread would append them).
            producer = Task.Factory.StartNew(() =>
            {
                foreach (var e in MoneyPath(T0 + 10))
                {
                    log.Append(e);
                }
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            await waiting.Task.WaitAsync(TimeSpan.FromSeconds(30));

            // Held back, not dropped: the queue is still full and the producer still inside its first append.
            Assert.False(producer.IsCompleted);
            Assert.Equal(4, log.Appended);
            Assert.Equal(3, log.QueueDepth);
            Assert.Equal(0, log.Dropped);
        }
        finally
        {
            gate.Set();
        }

        await producer.WaitAsync(TimeSpan.FromSeconds(30));
        await log.FlushAsync();

        var expected = MoneyPath(T0 + 10).Count + 4;
        Assert.Equal(expected, log.Committed);
        Assert.Equal(0, log.Dropped);
        Assert.Equal(0, log.Failed);
        Assert.InRange(log.Waits, 1, MoneyPath(T0 + 10).Count);
        Assert.True(log.TimeWaited > TimeSpan.Zero, $"waited {log.TimeWaited}");
        Assert.Equal(expected, (long)Scalar(inner, "SELECT COUNT(*) FROM events")!);
        Assert.Equal(
            MoneyPath(T0 + 10).Select(e => e.EventType).Order(StringComparer.Ordinal),
            Rows(inner, $"SELECT event_type FROM events_json WHERE timestamp_ms >= {T0 + 10}").Order(StringComparer.Ordinal));
    }

    [StoreFact]
    public async Task AFullQueueShedsOnlyMarketDataHealthAndPatternEventsCountingEachType()
    {
        using var inner = Store.Open();
        using var gate = new ManualResetEventSlim();
        using var held = new ManualResetEventSlim();
        var warnings = new List<string>();
        await using var log = new EventLog(GatedDatabase.Create(inner, gate, held), Store.Time, w => { lock (warnings) { warnings.Add(w); } }, capacity: 3);
        try
        {
            FillWhileTheWriterIsHeld(log, held);

            // On a thread of its own only so that a wrongly blocking append fails the test instead of hanging it.
            await Task.Run(() =>
            {
                for (var i = 0; i < 50; i++)
                {
                    log.Append(new EventEnvelope(EventTypes.SystemHealth, T0 + 10 + i, "bridge", """{"component":"bridge","status":"running"}"""));
                }

                log.Append(new EventEnvelope(EventTypes.MarketData, T0 + 60, "bridge", """{"symbol":"EURUSD","bid":1.0841,"ask":1.0842}"""));
                log.Append(new EventEnvelope(EventTypes.PatternDetected, T0 + 61, "elite_guard", """{"symbol":"EURUSD","pattern_type":"VCB_BREAKOUT"}"""));
            }).WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Equal(4, log.Appended);
            Assert.Equal(52, log.Dropped);
            Assert.Equal(0, log.Waits);
            Assert.Equal(
                new Dictionary<string, long> { [EventTypes.MarketData] = 1, [EventTypes.SystemHealth] = 50, [EventTypes.PatternDetected] = 1 },
                log.ShedByType());
        }
        finally
        {
            gate.Set();
        }

        await log.FlushAsync();

        Assert.Equal(4, log.Committed);
        Assert.Equal(["mission_created|4"], Rows(inner, "SELECT event_type, COUNT(*) FROM events_json GROUP BY event_type"));
        lock (warnings)
        {
            Assert.Contains(warnings, w => w.Contains("system_health from bridge shed", StringComparison.Ordinal));
            // The first ten in full, then one in a thousand: a flood does not flood the log.
            Assert.Equal(10, warnings.Count(w => w.Contains("shed", StringComparison.Ordinal)));
        }
    }

    [StoreFact]
    public async Task AMoneyEventAppendedAfterCloseIsRefusedAndCountedNotWaitedFor()
    {
        using var database = Store.Open();
        var warnings = new List<string>();
        var log = new EventLog(database, Store.Time, w => { lock (warnings) { warnings.Add(w); } }, capacity: 1);
        log.Append(Mission(T0, 0));
        await log.DisposeAsync();

        await Task.Run(() => log.Append(Mission(T0 + 1, 1))).WaitAsync(TimeSpan.FromSeconds(30));
        await log.WhenCommittedAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, log.Committed);
        Assert.Equal(1, log.Dropped);
        Assert.All(log.ShedByType().Values, n => Assert.Equal(0, n));
        lock (warnings)
        {
            Assert.Contains(warnings, w => w.Contains("mission_created from execution refused: the log is closed", StringComparison.Ordinal));
        }
    }

    /// <summary>Lets the writer take one event and hold at its connection, then fills the queue (capacity 3) behind it.</summary>
    private static void FillWhileTheWriterIsHeld(EventLog log, ManualResetEventSlim held)
    {
        log.Append(Mission(T0, 0));
        Assert.True(held.Wait(TimeSpan.FromSeconds(30)), "the writer never asked for a connection");
        for (var i = 1; i <= log.Capacity; i++)
        {
            log.Append(Mission(T0 + i, i));
        }

        Assert.Equal(log.Capacity, log.QueueDepth);
    }

    /// <summary>One event of every type a full queue must never shed.</summary>
    private static List<EventEnvelope> MoneyPath(long t) =>
    [
        Signal(t, "S9"),
        Event(EventTypes.MissionCreated, t, """{"mission_id":"M9","signal_id":"S9","user_id":42}"""),
        Event(EventTypes.FireCommand, t, """{"fire_id":"F9","mission_id":"M9","signal_id":"S9","user_id":42,"symbol":"EURUSD","direction":"BUY","lot_size":0.12,"execution_mode":"AUTO"}"""),
        Event(EventTypes.TradeExecuted, t, """{"fire_id":"F9","ticket":9001,"symbol":"EURUSD","direction":"BUY","volume":0.12,"open_price":1.0842,"execution_time":1763000000003}"""),
        Event(EventTypes.FireFailed, t, """{"user_id":42,"reason":"REJECTED","fire_id":"F8"}"""),
        Event(EventTypes.RiskBlocked, t, """{"user_id":42,"reason":"daily_loss","signal_id":"S9"}"""),
        Event(EventTypes.PositionClosed, t, """{"ticket":9001,"fire_id":"F9","reason":"TP"}"""),
        Event(EventTypes.SlotReleased, t, """{"user_id":42,"reason":"CLOSED","fire_id":"F9"}"""),
        Event(EventTypes.BalanceUpdate, t, """{"user_id":42,"account_number":"8812","balance":10000,"equity":10012.5}"""),
        Event(EventTypes.SignalResolved, t, """{"signal_id":"S9","outcome":"WIN","pips":15}"""),
        Event(EventTypes.SignalExpired, t, """{"signal_id":"S9","mission_id":"M9"}"""),
        Event(EventTypes.UserAction, t, """{"user_id":42,"action":"mode","value":"AUTO"}"""),
    ];

    [StoreFact]
    public async Task ATypedEventWithoutItsFieldsIsKeptWithoutATypedRowAndCounted()
    {
        using var database = Store.Open();
        await using var log = new EventLog(database, Store.Time);
        log.Append(new EventEnvelope(EventTypes.SystemHealth, T0, "x", """{"status":"running"}"""));
        log.Append(new EventEnvelope(EventTypes.SignalGenerated, T0, "x", "not json"));
        await log.FlushAsync();

        Assert.Equal(2, log.Committed);
        Assert.Equal(2, log.Untyped);
        Assert.Equal(0L, Scalar(database, "SELECT COUNT(*) FROM health_events"));
    }

    [StoreFact]
    public async Task ProjectionsFollowEachMissionFromSignalToClose()
    {
        using var database = Store.Open();
        var user = new UserStore(database, Store.Time).Add(4242, Tier.Commander, Role.User, FireMode.Auto, "EA-42").User.UserId;
        await using (var log = new EventLog(database, Store.Time))
        {
            log.Append(Signal(T0, "S1"));
            foreach (var m in new[] { "M1", "M2", "M3" })
            {
                log.Append(Event(user, EventTypes.MissionCreated, T0 + 1, $$"""{"mission_id":"{{m}}","signal_id":"S1","user_id":0}"""));
            }

            // Fires are stored as the outbox stores them, through the writer: that fires the mission and takes the slot.
            var fires = new FireStore(database, Store.Time);
            await log.CommitAsync((c, t) => fires.SaveNew([Fire("F42-1", "M1", user, T0 + 2), Fire("F42-2", "M3", user, T0 + 2)], c, t));
            log.Append(Event(user, EventTypes.TradeExecuted, T0 + 3,
                """{"fire_id":"F42-1","ticket":7001,"symbol":"EURUSD","direction":"BUY","volume":0.12,"open_price":1.0842,"execution_time":1763000000003,"sl_price":1.083,"tp_price":1.086}"""));
            log.Append(Event(user, EventTypes.FireFailed, T0 + 3, """{"user_id":0,"reason":"REJECTED","fire_id":"F42-2"}"""));
            log.Append(Event(user, EventTypes.SlotReleased, T0 + 3, """{"user_id":0,"reason":"FAILED","fire_id":"F42-2"}"""));
            log.Append(Event(user, EventTypes.SignalExpired, T0 + 4, """{"signal_id":"S1","mission_id":"M2"}"""));
            log.Append(Event(user, EventTypes.BalanceUpdate, T0 + 5, """{"user_id":0,"account_number":"8812","balance":10000,"equity":10012.5}"""));
            log.Append(Event(user, EventTypes.PositionClosed, T0 + 6, """{"ticket":7001,"fire_id":"F42-1","reason":"TP"}"""));
            log.Append(Event(user, EventTypes.SlotReleased, T0 + 6, """{"user_id":0,"reason":"CLOSED","fire_id":"F42-1"}"""));
            log.Append(Event(user, EventTypes.SignalResolved, T0 + 7,
                """{"signal_id":"S1","outcome":"WIN","pips":15,"exit_price":1.08562,"duration_minutes":12.5}"""));
            await log.FlushAsync();
            Assert.Equal(0L, log.Failed);
        }

        Assert.Equal([$"S1|EURUSD|BUY|VCB_BREAKOUT|84.5|{T0}|WIN|1.08562|15|12.5|{T0 + 7}"], Rows(database,
            "SELECT signal_id, symbol, direction, pattern_type, confidence, generated_at_ms, outcome, exit_price, pips, duration_minutes, resolved_at_ms FROM signals"));
        Assert.Equal([$"M1|{user}|CLOSED|F42-1|{T0 + 6}", $"M2|{user}|EXPIRED||{T0 + 4}", $"M3|{user}|FAILED|F42-2|{T0 + 3}"], Rows(database,
            "SELECT mission_id, user_id, status, fire_id, updated_at_ms FROM missions ORDER BY mission_id"));
        Assert.Equal([$"{user}|7001|F42-1|EURUSD|BUY|0.12|1.0842|1.083|1.086|{T0 + 3}|{T0 + 6}|TP"], Rows(database,
            "SELECT user_id, ticket, fire_id, symbol, direction, volume, open_price, sl, tp, opened_at_ms, closed_at_ms, close_reason FROM positions"));
        Assert.Equal([$"F42-1|{user}|{T0 + 2}|{T0 + 6}|CLOSED", $"F42-2|{user}|{T0 + 2}|{T0 + 3}|FAILED"], Rows(database,
            "SELECT fire_id, user_id, taken_at_ms, released_at_ms, release_reason FROM slots ORDER BY fire_id"));
        Assert.Equal([$"{user}|8812|10000|10012.5|{T0 + 5}"], Rows(database, "SELECT user_id, account_number, balance, equity, updated_at_ms FROM accounts"));
    }

    [StoreFact]
    public async Task AnEventSeenTwiceOrLateNeverMovesAProjectionBack()
    {
        using var database = Store.Open();
        var user = new UserStore(database, Store.Time).Add(4242, Tier.Commander, Role.User, FireMode.Auto, "EA-42").User.UserId;
        await using (var log = new EventLog(database, Store.Time))
        {
            log.Append(Event(EventTypes.MissionCreated, T0, """{"mission_id":"M1","signal_id":"S1","user_id":42}"""));
            var fires = new FireStore(database, Store.Time);
            await log.CommitAsync((c, t) => fires.SaveNew([Fire("F42-1", "M1", user, T0 + 1)], c, t));
            // A repeated mission event and a resent fire: neither resets the mission or takes a second slot.
            log.Append(Event(EventTypes.MissionCreated, T0 + 2, """{"mission_id":"M1","signal_id":"S1","user_id":42}"""));
            log.Append(Event(EventTypes.FireCommand, T0 + 3,
                """{"fire_id":"F42-1","mission_id":"M1","signal_id":"S1","user_id":42,"symbol":"EURUSD","direction":"BUY","lot_size":0.12,"execution_mode":"AUTO"}"""));
            await log.CommitAsync((c, t) => fires.MarkSent("F42-1", c, t));
            log.Append(Event(EventTypes.SignalExpired, T0 + 4, """{"signal_id":"S1","mission_id":"M1"}"""));
            log.Append(Event(EventTypes.BalanceUpdate, T0 + 10, """{"user_id":42,"account_number":"1","balance":900,"equity":900}"""));
            log.Append(Event(EventTypes.BalanceUpdate, T0 + 5, """{"user_id":42,"account_number":"1","balance":1000,"equity":1000}"""));
            await log.FlushAsync();
        }

        Assert.Equal([$"M1|FIRED|{T0 + 1}"], Rows(database, "SELECT mission_id, status, updated_at_ms FROM missions"));
        Assert.Equal(1L, Scalar(database, "SELECT COUNT(*) FROM slots"));
        Assert.Equal([$"900|{T0 + 10}"], Rows(database, "SELECT balance, updated_at_ms FROM accounts"));
    }

    [StoreFact]
    public async Task AWorkCommitsWithTheEventsBeforeItAndAFailingOneUndoesOnlyItself()
    {
        using var database = Store.Open();
        await using var log = new EventLog(database, Store.Time);
        for (var i = 0; i < 500; i++)
        {
            log.Append(Mission(T0 + i, i));
        }

        // The work runs in the writer's transaction, after everything appended before it.
        long seen = -1;
        await log.CommitAsync((connection, transaction) =>
        {
            seen = Count(connection, transaction, "SELECT COUNT(*) FROM events");
            Execute(connection, transaction, $"UPDATE missions SET status = 'FIRED' WHERE mission_id = 'M7'");
        });
        Assert.Equal(500, seen);

        log.Append(Mission(T0 + 500, 500));
        var failing = log.CommitAsync((connection, transaction) =>
        {
            Execute(connection, transaction, "UPDATE missions SET status = 'CLOSED'");
            throw new InvalidOperationException("refused by the work itself");
        });
        log.Append(Mission(T0 + 501, 501));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        Assert.Equal("refused by the work itself", error.Message);
        await log.FlushAsync();

        Assert.Equal(502L, Scalar(database, "SELECT COUNT(*) FROM events"));
        Assert.Equal(["FIRED|1", "PENDING|501"], Rows(database, "SELECT status, COUNT(*) FROM missions GROUP BY status ORDER BY status"));
        Assert.Equal(0, log.Failed);
    }

    [StoreFact]
    public async Task UrgentWorkCommitsRightBehindItsBarrierAheadOfTheEventsQueuedAfterIt()
    {
        using var database = Store.Open();
        await using var log = new EventLog(database, Store.Time);
        using var entered = new ManualResetEventSlim();
        using var gate = new ManualResetEventSlim();
        log.Append(Mission(T0, 0));
        // Hold the writer inside a transaction while the queue fills behind it.
        var holding = log.CommitAsync((_, _) =>
        {
            entered.Set();
            gate.Wait(TimeSpan.FromSeconds(30));
        });
        Assert.True(entered.Wait(TimeSpan.FromSeconds(30)), "the writer never ran the holding work");
        for (var i = 1; i <= 100; i++)
        {
            log.Append(Mission(T0 + i, i));
        }

        var barrier = log.Position;
        for (var i = 101; i <= 3_000; i++)
        {
            log.Append(Mission(T0 + i, i));
        }

        long seen = -1;
        // As the outbox does it: a thread of its own, blocked until the commit. Queuing it also queues a wake-up for
        // the writer, which moves the position: only then is the writer let go.
        var queuedBefore = log.Position;
        var urgent = Task.Factory.StartNew(() => log.CommitSoon((connection, transaction) => seen = Count(connection, transaction, "SELECT COUNT(*) FROM events"), barrier),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        Assert.True(SpinWait.SpinUntil(() => log.Position > queuedBefore, TimeSpan.FromSeconds(30)), "the urgent work was never queued");
        gate.Set();
        await urgent.WaitAsync(TimeSpan.FromSeconds(30));
        await holding;

        // Every event before the barrier, none of the 2,900 after it: it jumped them, and only them.
        Assert.Equal(101, seen);
        await log.FlushAsync();
        Assert.Equal(3_001L, Scalar(database, "SELECT COUNT(*) FROM events"));
    }

    [StoreFact]
    public async Task QueuedAheadWorkCommitsBehindItsBarrierAndBeforeEverythingAppendedAfterIt()
    {
        using var database = Store.Open();
        await using var log = new EventLog(database, Store.Time);
        log.Append(Mission(T0, 0));
        var barrier = log.Position;

        // As the kernel does it: the fires' commit queued without waiting, then the signal's missions appended.
        long seen = -1;
        var committed = log.CommitAhead((connection, transaction) => seen = Count(connection, transaction, "SELECT COUNT(*) FROM events"), barrier);
        for (var i = 1; i <= 2_000; i++)
        {
            log.Append(Mission(T0 + i, i));
        }

        await committed.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, seen);
        await log.FlushAsync();
        Assert.Equal(2_001L, Scalar(database, "SELECT COUNT(*) FROM events"));

        var failed = log.CommitAhead((_, _) => throw new InvalidOperationException("refused"));
        Assert.Equal("refused", (await Assert.ThrowsAsync<InvalidOperationException>(() => failed.WaitAsync(TimeSpan.FromSeconds(30)))).Message);
    }

    [StoreFact]
    public void TheBlockingFormReportsTheWorksOwnFailure()
    {
        using var database = Store.Open();
        using var log = new DisposeOnDispose(new EventLog(database, Store.Time));
        log.Log.Append(Mission(T0, 0));
        var error = Assert.Throws<InvalidOperationException>(() => log.Log.CommitSoon((_, _) => throw new InvalidOperationException("refused")));
        Assert.Equal("refused", error.Message);
        var count = -1L;
        log.Log.CommitSoon((connection, transaction) => count = Count(connection, transaction, "SELECT COUNT(*) FROM events"));
        Assert.Equal(1, count);
    }

    private sealed class DisposeOnDispose(EventLog log) : IDisposable
    {
        public EventLog Log { get; } = log;

        public void Dispose() => Log.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [StoreFact]
    public async Task AfterCommitRunsOnceTheEventsBeforeItAreVisibleToEveryone()
    {
        using var database = Store.Open();
        await using var log = new EventLog(database, Store.Time);
        var counts = new List<long>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        for (var round = 1; round <= 3; round++)
        {
            for (var i = 0; i < 100; i++)
            {
                log.Append(Mission(T0 + (round * 100) + i, (round * 100) + i));
            }

            var last = round == 3;
            // Read on a connection of its own: the callback must see what was appended before it, committed.
            log.AfterCommit(() =>
            {
                counts.Add((long)Scalar(database, "SELECT COUNT(*) FROM events")!);
                if (last)
                {
                    done.TrySetResult();
                }
            });
        }

        await done.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(3, counts.Count);
        Assert.True(counts[0] >= 100 && counts[1] >= 200 && counts[2] == 300, string.Join(",", counts));
    }

    [StoreFact]
    public async Task AnEventTheStoreRefusesCostsOnlyItselfNotItsBatch()
    {
        using var database = Store.Open();
        using (var connection = database.OpenConnection())
        {
            // A trigger stands in for anything the database might refuse about one row.
            Execute(connection, null, Store.Provider == StorageOptions.Sqlite
                ? "CREATE TRIGGER poison BEFORE INSERT ON events WHEN NEW.source_code = (SELECT code FROM event_sources WHERE name = 'poison') BEGIN SELECT RAISE(ABORT, 'poisoned row'); END"
                : """
                  CREATE FUNCTION poison() RETURNS trigger AS $$ BEGIN IF NEW.source_code = (SELECT code FROM event_sources WHERE name = 'poison') THEN RAISE EXCEPTION 'poisoned row'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql;
                  CREATE TRIGGER poison BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION poison();
                  """);
        }

        var warnings = new List<string>();
        await using var log = new EventLog(database, Store.Time, w => { lock (warnings) { warnings.Add(w); } });
        for (var i = 0; i < 200; i++)
        {
            log.Append(i == 100 ? new EventEnvelope(EventTypes.MissionCreated, T0 + i, "poison", """{"mission_id":"MX","signal_id":"S1","user_id":1}""")
                : Mission(T0 + i, i));
        }

        await Assert.ThrowsAsync<InvalidOperationException>(() => log.FlushAsync());

        Assert.Equal(199L, Scalar(database, "SELECT COUNT(*) FROM events"));
        Assert.Equal(199L, Scalar(database, "SELECT COUNT(*) FROM missions"));
        Assert.Equal(199, log.Committed);
        Assert.Equal(1, log.Failed);
        lock (warnings)
        {
            Assert.Contains(warnings, w => w.Contains("mission_created from poison", StringComparison.Ordinal) && w.Contains("poisoned row", StringComparison.Ordinal));
        }
    }

    private static EventEnvelope Event(string type, long t, string data) => new(type, t, "execution", data, UserId: "42");

    private static EventEnvelope Event(long user, string type, long t, string data) =>
        new(type, t, "execution", data, UserId: user.ToString(CultureInfo.InvariantCulture));

    private static StoredFire Fire(string fireId, string missionId, long user, long t) =>
        new(fireId, user, "EA-42", missionId, "S1", "EURUSD", "BUY", 0.12m, 1.083, 1.086, FireStatus.Sent, t, 1, null, null, null);

    private static long Count(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static void Execute(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static EventEnvelope Signal(long t, string id) => new(EventTypes.SignalGenerated, t, "elite_guard",
        $$"""{"signal_id":"{{id}}","symbol":"EURUSD","direction":"BUY","confidence":84.5,"pattern_type":"VCB_BREAKOUT","entry_price":1.08412,"stop_pips":10,"target_pips":15,"expires_at":1763001800000}""");

    private static EventEnvelope Mission(long t, int i) => new(EventTypes.MissionCreated, t, "execution",
        $$"""{"mission_id":"M{{i}}","signal_id":"S1","user_id":{{i % 7}}}""", UserId: (i % 7).ToString(CultureInfo.InvariantCulture));

    private static object? Scalar(IDatabase database, string sql)
    {
        using var connection = database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = command.ExecuteScalar();
        // Both providers' integers as long, whatever width they come back in.
        return value is int or short ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : value;
    }

    /// <summary>Each row as its values joined by '|', nulls empty, numbers invariant.</summary>
    internal static List<string> Rows(IDatabase database, string sql)
    {
        using var connection = database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            var values = new string[reader.FieldCount];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)!;
            }

            rows.Add(string.Join('|', values));
        }

        return rows;
    }

    /// <summary>
    /// A database whose connections wait for the gate: holds the log's writer still so its queue fills. A proxy, so
    /// whatever else <see cref="IDatabase"/> grows is passed straight through.
    /// </summary>
    public class GatedDatabase : System.Reflection.DispatchProxy
    {
        private IDatabase? _inner;
        private ManualResetEventSlim? _gate;
        private ManualResetEventSlim? _held;

        public static IDatabase Create(IDatabase inner, ManualResetEventSlim gate, ManualResetEventSlim held)
        {
            var proxy = Create<IDatabase, GatedDatabase>();
            var gated = (GatedDatabase)(object)proxy;
            gated._inner = inner;
            gated._gate = gate;
            gated._held = held;
            return proxy;
        }

        protected override object? Invoke(System.Reflection.MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            if (targetMethod.Name == nameof(IDatabase.Dispose))
            {
                return null;
            }

            if (targetMethod.Name == nameof(IDatabase.OpenConnection))
            {
                _held!.Set();
                _gate!.Wait();
            }

            return targetMethod.Invoke(_inner, args);
        }
    }
}
