using System.Text;
using Bitten.Domain.Signals;
using Bitten.Engine.Tracking;
using Microsoft.Extensions.Logging;

namespace Bitten.Host.Execution;

/// <summary>
/// Appends each resolved signal to <c>comprehensive_tracking.jsonl</c> (<see cref="TrackingJournal.Line"/>), one line
/// per outcome, flushed to the OS before <see cref="OnResolved"/> returns: a crash of this process loses no line
/// (a crash of the machine can still lose what the OS had not written). Runs on the kernel thread, which is the only
/// writer; the file is opened shared for reading so dashboards and <c>tail -f</c> can follow it.
/// </summary>
public sealed class TrackingFile : IOutcomeSink, IDisposable
{
    private readonly Func<string, Signal?> _signalOf;
    private readonly ILogger? _log;
    private readonly FileStream _file;
    private long _written;
    private long _skipped;

    /// <param name="path">The file; its folder is created when missing, an existing file is appended to.</param>
    /// <param name="signalOf">The published signal of an id (the outcome carries only the id).</param>
    public TrackingFile(string path, Func<string, Signal?> signalOf, ILogger? log = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(signalOf);
        _signalOf = signalOf;
        _log = log;
        Path = System.IO.Path.GetFullPath(path);
        if (System.IO.Path.GetDirectoryName(Path) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
        }

        _file = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0);
    }

    public string Path { get; }

    /// <summary>Lines written by this instance.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Outcomes that could not be written (unknown signal, I/O failure); each is logged.</summary>
    public long Skipped => Interlocked.Read(ref _skipped);

    public void OnResolved(in SignalOutcome outcome)
    {
        var signal = _signalOf(outcome.SignalId);
        if (signal is null)
        {
            // Not thrown: the kernel must keep tracking the other signals; the gap is counted and logged instead.
            Interlocked.Increment(ref _skipped);
            _log?.LogWarning("Outcome of {Id} not journaled: its signal is unknown", outcome.SignalId);
            return;
        }

        var line = Encoding.UTF8.GetBytes(TrackingJournal.Line(signal, outcome) + "\n");
        try
        {
            // One write of line and newline, unbuffered (bufferSize 0), so a reader never sees half a line from us
            // and the bytes are with the OS when we return.
            _file.Write(line);
            _file.Flush();
            Interlocked.Increment(ref _written);
        }
        catch (IOException e)
        {
            Interlocked.Increment(ref _skipped);
            _log?.LogError(e, "Outcome of {Id} not journaled to {Path}", outcome.SignalId, Path);
        }
    }

    public void Dispose() => _file.Dispose();
}
