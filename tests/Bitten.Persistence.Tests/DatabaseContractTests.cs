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

    public void Dispose()
    {
        Store.Dispose();
        GC.SuppressFinalize(this);
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
