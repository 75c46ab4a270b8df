using Microsoft.Data.Sqlite;

namespace Bitten.Persistence;

/// <summary>
/// One SQLite database: creates the file's folder, applies the embedded migrations on open, and hands out
/// connections set up the same way every time (foreign keys on, a 5 s busy timeout; the file itself is in WAL mode).
/// </summary>
/// <remarks>
/// Migrations are <c>Migrations/Sqlite/NNNN_name.sql</c>, applied in number order, each in its own transaction
/// together with its row in <c>schema_migrations</c>, so a crash mid-migration leaves nothing half done and a
/// restart applies only what is missing.
/// </remarks>
public sealed class SqliteDatabase : IDatabase
{
    private readonly string _connectionString;

    public SqliteDatabase(string connectionString, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new SqliteConnectionStringBuilder(connectionString);
        EnsureFolder(builder);
        _connectionString = builder.ToString();
        Migrate(time ?? TimeProvider.System);
    }

    public string ConnectionString => _connectionString;

    public string Provider => StorageOptions.Sqlite;

    System.Data.Common.DbConnection IDatabase.OpenConnection() => OpenConnection();

    /// <summary>Opens the SQLite database the options name; <see cref="Database.Open"/> takes any provider.</summary>
    /// <exception cref="ArgumentException">The options name another provider.</exception>
    public static SqliteDatabase Open(StorageOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.IsSqlite
            ? new SqliteDatabase(options.ConnectionString, time)
            : throw new ArgumentException($"Storage:Provider is '{options.Provider}', not '{StorageOptions.Sqlite}': use Database.Open", nameof(options));
    }

    /// <summary>An open connection; the caller disposes it (it goes back to the pool).</summary>
    public SqliteConnection OpenConnection()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        // Per connection, not per file: SQLite forgets both on every new connection.
        Database.Execute(connection, null, "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL;");
        return connection;
    }

    /// <summary>The migration versions recorded as applied, in order.</summary>
    public IReadOnlyList<int> AppliedMigrations() => Database.AppliedMigrations(this);

    /// <summary>The embedded migrations: version and SQL, in order.</summary>
    public static IReadOnlyList<(int Version, string Name, string Sql)> Migrations() => Database.LoadMigrations("Sqlite");

    /// <summary>Lets the file go: pooled connections would otherwise keep it (and its -wal/-shm files) open.</summary>
    public void Dispose()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    private void Migrate(TimeProvider time)
    {
        using var connection = OpenConnection();
        // WAL is a property of the file, so setting it once here covers every later connection.
        Database.Execute(connection, null, "PRAGMA journal_mode = WAL;");
        Database.Execute(connection, null, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at_ms INTEGER NOT NULL);");
        // Each migration's transaction is BEGIN IMMEDIATE (the provider's default): it takes the write lock before
        // checking schema_migrations, so two processes starting at once cannot both apply one.
        Database.ApplyMigrations(connection, Migrations(), time);
    }

    private static void EnsureFolder(SqliteConnectionStringBuilder builder)
    {
        var source = builder.DataSource;
        if (builder.Mode == SqliteOpenMode.Memory || string.IsNullOrEmpty(source) || source == ":memory:"
            || source.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(source));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }
    }
}
