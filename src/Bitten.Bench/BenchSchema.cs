using Npgsql;

namespace Bitten.Bench;

/// <summary>
/// A schema of its own for one bench run on the PostgreSQL a connection string names: created empty (the store's
/// migrations run in it), its connection string searching it first, dropped with everything in it afterwards.
/// </summary>
public sealed class BenchSchema : IDisposable
{
    private readonly string _server;

    private BenchSchema(string server, string name)
    {
        _server = server;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { SearchPath = name }.ConnectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public static BenchSchema Create(string server, string purpose)
    {
        var schema = new BenchSchema(server, $"bitten_bench_{purpose}_{Environment.ProcessId}_{Environment.TickCount64 % 100000}");
        schema.Execute($"CREATE SCHEMA {schema.Name}");
        return schema;
    }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        Execute($"DROP SCHEMA {Name} CASCADE");
    }

    private void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(_server);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
