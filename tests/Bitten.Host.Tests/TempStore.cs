using Bitten.Engine.Kernel;
using Bitten.Host.Configuration;
using Bitten.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bitten.Host.Tests;

/// <summary>A throwaway SQLite store in a temp folder, and the host's own composition over it.</summary>
public sealed class TempStore : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("bitten-host-");

    public string Path => System.IO.Path.Combine(_folder.FullName, "bitten.db");

    public string TrackingPath => System.IO.Path.Combine(_folder.FullName, "tracking.jsonl");

    public StorageOptions Options => new() { ConnectionString = $"Data Source={Path}", TrackingFile = TrackingPath };

    public IDatabase Open() => Database.Open(Options, TimeProvider.System);

    /// <summary>
    /// The components the host would build for <paramref name="roles"/> on this store (random ports, no status
    /// output), as one process start would see them; dispose it to stop like the process does.
    /// </summary>
    public ServiceProvider Services(IEnumerable<HostRole> roles, params string[] configArgs)
    {
        var configuration = Settings.Configuration([$"--Storage:ConnectionString=Data Source={Path}", $"--Storage:TrackingFile={TrackingPath}",
            "--Zmq:SignalPort=0", "--Zmq:EventPort=0", "--Zmq:EventInPort=0", "--Zmq:CommandPort=0", "--Zmq:ConfirmPort=0",
            "--Zmq:MarketInPort=0", "--Zmq:MarketOutPort=0", "--Web:Port=0", "--Throne:Port=0", .. configArgs]);
        return new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .AddBittenOptions(configuration)
            .AddBitten(new HostRoles(roles), TextWriter.Null)
            .BuildServiceProvider();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }
}

/// <summary>Signals as Elite Guard raises them, for the services that record, track and publish them.</summary>
public static class Signals
{
    public const long Start = 1_704_189_600_000; // 2024-01-02 10:00 UTC, a Tuesday in the London session

    public static ManualClock Clock() => new(DateTimeOffset.FromUnixTimeMilliseconds(Start));

    public static Domain.Signals.Signal Make(string symbol, int n, long now = Start, Domain.Signals.PatternType pattern = Domain.Signals.PatternType.BbScalp,
        Domain.Primitives.SymbolId? id = null) =>
        new(Domain.Signals.SignalIds.Create(Domain.Signals.SignalClass.Rapid, pattern, symbol, now + n), symbol, id ?? new Domain.Primitives.SymbolId(0),
            Domain.Signals.Direction.Buy, 1.1, 1.098, 1.103, 20, 30, 1.5, 85, pattern, 7, "LONDON", now + n, now + n + 1_800_000, now + n);

    public static Domain.Signals.SignalOutcome Win(Domain.Signals.Signal signal, long atMs) =>
        new(signal.SignalId, Domain.Signals.Outcome.Win, signal.TakeProfit, atMs, 30, 12, 30, 2);
}
