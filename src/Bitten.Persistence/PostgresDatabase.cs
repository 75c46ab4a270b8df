using System.Data.Common;
using Npgsql;

namespace Bitten.Persistence;

/// <summary>
/// One PostgreSQL database (Npgsql): applies the embedded migrations on open and hands out pooled connections.
/// The database itself must exist; its tables are ours.
/// </summary>
/// <remarks>
/// Migrations are <c>Migrations/Postgres/NNNN_name.sql</c>, applied in number order, each in its own transaction
/// together with its row in <c>schema_migrations</c> (PostgreSQL DDL is transactional, so a failed migration leaves
/// nothing behind). The whole run holds a session advisory lock: several servers starting at once against one
/// database take turns, and the later ones find everything applied.
/// </remarks>
public sealed class PostgresDatabase : IDatabase
{
    /// <summary>The advisory lock key for migrating: any fixed number; advisory locks are per database.</summary>
    private const long MigrationLock = 0x42_49_54_54_45_4E; // "BITTEN"

    private readonly NpgsqlDataSource _dataSource;

    public PostgresDatabase(string connectionString, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0)
        {
            // The event log's writer runs the same few statements thousands of times a second: prepared once per
            // connection, PostgreSQL parses and plans them once. An operator's own setting wins.
            builder.MaxAutoPrepare = 64;
            builder.AutoPrepareMinUsages = 2;
        }

        _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        try
        {
            Migrate(time ?? TimeProvider.System);
        }
        catch
        {
            _dataSource.Dispose();
            throw;
        }
    }

    public string Provider => StorageOptions.Postgres;

    /// <summary>The database name the connection string points at.</summary>
    public string? DatabaseName => new NpgsqlConnectionStringBuilder(_dataSource.ConnectionString).Database;

    public DbConnection OpenConnection() => _dataSource.OpenConnection();

    public IReadOnlyList<int> AppliedMigrations() => Database.AppliedMigrations(this);

    /// <summary>The embedded migrations: version and SQL, in order.</summary>
    public static IReadOnlyList<(int Version, string Name, string Sql)> Migrations() => Database.LoadMigrations("Postgres");

    /// <summary>Closes the pool's connections.</summary>
    public void Dispose() => _dataSource.Dispose();

    private void Migrate(TimeProvider time)
    {
        using var connection = _dataSource.OpenConnection();
        // Taken before CREATE TABLE IF NOT EXISTS too: two sessions creating one table at once can still collide.
        Database.Execute(connection, null, $"SELECT pg_advisory_lock({MigrationLock})");
        try
        {
            Database.Execute(connection, null, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at_ms BIGINT NOT NULL)");
            Database.ApplyMigrations(connection, Migrations(), time);
        }
        finally
        {
            // A session lock outlives transactions; the pooled connection would keep it if not released here.
            if (connection.State == System.Data.ConnectionState.Open)
            {
                Database.Execute(connection, null, $"SELECT pg_advisory_unlock({MigrationLock})");
            }
        }
    }
}
