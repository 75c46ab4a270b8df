using System.Data.Common;
using System.Globalization;
using Npgsql;

namespace Bitten.Persistence.Tests;

public sealed class SqliteDatabaseContractTests() : DatabaseContract(new SqliteTestStore(), SqliteDatabase.Migrations());

[OnPostgres]
public sealed class PostgresDatabaseContractTests() : DatabaseContract(new PostgresTestStore(), PostgresDatabase.Migrations())
{
    [StoreFact]
    public void ServersStartingAtOnceApplyEachMigrationOnce()
    {
        // The advisory lock makes them take turns; without it two would race on CREATE TABLE and on schema_migrations.
        var store = (PostgresTestStore)Store;
        var opened = new IDatabase[4];
        Parallel.For(0, opened.Length, i => opened[i] = store.Open());
        foreach (var database in opened)
        {
            database.Dispose();
        }

        using var check = store.Open();
        Assert.Equal(PostgresDatabase.Migrations().Select(m => m.Version), check.AppliedMigrations());
        Assert.Equal(PostgresDatabase.Migrations().Count, Convert.ToInt32(Scalar(check, "SELECT COUNT(*) FROM schema_migrations"), CultureInfo.InvariantCulture));
    }

    [StoreFact]
    public void EventsHaveOneSecondaryIndexOnly()
    {
        using var database = ((PostgresTestStore)Store).Open();

        Assert.Equal("events_type_time", Scalar(database,
            "SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes WHERE tablename = 'events' AND indexname <> 'events_pkey'"));
    }

    [StoreFact]
    public void TheFactoryOpensPostgresWhenConfigured()
    {
        var store = (PostgresTestStore)Store;

        using var database = Database.Open(new StorageOptions { Provider = "Postgres", ConnectionString = store.ConnectionString }, store.Time);

        Assert.IsType<PostgresDatabase>(database);
        Assert.Equal("postgres", database.Provider);
        Assert.Equal(store.Name, ((PostgresDatabase)database).DatabaseName);
    }

    [StoreFact]
    public void AnUnreachableServerIsADbException()
    {
        // Port 1 on loopback: nothing listens, so the refusal is immediate.
        Assert.ThrowsAny<NpgsqlException>(() => new PostgresDatabase("Host=127.0.0.1;Port=1;Username=x;Password=y;Timeout=2"));
    }
}

/// <summary>Opening a database on either provider: migrations applied once, and only once.</summary>
public abstract class DatabaseContract : IDisposable
{
    private readonly IReadOnlyList<(int Version, string Name, string Sql)> _migrations;

    protected DatabaseContract(TestStore store, IReadOnlyList<(int Version, string Name, string Sql)> migrations)
    {
        Store = store;
        _migrations = migrations;
    }

    protected TestStore Store { get; }

    [StoreFact]
    public void OpeningAppliesEveryMigrationWithTheTablesTheStoresUse()
    {
        using var database = Store.Open();

        Assert.NotEmpty(_migrations);
        Assert.Equal(_migrations.Select(m => m.Version), database.AppliedMigrations());
        foreach (var table in new[] { "users", "api_tokens", "pairing_codes", "fires" })
        {
            Assert.Equal(0L, Convert.ToInt64(Scalar(database, $"SELECT COUNT(*) FROM {table}"), CultureInfo.InvariantCulture));
        }
    }

    [StoreFact]
    public void ReopeningAppliesNothingAgain()
    {
        long firstAppliedAt;
        using (var first = Store.Open())
        {
            firstAppliedAt = AppliedAt(first);
        }

        Store.Time.Advance(TimeSpan.FromHours(1));
        using var second = Store.Open();

        Assert.Equal(_migrations.Select(m => m.Version), second.AppliedMigrations());
        Assert.Equal(firstAppliedAt, AppliedAt(second));
    }

    [StoreFact]
    public void BothProvidersShipTheSameMigrationNumbers()
    {
        // A migration added for one provider only would leave the other behind.
        Assert.Equal(SqliteDatabase.Migrations().Select(m => m.Version), PostgresDatabase.Migrations().Select(m => m.Version));
    }

    [StoreFact]
    public async Task EventsStoredWithTheirNamesInEachRowKeepThemAsCodesAndNewNamesJoinThem()
    {
        // A store as 0016 left it: the type and source as text in every row.
        using (var bare = Store.OpenBare())
        {
            Run(bare, "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at_ms BIGINT NOT NULL)");
            foreach (var (version, _, sql) in _migrations.Where(m => m.Version < 17))
            {
                Run(bare, sql);
                Run(bare, $"INSERT INTO schema_migrations (version, applied_at_ms) VALUES ({version}, 0)");
            }

            Run(bare, """
                INSERT INTO events (event_type, timestamp_ms, source, correlation_id, user_id, data_json, created_at_ms) VALUES
                    ('fire_command', 1000, 'execution', 'F1', '7', '{"fire_id":"F1"}', 1001),
                    ('mission_created', 1002, 'execution', NULL, NULL, '{"mission_id":"M1"}', 1003),
                    ('fire_command', 1004, 'ea', 'F2', NULL, '{"fire_id":"F2"}', 1005)
                """);
        }

        using var database = Store.Open();
        Assert.Equal(_migrations.Select(m => m.Version), database.AppliedMigrations());
        await using (var log = new Bitten.Persistence.Events.EventLog(database, Store.Time))
        {
            // One known type from a known source, and a type and a source the store has never seen.
            log.Append(new Bitten.Domain.Events.EventEnvelope("fire_command", 1006, "ea", """{"fire_id":"F3"}""", CorrelationId: "F3"));
            log.Append(new Bitten.Domain.Events.EventEnvelope("user_action", 1008, "web", """{"action":"login"}""", UserId: "7"));
            await log.FlushAsync();
        }

        Assert.Equal(
            [
                "fire_command|1000|execution|F1|7|{\"fire_id\":\"F1\"}|1001",
                "mission_created|1002|execution|||{\"mission_id\":\"M1\"}|1003",
                "fire_command|1004|ea|F2||{\"fire_id\":\"F2\"}|1005",
                "fire_command|1006|ea|F3||{\"fire_id\":\"F3\"}|" + Store.Time.GetUtcNow().ToUnixTimeMilliseconds(),
                "user_action|1008|web||7|{\"action\":\"login\"}|" + Store.Time.GetUtcNow().ToUnixTimeMilliseconds(),
            ],
            EventLogContract.Rows(database, "SELECT event_type, timestamp_ms, source, correlation_id, user_id, data_json, created_at_ms FROM events_json ORDER BY id"));
        Assert.Equal(["fire_command|3|1000|1006", "mission_created|1|1002|1002", "user_action|1|1008|1008"],
            EventLogContract.Rows(database, "SELECT event_type, count, first_seen, last_seen FROM event_stats ORDER BY event_type"));
        Assert.Equal([1000L, 1004L, 1006L], new Bitten.Persistence.Events.EventReader(database).Read("fire_command").Select(e => e.TimestampMs));
        // Each name once; every row's codes name one.
        Assert.Equal(["fire_command", "mission_created", "user_action"], EventLogContract.Rows(database, "SELECT name FROM event_types ORDER BY name"));
        Assert.Equal(["ea", "execution", "web"], EventLogContract.Rows(database, "SELECT name FROM event_sources ORDER BY name"));
        Assert.Equal(5L, Convert.ToInt64(Scalar(database, "SELECT COUNT(*) FROM events"), CultureInfo.InvariantCulture));
    }

    public void Dispose()
    {
        Store.Dispose();
        GC.SuppressFinalize(this);
    }

    private static void Run(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    protected static object? Scalar(IDatabase database, string sql)
    {
        using var connection = database.OpenConnection();
        using DbCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static long AppliedAt(IDatabase database) =>
        Convert.ToInt64(Scalar(database, "SELECT MIN(applied_at_ms) FROM schema_migrations"), CultureInfo.InvariantCulture);
}
