using System.Collections.Concurrent;
using Bitten.Domain.Signals;
using Bitten.Engine.Signals;
using Bitten.Persistence.Events;

namespace Bitten.Host.Execution;

/// <summary>
/// Where each recent signal's event sits in the event log's queue, so a fire on it can be committed right behind it
/// (<see cref="EventLog.CommitSoon"/>) instead of behind the whole burst of mission events that follows.
/// A signal sink placed just after the recorder in the fan-out, on the kernel thread; read from the outbox thread.
/// </summary>
public sealed class SignalPositions(EventLog log, int capacity = 10_000) : ISignalSink
{
    private readonly ConcurrentDictionary<string, long> _positions = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

    public void OnSignal(Signal signal)
    {
        ArgumentNullException.ThrowIfNull(signal);
        _positions[signal.SignalId] = log.Position;
        _order.Enqueue(signal.SignalId);
        while (_order.Count > capacity && _order.TryDequeue(out var oldest))
        {
            _positions.TryRemove(oldest, out _);
        }
    }

    /// <summary>
    /// The queue position a fire on the signal must commit behind. A signal not seen this run (a fire restored after a
    /// restart) or long gone was committed before anything now queued: nothing to wait for.
    /// </summary>
    public long Of(string signalId) => _positions.TryGetValue(signalId, out var position) ? position : 0;
}
