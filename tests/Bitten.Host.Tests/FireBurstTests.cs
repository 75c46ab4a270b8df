using System.Text;
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
using Bitten.Host.Execution;
using Bitten.Persistence;
using Bitten.Wire.Ea;
using Bitten.Zmq;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using EventLog = Bitten.Persistence.Events.EventLog;

namespace Bitten.Host.Tests;

/// <summary>
/// The store-before-send rule at 1,000 users, on the path `bitten run` takes (desk, outbox, the event log's one
/// writer on SQLite, the ROUTER, a real DEALER): one signal's thousand fires are committed, behind the signal and
/// before any of the signal's missions, and all of them are in the store when the first fire reaches its EA.
/// </summary>
public sealed class FireBurstTests : IDisposable
{
    private const int Users = 1000;

    private readonly TempStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task ABurstOfAThousandFiresIsCommittedBeforeTheFirstIsSentAndItsMissionsAreStoredAfter()
    {
        var clock = TimeProvider.System;
        using var database = new SqliteDatabase($"Data Source={_store.Path}", clock);
        var users = new UserStore(database, clock);
        for (var i = 0; i < Users; i++)
        {
            var (user, _) = users.Add(50_000 + i, Tier.Commander, Role.User, FireMode.Auto, $"BURST_EA_{i:D4}");
            users.Update(user.TelegramId, null, null, AutoFireSettings.Default with { RiskPercent = 1m }, null);
        }

        // A probe in the store itself: what the log held at the instant the batch's row went in. It also makes the
        // batch's commit slow on purpose (counting to 500,000 inside the transaction), so an outbox that sent before
        // the commit finished would be caught every time, not only when it happened to win the race.
        Execute("""
            CREATE TABLE burst_probe (signal_events INTEGER, mission_events INTEGER, fire_count INTEGER, widened INTEGER);
            CREATE TRIGGER burst_probe_batch AFTER INSERT ON fire_batches BEGIN
                INSERT INTO burst_probe SELECT
                    (SELECT count(*) FROM events WHERE type_code = (SELECT code FROM event_types WHERE name = 'signal_generated') AND instr(data_json, NEW.signal_id) > 0),
                    (SELECT count(*) FROM events WHERE type_code = (SELECT code FROM event_types WHERE name = 'mission_created') AND instr(data_json, NEW.signal_id) > 0),
                    NEW.fire_count,
                    (WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 500000) SELECT count(*) FROM n);
            END;
            """);

        var zmq = new ZmqOptions { CommandPort = 0, ConfirmPort = 0 };
        await using var kernel = new TradingKernel(clock, new MarketOptions(), new KernelOptions());
        await using var eventLog = new EventLog(database, clock);
        var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var recorder = new EventRecorder(eventLog, new Watch(e =>
        {
            if (e is EaConnected { IsHello: true })
            {
                connected.TrySetResult();
            }
        }));
        var positions = new SignalPositions(eventLog);
        await using var outbox = new CommandOutbox(new StoreFireJournal(new FireStore(database, clock), eventLog, positions), NullLogger.Instance);
        var desk = new ExecutionDesk(clock, new ExecutionOptions(), outbox, recorder);
        foreach (var user in users.List())
        {
            desk.UpsertUser(user);
        }

        kernel.Start();
        await using var gateway = new EaGateway(zmq, kernel, desk, null, NullLogger.Instance);
        gateway.Start();
        outbox.Start(gateway);

        // The first user's EA is a real DEALER (the batch goes out in user order, so its fire is the first sent);
        // the other 999 are alive to the desk, their commands go to peers that are not there.
        using var context = new ZmqContext();
        using var dealer = context.CreateSocket(ZmqSocketType.Dealer);
        dealer.Linger = 0;
        dealer.SetIdentity(Encoding.UTF8.GetBytes("BURST_EA_0000"));
        dealer.Connect(zmq.ConnectEndpoint(gateway.CommandPort));
        var account = new AccountReport(10_000m, 10_000m, 0m, 10_000m, 0m, "USD", 500, "burst", "BURST");
        dealer.Send(new EaMessageWriter().Hello("BURST_EA_0000", "burst", account, [], [], null, clock.GetUtcNow().ToUnixTimeMilliseconds()));
        await connected.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var signal = new Signal(SignalIds.Create(SignalClass.Rapid, PatternType.BbScalp, "EURUSD", now), "EURUSD", new SymbolId(0), Direction.Buy,
            1.10000, 1.09800, 1.10300, 20, 30, 1.5, 85, PatternType.BbScalp, 7, "LONDON", now, now + 1_800_000, now);
        var sent = await kernel.AskAsync(() =>
        {
            for (var i = 1; i < Users; i++)
            {
                desk.OnCheckIn(new EaCheckIn($"BURST_EA_{i:D4}", true, new AccountSnapshot(10_000m, 10_000m, 10_000m, "USD"), [], []));
            }

            // As the pipeline does: the signal is recorded, its place in the log known, then the desk fans it out.
            recorder.OnSignal(signal);
            positions.OnSignal(signal);
            desk.Accept(signal);
            return desk.Counts.FiresSent;
        });
        Assert.Equal(Users, sent);

        // The instant the first fire arrives, every fire of the burst must already be in the store.
        var poll = new[] { new ZmqPollItem(dealer) };
        Assert.True(ZmqPoller.Poll(poll, 30_000) > 0, "the first user's fire never arrived");
        Assert.True(dealer.TryReceiveFrame(out var frame, dontWait: true));
        var storedAtArrival = Scalar($"""
            SELECT (SELECT coalesce(sum(fire_count), 0) FROM fire_batches WHERE signal_id = '{signal.SignalId}')
                 + (SELECT count(*) FROM fires WHERE signal_id = '{signal.SignalId}')
            """);
        Assert.Equal(Users, storedAtArrival);
        using (var fire = System.Text.Json.JsonDocument.Parse(frame))
        {
            var fireId = fire.RootElement.GetProperty("fire_id").GetString()!;
            var stored = Assert.Single(new FireStore(database, clock).Get([fireId]));
            Assert.Equal((signal.SignalId, "BURST_EA_0000"), (stored.SignalId, stored.EaUuid));
        }

        await eventLog.WhenCommittedAsync();
        await outbox.DisposeAsync();
        await eventLog.WhenCommittedAsync();

        // One batch, committed behind its signal and ahead of every one of its missions; the missions came after.
        Assert.Equal((1L, 0L, (long)Users), Probe());
        Assert.Equal(Users, Scalar($"SELECT count(*) FROM events_json WHERE event_type = 'mission_created' AND instr(data_json, '{signal.SignalId}') > 0"));
        Assert.Equal(Users, Scalar($"SELECT count(*) FROM fires WHERE signal_id = '{signal.SignalId}'"));
    }

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_store.Path}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private long Scalar(string sql)
    {
        // A connection of the test's own: it sees what was committed, nothing the writer still holds.
        using var connection = new SqliteConnection($"Data Source={_store.Path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private (long Signals, long Missions, long Fires) Probe()
    {
        using var connection = new SqliteConnection($"Data Source={_store.Path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT signal_events, mission_events, fire_count FROM burst_probe";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read(), "no batch was stored");
        var row = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
        Assert.False(reader.Read(), "the burst was stored in more than one batch");
        return row;
    }

    private sealed class Watch(Action<TradingEvent> seen) : IExecutionObserver
    {
        public void OnEvent(TradingEvent e) => seen(e);
    }
}
