using Bitten.Domain.Users;

namespace Bitten.Persistence.Tests;

public sealed class SqliteFireStoreTests() : FireStoreContract(new SqliteTestStore());

[OnPostgres]
public sealed class PostgresFireStoreTests() : FireStoreContract(new PostgresTestStore());

/// <summary>The compact encoding of a signal's fires (fire_batches.fires): no store needed.</summary>
public sealed class FireBatchTests
{
    [Fact]
    public void ABatchRoundTripsThroughItsEncodingAndAnotherVersionIsRefused()
    {
        static StoredFire Sent(string id) => new(id, 1001, "EA-1", "M-" + id, "S-1", "EURUSD", "BUY", 0.1m, 1.098, 1.103, FireStatus.Sent, 1_704_189_600_000, 1,
            null, null, null, "AUTO");
        List<StoredFire> batch = [Sent("F1") with { Lot = 1.23m, ExecutionMode = "MANUAL" }, Sent("Fé2") with { StopLoss = double.Epsilon }];

        var encoded = FireBatch.Encode(batch);

        Assert.Equal(batch, FireBatch.Decode(encoded));
        Assert.True(FireBatch.IsClaimed(encoded));
        encoded[0] = 9;
        Assert.Throws<InvalidDataException>(() => FireBatch.Decode(encoded));
        Assert.Throws<InvalidDataException>(() => FireBatch.Decode(FireBatch.Encode(batch)[..20]));
    }
}

/// <summary>What <see cref="FireStore"/> does, whichever provider is behind it.</summary>
public abstract class FireStoreContract : IDisposable
{
    private readonly TestStore _temp;
    private readonly IDatabase _database;
    private readonly FireStore _fires;
    private readonly long _userId;

    protected FireStoreContract(TestStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _temp = store;
        try
        {
            _database = store.Open();
        }
        catch
        {
            store.Dispose();
            throw;
        }

        _fires = new FireStore(_database, _temp.Time);
        _userId = new UserStore(_database, _temp.Time).Add(1001, Tier.Commander, Role.User, FireMode.Auto, "EA-1").User.UserId;
    }

    [StoreFact]
    public void ASavedFireReadsBackExactly()
    {
        var fire = Fire("F1") with { Lot = 0.07m, Ticket = 42, FillPrice = 1.08345, Message = "note", ExecutionMode = "MANUAL" };

        _fires.SaveNew([fire, Fire("F2")]);

        Assert.Equal(fire, _fires.Get("F1"));
        // A fire stored without its mode (as before 0009) reads back without one: the restore takes it as AUTO.
        Assert.Null(_fires.Get("F2")!.ExecutionMode);
        Assert.Null(_fires.Get("F9"));
    }

    [StoreFact]
    public void ABatchWithADuplicateFireIdStoresNothing()
    {
        _fires.SaveNew([Fire("F1")]);

        Assert.Equal("fire 'F1' is already stored",
            Assert.Throws<InvalidOperationException>(() => _fires.SaveNew([Fire("F2"), Fire("F3"), Fire("F1")])).Message);
        Assert.Equal("fire 'F4' is already stored",
            Assert.Throws<InvalidOperationException>(() => _fires.SaveNew([Fire("F4"), Fire("F4")])).Message);

        Assert.NotNull(_fires.Get("F1"));
        Assert.All(new[] { "F2", "F3", "F4" }, id => Assert.Null(_fires.Get(id)));
    }

    [StoreFact]
    public void ABatchWithAFireForAnUnknownUserStoresNothing()
    {
        var e = Assert.Throws<InvalidOperationException>(() => _fires.SaveNew([Fire("F1"), Fire("F2") with { UserId = 999 }]));

        Assert.Equal("fire 'F2' names user 999, who does not exist", e.Message);
        Assert.Null(_fires.Get("F1"));
    }

    [StoreFact]
    public void SentFiresAreUnconfirmedUntilCompleted()
    {
        _fires.SaveNew([Fire("F1"), Fire("F2") with { CreatedAtMs = 2 }, Fire("F3") with { EaUuid = "EA-2" }]);
        Assert.Empty(_fires.Unconfirmed("EA-1"));

        _fires.MarkSent("F2");
        _fires.MarkSent("F1");
        _fires.MarkSent("F1");
        _fires.MarkSent("F3");

        Assert.Equal(["F1", "F2"], _fires.Unconfirmed("EA-1").Select(f => f.FireId));
        Assert.Equal(2, _fires.Get("F1")!.SentCount);
        Assert.Equal(FireStatus.Sent, _fires.Get("F1")!.Status);

        _fires.Complete("F1", "FILLED", 123456, 1.0851, null);
        _fires.Complete("F2", "FAILED", null, null, "market closed");
        _fires.MarkSent("F2");

        Assert.Empty(_fires.Unconfirmed("EA-1"));
        Assert.Equal(["F3"], _fires.Unconfirmed("EA-2").Select(f => f.FireId));
        Assert.Equal(Fire("F1") with { Status = "FILLED", SentCount = 2, Ticket = 123456, FillPrice = 1.0851 }, _fires.Get("F1"));
        Assert.Equal(Fire("F2") with { CreatedAtMs = 2, Status = "FAILED", SentCount = 2, Message = "market closed" }, _fires.Get("F2"));
        Assert.Throws<InvalidOperationException>(() => _fires.MarkSent("F9"));
        Assert.Throws<InvalidOperationException>(() => _fires.Complete("F9", "FILLED", 1, 1, null));
    }

    [StoreFact]
    public void CompleteAllRecordsEveryEndOrNoneWhenOneFireIsUnknown()
    {
        _fires.SaveNew([Fire("F1"), Fire("F2")]);

        Assert.Equal("no fire 'F9'", Assert.Throws<InvalidOperationException>(() => _fires.CompleteAll(
            [new FireEnd("F1", "FILLED", 1, 1.1, null), new FireEnd("F9", "FILLED", 2, 1.2, null)])).Message);
        Assert.Equal(FireStatus.Pending, _fires.Get("F1")!.Status);

        _fires.CompleteAll([new FireEnd("F1", "FILLED", 1, 1.1, null), new FireEnd("F2", "FAILED", null, null, "no money")]);

        Assert.Equal(Fire("F1") with { Status = "FILLED", Ticket = 1, FillPrice = 1.1 }, _fires.Get("F1"));
        Assert.Equal(Fire("F2") with { Status = "FAILED", Message = "no money" }, _fires.Get("F2"));
    }

    [StoreFact]
    public void ReopeningTheStoreKeepsFires()
    {
        _fires.SaveNew([Fire("F1")]);
        _fires.MarkSent("F1");
        _database.Dispose();

        using var reopened = _temp.Open();
        var fires = new FireStore(reopened, _temp.Time);

        Assert.Equal([Fire("F1") with { Status = FireStatus.Sent, SentCount = 1 }], fires.Unconfirmed("EA-1"));
    }

    [StoreFact]
    public void ABatchsFiresReadAsSentBeforeTheyAreFiledAndTheSameAfter()
    {
        List<StoredFire> batch = [Sent("F1"), Sent("F2") with { CreatedAtMs = 2, ExecutionMode = "AUTO" }, Sent("F3") with { EaUuid = "EA-2" }];

        InTransaction((connection, transaction) => _fires.SaveBatch(batch, connection, transaction));

        Assert.Equal(3, _fires.Unfiled());
        Assert.Equal([batch[0], batch[1]], _fires.Unconfirmed("EA-1"));
        Assert.Equal(batch[2], _fires.Get("F3"));
        Assert.Equal(0L, Scalar("SELECT COUNT(*) FROM fires"));

        Assert.Equal((3, 0), _fires.FileBatches());

        Assert.Equal(0, _fires.Unfiled());
        Assert.Equal(3L, Scalar("SELECT COUNT(*) FROM fires"));
        Assert.Equal([batch[0], batch[1]], _fires.Unconfirmed("EA-1"));
        // Filed with their projections: each mission fired and each slot taken, as a fire saved one by one makes them.
        Assert.Equal(3L, Scalar("SELECT COUNT(*) FROM missions WHERE status = 'FIRED'"));
        Assert.Equal(3L, Scalar("SELECT COUNT(*) FROM slots WHERE released_at_ms IS NULL"));
        Assert.Equal((0, 0), _fires.FileBatches());
    }

    [StoreFact]
    public void FilingFiresAMissionStillPendingAndLeavesOneFurtherAlongAsItIs()
    {
        // Each provider files a batch its own way (PostgreSQL as one statement over arrays): the missions must end as
        // the fires one by one would leave them. A mission event committed before the batch was filed left M-F1
        // PENDING; M-F2 is already FILLED (its fill came first); M-F3 has no row yet.
        InTransaction((connection, transaction) =>
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"""
                INSERT INTO missions (mission_id, signal_id, user_id, status, fire_id, created_at_ms, updated_at_ms) VALUES
                    ('M-F1', 'S-1', '{_userId}', 'PENDING', NULL, 0, 0),
                    ('M-F2', 'S-1', '{_userId}', 'FILLED', 'F2', 0, 5)
                """;
            command.ExecuteNonQuery();
        });
        InTransaction((connection, transaction) => _fires.SaveBatch([Sent("F1"), Sent("F2"), Sent("F3")], connection, transaction));

        Assert.Equal((3, 0), _fires.FileBatches());

        Assert.Equal(
            ["M-F1|FIRED|F1|1", "M-F2|FILLED|F2|5", "M-F3|FIRED|F3|1"],
            Rows("SELECT mission_id, status, fire_id, updated_at_ms FROM missions ORDER BY created_at_ms, updated_at_ms, fire_id"));
        Assert.Equal(["F1|1", "F2|1", "F3|1"], Rows("SELECT fire_id, taken_at_ms FROM slots ORDER BY taken_at_ms, fire_id"));
    }

    [StoreFact]
    public void FilingSkipsWhatIsStoredAndFiresOfUnknownUsersAndKeepsTheRest()
    {
        _fires.SaveNew([Sent("F1") with { Status = FireStatus.Filled, Ticket = 7 }]);
        InTransaction((connection, transaction) => _fires.SaveBatch([Sent("F1"), Sent("F2") with { UserId = 999 }, Sent("F3")], connection, transaction));

        Assert.Equal((1, 1), _fires.FileBatches());

        Assert.Equal(FireStatus.Filled, _fires.Get("F1")!.Status);
        Assert.Null(_fires.Get("F2"));
        Assert.Equal(FireStatus.Sent, _fires.Get("F3")!.Status);
        Assert.Equal(0, _fires.Unfiled());
    }

    [StoreFact]
    public void AResendOrAConfirmationOfAnUnfiledFireFilesItsBatchFirst()
    {
        InTransaction((connection, transaction) => _fires.SaveBatch([Sent("F1"), Sent("F2")], connection, transaction));

        InTransaction((connection, transaction) => _fires.MarkSent("F1", connection, transaction));
        Assert.Equal(0, _fires.Unfiled());
        Assert.Equal(2, _fires.Get("F1")!.SentCount);

        InTransaction((connection, transaction) => _fires.SaveBatch([Sent("F3")], connection, transaction));
        _fires.CompleteAll([new FireEnd("F3", FireStatus.Filled, 9, 1.081, "ok")]);
        Assert.Equal(FireStatus.Filled, _fires.Get("F3")!.Status);
        Assert.Equal(9, _fires.Get("F3")!.Ticket);
    }

    [StoreFact]
    public void OfWritersFiringOneMissionAtOnceExactlyOneStoresItsFire()
    {
        // Eight writers (two engines overlapping, web instances, bots) each fire mission M-X under their own fire id, in
        // transactions of their own, released together: the database lets one claim through.
        using var start = new Barrier(8);
        var writers = Enumerable.Range(0, 8).Select(i => Task.Run(() =>
        {
            var fires = new FireStore(_database, _temp.Time);
            using var connection = _database.OpenConnection();
            start.SignalAndWait();
            using var transaction = connection.BeginTransaction();
            var refused = fires.SaveBatch([Sent($"W{i}") with { MissionId = "M-X" }, Sent($"W{i}-own")], connection, transaction);
            transaction.Commit();
            return (Fire: $"W{i}", Refused: refused);
        })).ToArray();
        Task.WaitAll(writers);

        var won = Assert.Single(writers, w => w.Result.Refused.Count == 0).Result.Fire;
        Assert.All(writers.Where(w => w.Result.Fire != won), w => Assert.Equal([w.Result.Fire], w.Result.Refused));
        // Every writer's other fire is stored; of M-X's, only the winner's, before filing and after.
        Assert.Equal(won, Assert.Single(_fires.Unconfirmed("EA-1"), f => f.MissionId == "M-X").FireId);
        Assert.Equal(9, _fires.Unfiled());
        Assert.Equal((9, 0), _fires.FileBatches());
        Assert.Equal(1L, Scalar("SELECT COUNT(*) FROM fires WHERE mission_id = 'M-X'"));
        Assert.Equal(won, _fires.Unconfirmed("EA-1").Single(f => f.MissionId == "M-X").FireId);
    }

    [StoreFact]
    public void AMissionAlreadyFiredRefusesAnotherFireAndKeepsTheSameOne()
    {
        _fires.SaveNew([Sent("F1") with { MissionId = "M-1" }]);

        // Another fire for the mission: refused whole by a direct save, left out of a batch (which keeps the rest).
        var direct = Assert.Throws<InvalidOperationException>(() => _fires.SaveNew([Sent("F2") with { MissionId = "M-1" }]));
        Assert.Contains("M-1", direct.Message, StringComparison.Ordinal);
        IReadOnlyCollection<string> refused = [];
        InTransaction((connection, transaction) => refused = _fires.SaveBatch([Sent("F3") with { MissionId = "M-1" }, Sent("F4")], connection, transaction));
        Assert.Equal(["F3"], refused);
        Assert.Equal((1, 0), _fires.FileBatches());
        Assert.Null(_fires.Get("F3"));
        Assert.NotNull(_fires.Get("F4"));

        // The same fire again is not another fire: a batch filed after its claim, or written twice, is not refused.
        InTransaction((connection, transaction) => refused = _fires.SaveBatch([Sent("F1") with { MissionId = "M-1" }], connection, transaction));
        Assert.Empty(refused);
        Assert.Equal((0, 0), _fires.FileBatches());
    }

    [StoreFact]
    public void IdsThatJsonMustEscapeAreClaimedAndRefusedExactlyAsTheyAre()
    {
        // The SQLite claim passes a batch's ids as one JSON array: quotes, backslashes and non-ASCII must come out whole.
        const string odd = "M-\"q\" \\ é ✓ \u0001";
        IReadOnlyCollection<string> refused = [];
        InTransaction((connection, transaction) => refused = _fires.SaveBatch([Sent("F\"1") with { MissionId = odd }, Sent("F2")], connection, transaction));
        Assert.Empty(refused);
        InTransaction((connection, transaction) => refused = _fires.SaveBatch([Sent("F\\3") with { MissionId = odd }, Sent("F\"1") with { MissionId = odd }],
            connection, transaction));

        Assert.Equal(["F\\3"], refused);
        Assert.Equal((2, 0), _fires.FileBatches());
        Assert.Equal(odd, _fires.Get("F\"1")!.MissionId);
    }

    [StoreFact]
    public void ABatchWrittenBeforeTheLockExistedClaimsItsMissionsWhenFiled()
    {
        _fires.SaveNew([Sent("F1") with { MissionId = "M-1" }]);
        // A batch an older build left behind (version 1: its missions never claimed), naming M-1 under another fire.
        var old = FireBatch.Encode([Sent("F2") with { MissionId = "M-1" }, Sent("F3")]);
        old[0] = 1;
        Assert.False(FireBatch.IsClaimed(old));
        InTransaction((connection, transaction) =>
        {
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO fire_batches (signal_id, fire_count, created_at_ms, fires) VALUES ('S-1', 2, 1, @fires)";
            var fires = insert.CreateParameter();
            fires.ParameterName = "@fires";
            fires.Value = old;
            insert.Parameters.Add(fires);
            insert.ExecuteNonQuery();
        });

        Assert.Equal((1, 1), _fires.FileBatches());
        Assert.Null(_fires.Get("F2"));
        Assert.NotNull(_fires.Get("F3"));
        Assert.Equal(1L, Scalar("SELECT COUNT(*) FROM fire_locks WHERE mission_id = 'M-F3' AND fire_id = 'F3'"));
    }

    [StoreFact]
    public void TheLockIsTheDatabasesOwnConstraintNotTheStoresCode()
    {
        _fires.SaveNew([Sent("F1") with { MissionId = "M-1" }]);

        // A writer that bypasses FireStore altogether still cannot lock a fired mission a second time.
        using var connection = _database.OpenConnection();
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO fire_locks (mission_id, fire_id, locked_at_ms) VALUES ('M-1', 'F9', 1)";
        var refused = Assert.IsAssignableFrom<System.Data.Common.DbException>(Record.Exception(() => insert.ExecuteNonQuery()));
        Assert.True(refused is Microsoft.Data.Sqlite.SqliteException { SqliteExtendedErrorCode: 1555 }
            || refused is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation }, refused.Message);
    }

    private StoredFire Sent(string id) => Fire(id) with { Status = FireStatus.Sent, SentCount = 1 };

    private void InTransaction(Action<System.Data.Common.DbConnection, System.Data.Common.DbTransaction> write)
    {
        using var connection = _database.OpenConnection();
        using var transaction = connection.BeginTransaction();
        write(connection, transaction);
        transaction.Commit();
    }

    private List<string> Rows(string sql) => EventLogContract.Rows(_database, sql);

    private long Scalar(string sql)
    {
        using var connection = _database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        _database.Dispose();
        _temp.Dispose();
        GC.SuppressFinalize(this);
    }

    private StoredFire Fire(string id) => new(
        id, _userId, "EA-1", "M-" + id, "S-1", "EURUSD", "BUY", 0.1m, 1.0800, 1.0900, FireStatus.Pending, 1, 0, null, null, null);
}
