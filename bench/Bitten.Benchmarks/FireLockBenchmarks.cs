using BenchmarkDotNet.Attributes;
using Bitten.Persistence;

namespace Bitten.Benchmarks;

/// <summary>
/// The commit that gates a signal's sends, on SQLite: one signal's <see cref="Fires"/> fires claimed in
/// <c>fire_locks</c> and stored as one batch, committed (a real file, the store's own pragmas). Each invocation is a
/// new signal with new missions, as in production, so the lock table grows as it does there.
/// </summary>
[MemoryDiagnoser]
public class FireLockBenchmarks : IDisposable
{
    public const int Fires = 1000;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "bitten-firelock-" + Guid.NewGuid().ToString("N")[..8]);
    private IDatabase? _database;
    private FireStore? _fires;
    private int _signal;

    [GlobalSetup]
    public void Setup()
    {
        Directory.CreateDirectory(_directory);
        _database = Database.Open(new StorageOptions { ConnectionString = $"Data Source={Path.Combine(_directory, "bitten.db")}" });
        _fires = new FireStore(_database, TimeProvider.System);
    }

    [Benchmark]
    public int CommitOneSignalsFires()
    {
        var signal = $"ELITE_RAPID_BB_SCALP_EURUSD_{Interlocked.Increment(ref _signal)}";
        var batch = new StoredFire[Fires];
        for (var u = 0; u < Fires; u++)
        {
            batch[u] = new StoredFire($"F-{signal}-{u}", u + 1, $"EA{u}", $"M-{signal}-{u}", signal, "EURUSD", "BUY", 0.01m, 1.08, 1.09,
                FireStatus.Pending, 0, 0, null, null, null);
        }

        using var connection = _database!.OpenConnection();
        using var transaction = connection.BeginTransaction();
        var refused = _fires!.SaveBatch(batch, connection, transaction);
        transaction.Commit();
        return refused.Count;
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _database?.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        GC.SuppressFinalize(this);
    }
}
