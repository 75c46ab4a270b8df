using System.Data.Common;
using System.Globalization;
using System.Reflection;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Bitten.Persistence;

/// <summary>Opens the store the options name, on whichever provider, with its migrations applied.</summary>
public static class Database
{
    /// <summary>SQLite (a file, created with its folder) or PostgreSQL, per <see cref="StorageOptions.Provider"/>.</summary>
    /// <exception cref="ArgumentException">An unknown provider or a malformed connection string.</exception>
    /// <exception cref="DbException">The server or file cannot be reached.</exception>
    /// <exception cref="InvalidOperationException">A migration failed.</exception>
    public static IDatabase Open(StorageOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.IsSqlite)
        {
            return new SqliteDatabase(options.ConnectionString, time);
        }

        if (options.IsPostgres)
        {
            return new PostgresDatabase(options.ConnectionString, time);
        }

        throw new ArgumentException(
            $"Storage:Provider must be '{StorageOptions.Sqlite}' or '{StorageOptions.Postgres}', not '{options.Provider}'", nameof(options));
    }

    /// <summary>Adds a named parameter the provider-neutral way (both providers accept <c>@name</c>).</summary>
    internal static DbParameter Add(this DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    internal static int Execute(DbConnection connection, DbTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    }

    /// <summary>Which constraint a failed write broke, the same way on both providers, or null for anything else.</summary>
    internal static Violation? ViolationOf(DbException e) => e switch
    {
        // SQLITE_CONSTRAINT (19), told apart by the extended code: 2067 UNIQUE, 1555 PRIMARY KEY, 787 FOREIGN KEY.
        SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 } => Violation.Unique,
        SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 787 } => Violation.ForeignKey,
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } => Violation.Unique,
        PostgresException { SqlState: PostgresErrorCodes.ForeignKeyViolation } => Violation.ForeignKey,
        _ => null,
    };

    /// <summary>
    /// The embedded <c>Migrations/{folder}/NNNN_name.sql</c> files: version, name and SQL, in number order; a file
    /// without a leading number or two files with one number are a build mistake, reported as such.
    /// </summary>
    internal static IReadOnlyList<(int Version, string Name, string Sql)> LoadMigrations(string folder)
    {
        var prefix = $"Bitten.Persistence.Migrations.{folder}.";
        var assembly = typeof(Database).Assembly;
        var migrations = new List<(int Version, string Name, string Sql)>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var name = resource[prefix.Length..];
            var digits = name.TakeWhile(char.IsAsciiDigit).Count();
            if (digits == 0 || !int.TryParse(name.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                throw new InvalidOperationException($"migration '{name}' does not start with its number");
            }

            migrations.Add((version, name, Read(assembly, resource)));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 1; i < migrations.Count; i++)
        {
            if (migrations[i].Version == migrations[i - 1].Version)
            {
                throw new InvalidOperationException($"two migrations numbered {migrations[i].Version}");
            }
        }

        return migrations;
    }

    internal static IReadOnlyList<int> AppliedMigrations(IDatabase database)
    {
        using var connection = database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT version FROM schema_migrations ORDER BY version";
        using var reader = command.ExecuteReader();
        var versions = new List<int>();
        while (reader.Read())
        {
            versions.Add(Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture));
        }

        return versions;
    }

    /// <summary>
    /// Applies what <c>schema_migrations</c> lacks, each migration in its own transaction together with its row, so a
    /// crash mid-migration leaves nothing half done. The caller keeps other processes out (a lock) while this runs.
    /// </summary>
    internal static void ApplyMigrations(DbConnection connection, IReadOnlyList<(int Version, string Name, string Sql)> migrations, TimeProvider time)
    {
        foreach (var (version, name, sql) in migrations)
        {
            using var transaction = connection.BeginTransaction();
            using (var check = connection.CreateCommand())
            {
                check.Transaction = transaction;
                check.CommandText = "SELECT COUNT(*) FROM schema_migrations WHERE version = @version";
                check.Add("@version", version);
                if (Convert.ToInt64(check.ExecuteScalar(), CultureInfo.InvariantCulture) > 0)
                {
                    continue;
                }
            }

            try
            {
                Execute(connection, transaction, sql);
            }
            catch (DbException e)
            {
                throw new InvalidOperationException($"migration {name} failed: {e.Message}", e);
            }

            using (var record = connection.CreateCommand())
            {
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO schema_migrations (version, applied_at_ms) VALUES (@version, @at)";
                record.Add("@version", version);
                record.Add("@at", time.GetUtcNow().ToUnixTimeMilliseconds());
                record.ExecuteNonQuery();
            }

            transaction.Commit();
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

/// <summary>The constraint violations the stores turn into their own refusals.</summary>
internal enum Violation
{
    Unique,
    ForeignKey,
}
