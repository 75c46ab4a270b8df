using Npgsql;

namespace Bitten.EndToEnd.Tests;

/// <summary>A database of its own on the test PostgreSQL (BITTEN_TEST_PG) for a test whose processes share it.</summary>
internal static class TestPostgres
{
    /// <summary>A new database named with <paramref name="prefix"/>, its connection string, and how to drop it.</summary>
    public static (string ConnectionString, Action Drop) Fresh(string prefix)
    {
        var server = Environment.GetEnvironmentVariable("BITTEN_TEST_PG")!;
        var name = prefix + Guid.NewGuid().ToString("N")[..12];
        Execute(server, $"CREATE DATABASE {name}");
        var connection = new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = false }.ConnectionString;
        return (connection, () => Execute(server, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
    }

    /// <summary>The one number a <c>SELECT COUNT(*) …</c> answers.</summary>
    public static long Count(NpgsqlDataSource db, string sql)
    {
        using var command = db.CreateCommand(sql);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Execute(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}

/// <summary>Runs on the test PostgreSQL (BITTEN_TEST_PG, which ./test starts); skips with the reason outside CI without one, fails in CI.</summary>
public sealed class PostgresStoreFactAttribute : FactAttribute
{
    public PostgresStoreFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("BITTEN_TEST_PG") is not { Length: > 0 }
            && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = "no PostgreSQL for the test: ./test starts one (scripts/postgres.sh), or set BITTEN_TEST_PG";
        }
    }
}
