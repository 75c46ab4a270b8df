using System.Globalization;
using System.Reflection;
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
    private const string MigrationPrefix = "Bitten.Persistence.Migrations.Sqlite.";

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

    /// <summary>Opens the database the options name; only the SQLite provider exists so far.</summary>
    public static SqliteDatabase Open(StorageOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.IsSqlite
            ? new SqliteDatabase(options.ConnectionString, time)
            : throw new NotSupportedException($"Storage:Provider '{options.Provider}' is not available yet; use '{StorageOptions.Sqlite}'");
    }

    /// <summary>An open connection; the caller disposes it (it goes back to the pool).</summary>
    public SqliteConnection OpenConnection()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        // Per connection, not per file: SQLite forgets both on every new connection.
        Execute(connection, null, "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL;");
        return connection;
    }

    /// <summary>The migration versions recorded as applied, in order.</summary>
    public IReadOnlyList<int> AppliedMigrations()
    {
        using var connection = OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT version FROM schema_migrations ORDER BY version";
        using var reader = command.ExecuteReader();
        var versions = new List<int>();
        while (reader.Read())
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }

    /// <summary>The embedded migrations: version and SQL, in order.</summary>
    public static IReadOnlyList<(int Version, string Name, string Sql)> Migrations()
    {
        var assembly = typeof(SqliteDatabase).Assembly;
        var migrations = new List<(int, string, string)>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(MigrationPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var name = resource[MigrationPrefix.Length..];
            var digits = name.TakeWhile(char.IsAsciiDigit).Count();
            if (digits == 0 || !int.TryParse(name.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                throw new InvalidOperationException($"migration '{name}' does not start with its number");
            }

            migrations.Add((version, name, Read(assembly, resource)));
        }

        migrations.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        for (var i = 1; i < migrations.Count; i++)
        {
            if (migrations[i].Item1 == migrations[i - 1].Item1)
            {
                throw new InvalidOperationException($"two migrations numbered {migrations[i].Item1}");
            }
        }

        return migrations;
    }

    /// <summary>Lets the file go: pooled connections would otherwise keep it (and its -wal/-shm files) open.</summary>
    public void Dispose()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    internal static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private void Migrate(TimeProvider time)
    {
        using var connection = OpenConnection();
        // WAL is a property of the file, so setting it once here covers every later connection.
        Execute(connection, null, "PRAGMA journal_mode = WAL;");
        Execute(connection, null, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at_ms INTEGER NOT NULL);");
        foreach (var (version, name, sql) in Migrations())
        {
            // BEGIN IMMEDIATE takes the write lock first, so two processes starting at once cannot both apply one.
            using var transaction = connection.BeginTransaction();
            using (var check = connection.CreateCommand())
            {
                check.Transaction = transaction;
                check.CommandText = "SELECT COUNT(*) FROM schema_migrations WHERE version = $version";
                check.Parameters.AddWithValue("$version", version);
                if (Convert.ToInt64(check.ExecuteScalar(), CultureInfo.InvariantCulture) > 0)
                {
                    continue;
                }
            }

            try
            {
                Execute(connection, transaction, sql);
            }
            catch (SqliteException e)
            {
                throw new InvalidOperationException($"migration {name} failed: {e.Message}", e);
            }

            using (var record = connection.CreateCommand())
            {
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO schema_migrations (version, applied_at_ms) VALUES ($version, $at)";
                record.Parameters.AddWithValue("$version", version);
                record.Parameters.AddWithValue("$at", time.GetUtcNow().ToUnixTimeMilliseconds());
                record.ExecuteNonQuery();
            }

            transaction.Commit();
        }
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

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"missing resource {resource}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
