namespace Bitten.Persistence;

/// <summary>
/// Where state is kept (section <c>Storage</c>): an embedded SQLite file by default, or a PostgreSQL server
/// (<c>Provider</c> postgres, <c>ConnectionString</c> in Npgsql's form: <c>Host=…;Port=…;Database=…;Username=…;Password=…</c>).
/// </summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    public const string Sqlite = "sqlite";

    public const string Postgres = "postgres";

    public string Provider { get; set; } = Sqlite;

    public string ConnectionString { get; set; } = "Data Source=./data/bitten.db";

    /// <summary>Every resolved signal, one JSON line each in the seed 000 format (empty: no file).</summary>
    public string TrackingFile { get; set; } = "./data/comprehensive_tracking.jsonl";

    public IEnumerable<string> Validate()
    {
        if (!string.Equals(Provider, Sqlite, StringComparison.OrdinalIgnoreCase)
            && !string.Equals(Provider, Postgres, StringComparison.OrdinalIgnoreCase))
        {
            yield return $"Storage:Provider must be '{Sqlite}' or '{Postgres}', not '{Provider}'";
        }

        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return "Storage:ConnectionString must not be empty";
        }
    }

    public bool IsSqlite => string.Equals(Provider, Sqlite, StringComparison.OrdinalIgnoreCase);

    public bool IsPostgres => string.Equals(Provider, Postgres, StringComparison.OrdinalIgnoreCase);
}
