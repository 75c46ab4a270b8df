using Microsoft.Data.Sqlite;

namespace Bitten.Persistence.Tests;

public sealed class SqliteDatabaseTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    [Fact]
    public void OpeningCreatesTheFolderAndAppliesEveryMigrationOnce()
    {
        using var database = _temp.Open();

        Assert.True(File.Exists(_temp.Path));
        var expected = SqliteDatabase.Migrations().Select(m => m.Version).ToArray();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, database.AppliedMigrations());
        // A superset: later migrations add tables of their own.
        Assert.Superset(new HashSet<string>(["api_tokens", "fires", "pairing_codes", "schema_migrations", "users"]), Tables(database).ToHashSet());
    }

    [Fact]
    public void EventsHaveOneSecondaryIndexOnly()
    {
        // Each index on the event log costs every event a b-tree insert: the one kept serves the reads by type at start.
        using var database = _temp.Open();

        var names = Names(database, "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' AND sql IS NOT NULL ORDER BY name");

        Assert.Equal(["events_type_time"], names);
    }

    [Fact]
    public void ConnectionsHaveForeignKeysOnABusyTimeoutAndAWalFile()
    {
        using var database = _temp.Open();
        using var connection = database.OpenConnection();

        Assert.Equal(1L, Scalar(connection, "PRAGMA foreign_keys"));
        Assert.Equal(5000L, Scalar(connection, "PRAGMA busy_timeout"));
        Assert.Equal("wal", Scalar(connection, "PRAGMA journal_mode"));
    }

    [Fact]
    public void OnlySqliteAndPostgresPassValidation()
    {
        Assert.Empty(new StorageOptions().Validate());
        Assert.Empty(new StorageOptions { Provider = "postgres" }.Validate());
        Assert.Contains("Storage:Provider must be 'sqlite' or 'postgres', not 'mysql'", new StorageOptions { Provider = "mysql" }.Validate());
        Assert.Contains("Storage:ConnectionString must not be empty", new StorageOptions { ConnectionString = " " }.Validate());
    }

    [Fact]
    public void TheFactoryOpensSqliteByDefaultAndRefusesAnUnknownProvider()
    {
        using (var database = Database.Open(new StorageOptions { ConnectionString = _temp.ConnectionString }, _temp.Time))
        {
            Assert.IsType<SqliteDatabase>(database);
            Assert.Equal("sqlite", database.Provider);
        }

        Assert.True(File.Exists(_temp.Path));
        Assert.Contains("not 'mysql'", Assert.Throws<ArgumentException>(() => Database.Open(new StorageOptions { Provider = "mysql" })).Message,
            StringComparison.Ordinal);
        Assert.Contains("use Database.Open", Assert.Throws<ArgumentException>(() => SqliteDatabase.Open(new StorageOptions { Provider = "postgres" })).Message,
            StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();

    private static string[] Tables(SqliteDatabase database) =>
        Names(database, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");

    private static string[] Names(SqliteDatabase database, string sql)
    {
        using var connection = database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return [.. names];
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
