using System.Text.Json;
using Bitten.Domain.Events;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Persistence.Events;
using Bitten.Engine.Signals;
using Bitten.Engine.Tracking;
using Bitten.Wire.Signals;

namespace Bitten.Host.Execution;

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

    /// <summary>
    /// Rebuilds the history from the event log: every <c>signal_generated</c> and <c>signal_resolved</c> stored, so pattern
    /// analytics and auto-disable count every outcome ever measured, not only this run's. Returns how many signals.
    /// </summary>
    public int Load(IEnumerable<StoredEvent> events, SymbolRegistry symbols)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var stored in events)
        {
            try
            {
                using var json = JsonDocument.Parse(stored.DataJson);
                var d = json.RootElement;
                if (stored.EventType == EventTypes.SignalGenerated && SignalOf(d, stored.TimestampMs, symbols) is { } signal)
                {
                    OnSignal(signal);
                }
                else if (stored.EventType == EventTypes.SignalResolved && Text(d, EventFields.SignalId) is { } id
                         && Text(d, EventFields.Outcome) is { } outcome)
                {
                    OnResolved(new SignalOutcome(id, outcome == "WIN" ? Outcome.Win : Outcome.Loss, Number(d, EventFields.ExitPrice), stored.TimestampMs,
                        Number(d, EventFields.Pips), Number(d, EventFields.DurationMinutes), Number(d, EventFields.MaxFavourablePips), Number(d, EventFields.MaxAdversePips)));
                }
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
            {
                // An event our validator once accepted but this reader cannot use: it is skipped, not fatal.
                SkippedOnLoad++;
            }
        }

        lock (_lock)
        {
            return _signals.Count;
        }
    }

    /// <summary>Stored events that could not be turned back into a signal or an outcome.</summary>
    public int SkippedOnLoad { get; private set; }

    /// <summary>The signal a stored <c>signal_generated</c> data describes, or null when it lacks what a signal needs.</summary>
    internal static Signal? SignalOf(JsonElement d, long timestampMs, SymbolRegistry symbols)
    {
        if (Text(d, EventFields.SignalId) is not { } id || Text(d, EventFields.Symbol) is not { } symbol || !d.TryGetProperty(EventFields.Sl, out _)
            || !Directions.TryParse(Text(d, EventFields.Direction), out var direction) || !PatternTypes.TryParse(Text(d, EventFields.PatternType), out var pattern))
        {
            return null;
        }

        return new Signal(id, symbol, symbols.GetOrAdd(symbol), direction, Number(d, EventFields.EntryPrice), Number(d, EventFields.Sl), Number(d, EventFields.Tp),
            Number(d, EventFields.StopPips), Number(d, EventFields.TargetPips), Number(d, EventFields.RiskReward), Number(d, EventFields.Confidence), pattern,
            Number(d, EventFields.CitadelScore), Text(d, EventFields.Session) ?? "", timestampMs, (long)Number(d, EventFields.ExpiresAt), timestampMs,
            d.TryGetProperty(EventFields.Score, out var score) ? SignalScoreJson.Read(score) : null);
    }

    private static string? Text(JsonElement d, string name) => d.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static double Number(JsonElement d, string name) => d.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : 0;

    /// <summary>Adds signals known from before this start (restored tracking), without outcomes.</summary>
    public void AddRange(IEnumerable<Signal> signals)
    {
        foreach (var signal in signals)
        {
            OnSignal(signal);
        }
    }

    /// <summary>Whether the signal is known and has no outcome yet.</summary>
    public bool IsOpen(string signalId)
    {
        lock (_lock)
        {
            return _index.TryGetValue(signalId, out var at) && _signals[at].Outcome is null;
        }
    }

    public Signal? SignalOf(string signalId)
    {
        lock (_lock)
        {
            return _index.TryGetValue(signalId, out var at) ? _signals[at].Signal : null;
        }
    }

    /// <summary>How many signals the history holds (open and resolved).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _signals.Count;
            }
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
