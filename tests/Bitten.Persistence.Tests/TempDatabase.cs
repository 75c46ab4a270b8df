using Microsoft.Data.Sqlite;

namespace Bitten.Persistence.Tests;

/// <summary>A database file in its own temp folder, deleted with the folder afterwards.</summary>
internal sealed class TempDatabase : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("bitten-db-");

    public TempDatabase()
    {
        // A sub-folder that does not exist yet: opening must create it.
        Path = System.IO.Path.Combine(_folder.FullName, "data", "bitten.db");
    }

    public string Path { get; }

    public string ConnectionString => $"Data Source={Path}";

    public FakeTime Time { get; } = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

    public SqliteDatabase Open() => new(ConnectionString, Time);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }
}

/// <summary>A clock that moves only when told.</summary>
public sealed class FakeTime(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
