using System.Data.Common;
using System.Globalization;

namespace Bitten.Persistence.Events;

/// <summary>
/// SQLite's WAL checkpoints moved off the event log's write path: the writer's connection never checkpoints on commit
/// (<c>wal_autocheckpoint</c> off); a thread of this class, on a connection of its own, copies the WAL back into the
/// database with PASSIVE checkpoints (which never block the writer) after commits, at most every <see cref="Pause"/>.
/// On this machine that is the difference between 46–50k and 110–130k events/s for the bare C loop (shared/limits).
/// </summary>
/// <remarks>
/// A checkpoint running beside a busy writer never catches up with it, and SQLite only restarts the WAL from its
/// beginning once every frame is copied back: left alone, the WAL would grow for as long as the writer stays busy.
/// So when the WAL file is longer than <see cref="MaxWalBytes"/> after a commit, the writer runs one PASSIVE checkpoint
/// itself between two transactions (most frames are already copied; it copies the rest), its next transaction starts
/// the WAL over, and <c>journal_size_limit</c> cuts the file back to the bound: the WAL stays within the bound and one
/// transaction. A reader holding an old snapshot for long still pins the WAL, as it always did.
/// </remarks>
public sealed class WalCheckpointer : IDisposable
{
    public const long DefaultMaxWalBytes = 64L << 20;

    /// <summary>The least time between two background checkpoints: each ends with an fsync of the database file.</summary>
    public static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(50);

    private readonly SqliteDatabase _database;
    private readonly Action<string> _warn;
    private readonly string? _walFile;
    private readonly Thread _thread;
    private readonly AutoResetEvent _committed = new(false);
    private readonly ManualResetEventSlim _stop = new();

    // One checkpoint at a time: SQLite would refuse the writer's catch-up (busy) while the background one runs, and
    // the WAL would keep growing; waiting for it instead makes the catch-up copy what is left, every time.
    private readonly Lock _checkpointing = new();
    private long _walFrames;
    private long _checkpoints;
    private long _writerCheckpoints;

    public WalCheckpointer(SqliteDatabase database, long maxWalBytes = DefaultMaxWalBytes, Action<string>? warn = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWalBytes, 4096);
        _database = database;
        MaxWalBytes = maxWalBytes;
        var source = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(database.ConnectionString).DataSource;
        // An in-memory database has no WAL to bound.
        _walFile = string.IsNullOrEmpty(source) || source == ":memory:" || source.StartsWith("file:", StringComparison.OrdinalIgnoreCase)
            ? null : Path.GetFullPath(source) + "-wal";
        _warn = warn ?? (_ => { });
        _thread = new Thread(Run) { Name = "bitten-wal-checkpointer", IsBackground = true };
        _thread.Start();
    }

    /// <summary>The WAL's length past which the writer catches the checkpoint up itself.</summary>
    public long MaxWalBytes { get; }

    /// <summary>Frames in the WAL when it was last checkpointed, 0 when that checkpoint copied them all.</summary>
    public long WalFrames => Interlocked.Read(ref _walFrames);

    /// <summary>Checkpoints run on this class's own connection.</summary>
    public long Checkpoints => Interlocked.Read(ref _checkpoints);

    /// <summary>Checkpoints the writer ran itself, the WAL having grown past <see cref="MaxWalFrames"/>.</summary>
    public long WriterCheckpoints => Interlocked.Read(ref _writerCheckpoints);

    /// <summary>Stops the writer's connection from checkpointing on commit, and has a restarted WAL cut back to the bound; call once it is open.</summary>
    public void TakeOver(DbConnection writer) =>
        Database.Execute(writer, null, string.Create(CultureInfo.InvariantCulture, $"PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = {MaxWalBytes};"));

    /// <summary>Gives the connection back its default checkpoints (before it returns to the pool, where anyone may take it).</summary>
    public static void HandBack(DbConnection writer) => Database.Execute(writer, null, "PRAGMA wal_autocheckpoint = 1000; PRAGMA journal_size_limit = -1;");

    /// <summary>Called by the writer after each commit, outside any transaction: wakes the checkpoint, or runs it when the WAL is too long.</summary>
    public void Committed(DbConnection writer)
    {
        // One stat a transaction: a restarted WAL is cut back to the bound, so a longer file is a WAL still growing.
        if (_walFile is not null && new FileInfo(_walFile) is { Exists: true } wal && wal.Length > MaxWalBytes)
        {
            lock (_checkpointing)
            {
                Interlocked.Exchange(ref _walFrames, Checkpoint(writer));
            }

            Interlocked.Increment(ref _writerCheckpoints);
        }

        _committed.Set();
    }

    public void Dispose()
    {
        _stop.Set();
        _committed.Set();
        _thread.Join();
        _committed.Dispose();
        _stop.Dispose();
    }

    /// <summary>
    /// One PASSIVE checkpoint; returns the frames the WAL held, or 0 when it copied them all (the next write starts
    /// the WAL over) or the file is not in WAL mode.
    /// </summary>
    private static long Checkpoint(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return 0;
        }

        var log = Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture);
        var copied = Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture);
        return log <= 0 || copied >= log ? 0 : log;
    }

    private void Run()
    {
        DbConnection? connection = null;
        try
        {
            while (!_stop.IsSet)
            {
                _committed.WaitOne();
                if (_stop.IsSet)
                {
                    break;
                }

                try
                {
                    connection ??= _database.OpenConnection();
                    lock (_checkpointing)
                    {
                        Interlocked.Exchange(ref _walFrames, Checkpoint(connection));
                    }

                    Interlocked.Increment(ref _checkpoints);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // The writer's own catch-up still bounds the WAL; a fresh connection next time.
                    connection?.Dispose();
                    connection = null;
                    _warn($"event log: a WAL checkpoint failed: {e.Message}");
                }

                // Not a synchronisation: it spaces the checkpoints, and a stop ends it at once.
                _stop.Wait(Pause);
            }
        }
        finally
        {
            connection?.Dispose();
        }
    }
}
