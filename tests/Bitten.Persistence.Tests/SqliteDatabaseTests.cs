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
        Assert.Equal(["api_tokens", "fires", "pairing_codes", "schema_migrations", "users"], Tables(database));
    }

    [Fact]
    public void ReopeningAppliesNothingAgain()
    {
        long firstAppliedAt;
        using (var first = _temp.Open())
        {
            firstAppliedAt = AppliedAt(first);
        }

        _temp.Time.Advance(TimeSpan.FromHours(1));
        using var second = _temp.Open();

        Assert.Equal(SqliteDatabase.Migrations().Select(m => m.Version), second.AppliedMigrations());
        Assert.Equal(firstAppliedAt, AppliedAt(second));
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
    public void OnlySqliteAndTheReservedPostgresProviderPassValidation()
    {
        Assert.Empty(new StorageOptions().Validate());
        Assert.Empty(new StorageOptions { Provider = "postgres" }.Validate());
        Assert.Contains("Storage:Provider must be 'sqlite' or 'postgres', not 'mysql'", new StorageOptions { Provider = "mysql" }.Validate());
        Assert.Contains("Storage:ConnectionString must not be empty", new StorageOptions { ConnectionString = " " }.Validate());
        Assert.Throws<NotSupportedException>(() => SqliteDatabase.Open(new StorageOptions { Provider = "postgres" }));
    }

    public void Dispose() => _temp.Dispose();

    private static long AppliedAt(SqliteDatabase database)
    {
        using var connection = database.OpenConnection();
        return (long)Scalar(connection, "SELECT MIN(applied_at_ms) FROM schema_migrations")!;
    }

    private static string[] Tables(SqliteDatabase database)
    {
        using var connection = database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
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
