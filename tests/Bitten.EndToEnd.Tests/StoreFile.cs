using Microsoft.Data.Sqlite;

namespace Bitten.EndToEnd.Tests;

/// <summary>
/// The SQLite store of a `bitten` process under test, in a temp folder of its own: the argument that points the
/// process at it, and read-only queries on it, as an operator with the sqlite3 shell would make while it runs.
/// </summary>
public sealed class StoreFile(string prefix) : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory(prefix);

    public string DatabasePath => Path.Combine(_folder.FullName, "bitten.db");

    /// <summary>The option that points a `bitten` command at this store.</summary>
    public string Argument => $"--Storage:ConnectionString=Data Source={DatabasePath}";

    /// <summary>The query's single number.</summary>
    public long Scalar(string sql) => Read(sql, command => (long)command.ExecuteScalar()!);

    /// <summary>Whether the process has made the file and migrated it as far as <paramref name="table"/>.</summary>
    public bool Has(string table) =>
        File.Exists(DatabasePath) && Read("SELECT COUNT(*) FROM sqlite_master WHERE name = @table", command =>
        {
            command.Parameters.AddWithValue("@table", table);
            return (long)command.ExecuteScalar()! > 0;
        });

    /// <summary>The query's first column, as text (null as empty).</summary>
    public IReadOnlyList<string> Column(string sql) => Read(sql, command =>
    {
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.IsDBNull(0) ? "" : reader.GetString(0));
        }

        return values;
    });

    public void Dispose() => _folder.Delete(recursive: true);

    private T Read<T>(string sql, Func<SqliteCommand, T> read)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return read(command);
    }
}
