using BenchmarkDotNet.Attributes;
using Bitten.Domain.Users;
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
    private readonly string? _postgres;
    private Bitten.Bench.BenchSchema? _schema;
    private IDatabase? _database;
    private FireStore? _fires;
    private long[] _users = [];
    private int _signal;

    public FireLockBenchmarks() : this(null)
    {
    }

    /// <param name="postgres">A PostgreSQL server to run on (a schema of the run's own), instead of a temporary SQLite file.</param>
    public FireLockBenchmarks(string? postgres) => _postgres = postgres;

    [GlobalSetup]
    public void Setup()
    {
        if (_postgres is null)
        {
            Directory.CreateDirectory(_directory);
            _database = Database.Open(new StorageOptions { ConnectionString = $"Data Source={Path.Combine(_directory, "bitten.db")}" });
        }
        else
        {
            _schema = Bitten.Bench.BenchSchema.Create(_postgres, "firelock");
            _database = Database.Open(new StorageOptions { Provider = StorageOptions.Postgres, ConnectionString = _schema.ConnectionString });
        }

        _fires = new FireStore(_database, TimeProvider.System);
        // Real users: filing skips a fire whose user is not stored.
        var users = new UserStore(_database, TimeProvider.System);
        _users = [.. Enumerable.Range(0, Fires).Select(u => users.Add(90_000 + u, Tier.Commander, Role.User, FireMode.Auto, $"EA{u}").User.UserId)];
    }

    [Benchmark]
    public int CommitOneSignalsFires()
    {
        var signal = $"ELITE_RAPID_BB_SCALP_EURUSD_{Interlocked.Increment(ref _signal)}";
        var batch = new StoredFire[Fires];
        for (var u = 0; u < Fires; u++)
        {
            batch[u] = new StoredFire($"F-{signal}-{u}", _users[u], $"EA{u}", $"M-{signal}-{u}", signal, "EURUSD", "BUY", 0.01m, 1.08, 1.09,
                FireStatus.Pending, 0, 0, null, null, null);
        }

        using var connection = _database!.OpenConnection();
        using var transaction = connection.BeginTransaction();
        var refused = _fires!.SaveBatch(batch, connection, transaction);
        transaction.Commit();
        return refused.Count;
    }

    /// <summary>What the writer does after a signal's sends: the batch filed into fires, missions and slots.</summary>
    public int FileOneSignalsFires() => _fires!.FileBatches().Filed;

    [GlobalCleanup]
    public void Dispose()
    {
        _database?.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        _schema?.Dispose();
        GC.SuppressFinalize(this);
    }
}
