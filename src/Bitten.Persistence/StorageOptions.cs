namespace Bitten.Persistence;

/// <summary>Where state is kept (section <c>Storage</c>): an embedded SQLite file by default.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    public const string Sqlite = "sqlite";

    /// <summary>Reserved for the PostgreSQL provider; accepted by validation so configuration can name it ahead of time.</summary>
    public const string Postgres = "postgres";

    public string Provider { get; set; } = Sqlite;

    public string ConnectionString { get; set; } = "Data Source=./data/bitten.db";

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
}
