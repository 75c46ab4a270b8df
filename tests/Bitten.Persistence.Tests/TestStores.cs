using System.Reflection;
using Npgsql;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Bitten.Persistence.Tests;

/// <summary>A fresh database for one test, on one provider: opened and reopened on demand, removed afterwards.</summary>
public abstract class TestStore : IDisposable
{
    public FakeTime Time { get; } = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

    public abstract string Provider { get; }

    /// <summary>Opens the database (applying migrations); each call is a new handle on the same data.</summary>
    public abstract IDatabase Open();

    /// <summary>Opens it from a test's constructor: when that fails no Dispose will run, so the store is removed here.</summary>
    public IDatabase OpenOrRemove()
    {
        try
        {
            return Open();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>A plain open connection to the store, no migrations applied: to build a store as an older version left it.</summary>
    public abstract System.Data.Common.DbConnection OpenBare();

    public abstract void Dispose();
}

/// <summary>A SQLite file in its own temp folder.</summary>
public sealed class SqliteTestStore : TestStore
{
    private readonly TempDatabase _temp = new();

    public override string Provider => StorageOptions.Sqlite;

    /// <summary>The database file; its -wal and -shm files sit next to it.</summary>
    public string Path => _temp.Path;

    public override IDatabase Open() => new SqliteDatabase(_temp.ConnectionString, Time);

    public override System.Data.Common.DbConnection OpenBare()
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var connection = new Microsoft.Data.Sqlite.SqliteConnection(_temp.ConnectionString);
        connection.Open();
        return connection;
    }

    public override void Dispose() => _temp.Dispose();
}

/// <summary>A database with a random name on the <see cref="PostgresServer"/>, dropped afterwards.</summary>
public sealed class PostgresTestStore : TestStore
{
    private readonly string _server;

    public PostgresTestStore()
    {
        _server = PostgresServer.Require();
        Name = "bitten_test_" + Guid.NewGuid().ToString("N");
        PostgresServer.Execute(_server, $"CREATE DATABASE {Name}");
        ConnectionString = new NpgsqlConnectionStringBuilder(_server) { Database = Name }.ConnectionString;
    }

    public override string Provider => StorageOptions.Postgres;

    public string Name { get; }

    public string ConnectionString { get; }

    public override IDatabase Open() => new PostgresDatabase(ConnectionString, Time);

    public override System.Data.Common.DbConnection OpenBare()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        connection.Open();
        return connection;
    }

    public override void Dispose()
    {
        // FORCE: a pooled connection a test left open must not keep the database alive.
        PostgresServer.Execute(_server, $"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
    }
}

/// <summary>
/// The PostgreSQL server the tests may create databases on: <c>BITTEN_TEST_PG</c>, a connection string
/// (<c>./test</c> starts one with scripts/postgres.sh and sets it). Unset, the PostgreSQL tests are skipped on a
/// developer's machine and fail under CI=true, so CI cannot pass by not testing PostgreSQL.
/// </summary>
public static class PostgresServer
{
    public const string Variable = "BITTEN_TEST_PG";

    public static string? ConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why PostgreSQL tests are skipped, or null when they run (the server is set, or CI demands them).</summary>
    public static string? SkipReason => ConnectionString is null && !IsCi
        ? $"{Variable} is not set: no PostgreSQL server to test against (./test starts one; under CI=true this fails)"
        : null;

    public static string Require() => ConnectionString ?? throw new InvalidOperationException(
        $"{Variable} is not set and CI=true: the PostgreSQL tests must run in CI. Run ./test (or .ci/run), which starts " +
        $"a server with scripts/postgres.sh, or export {Variable}=\"Host=…;Port=…;Username=…;Password=…\" for a server " +
        "where the user may CREATE DATABASE.");

    public static void Execute(string connectionString, string sql)
    {
        // No pooling: these are one-off administrative commands, and a pooled session would block DROP DATABASE.
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

/// <summary>A test that needs PostgreSQL: skipped when <see cref="PostgresServer.SkipReason"/> says so.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        Skip = PostgresServer.SkipReason;
    }
}

/// <summary>Marks a contract test class that runs on PostgreSQL: its <see cref="StoreFactAttribute"/> tests skip like a <see cref="PostgresFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class OnPostgresAttribute : Attribute;

/// <summary>
/// A contract test, declared once in an abstract base and run by each provider's subclass. A plain attribute cannot
/// tell which subclass it is discovered in, so the discoverer looks at the class for <see cref="OnPostgresAttribute"/>.
/// </summary>
[XunitTestCaseDiscoverer("Bitten.Persistence.Tests.StoreFactDiscoverer", "Bitten.Persistence.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class StoreFactAttribute : FactAttribute;

public sealed class StoreFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    protected override IXunitTestCase CreateTestCase(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        ArgumentNullException.ThrowIfNull(discoveryOptions);
        ArgumentNullException.ThrowIfNull(testMethod);
        var onPostgres = testMethod.TestClass.Class.ToRuntimeType()?.GetCustomAttribute<OnPostgresAttribute>() is not null;
        return onPostgres && PostgresServer.SkipReason is { } reason
            ? new XunitSkippedDataRowTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(),
                discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason)
            : base.CreateTestCase(discoveryOptions, testMethod, factAttribute);
    }
}
