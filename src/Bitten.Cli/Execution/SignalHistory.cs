using Bitten.Domain.Signals;
using Bitten.Engine.Signals;
using Bitten.Engine.Tracking;

namespace Bitten.Cli.Execution;

/// <summary>
/// Every signal raised and how it ended, for pattern analytics and /healthz. Written on the kernel thread (a signal
/// and an outcome sink), read from request threads as an immutable copy.
/// </summary>
public sealed class SignalHistory : ISignalSink, IOutcomeSink
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly List<TrackedSignal> _signals = [];
    private IReadOnlyList<TrackedSignal>? _snapshot;

    public void OnSignal(Signal signal)
    {
        lock (_lock)
        {
            if (_index.ContainsKey(signal.SignalId))
            {
                return;
            }

            _index[signal.SignalId] = _signals.Count;
            _signals.Add(new TrackedSignal(signal, null));
            _snapshot = null;
        }
    }

    public void OnResolved(in SignalOutcome outcome)
    {
        lock (_lock)
        {
            if (_index.TryGetValue(outcome.SignalId, out var at))
            {
                _signals[at] = _signals[at] with { Outcome = outcome };
                _snapshot = null;
            }
        }
    }

    /// <summary>Adds signals known from before this start (restored tracking), without outcomes.</summary>
    public void AddRange(IEnumerable<Signal> signals)
    {
        foreach (var signal in signals)
        {
            OnSignal(signal);
        }
    }

    public Signal? SignalOf(string signalId)
    {
        lock (_lock)
        {
            return _index.TryGetValue(signalId, out var at) ? _signals[at].Signal : null;
        }
    }

    /// <summary>An immutable copy, rebuilt only after a change.</summary>
    public IReadOnlyList<TrackedSignal> Snapshot()
    {
        lock (_lock)
        {
            return _snapshot ??= [.. _signals];
        }
    }
}
