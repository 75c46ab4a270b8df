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
/// The signals raised and how they ended, for pattern analytics and /healthz: every open signal, and the resolved ones
/// of the analytics' longest window (7 days by the signals' own time, behind the newest seen), at most
/// <see cref="MaxResolved"/> of them. Written on the kernel thread (a signal and an outcome sink), read from request
/// threads as an immutable copy.
/// </summary>
/// <remarks>
/// Kept whole, a history at a signal a second would hold 600,000 signals a week and copy them all for each snapshot
/// after a change. What is let go is tallied per pattern (<see cref="Earlier"/>), so the pattern switchboard still
/// counts every outcome ever measured at the next start.
/// </remarks>
public sealed class SignalHistory : ISignalSink, IOutcomeSink
{
    /// <summary>How far behind the newest signal resolved ones are kept: the 7-day analytics window.</summary>
    public static readonly TimeSpan DefaultRetention = TimeSpan.FromDays(7);

    public const int DefaultMaxResolved = 100_000;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly List<TrackedSignal> _signals = [];
    private readonly int[] _earlierResolved = new int[Enum.GetValues<PatternType>().Length];
    private readonly int[] _earlierWins = new int[Enum.GetValues<PatternType>().Length];
    private readonly long _retainMs;
    private IReadOnlyList<TrackedSignal>? _snapshot;
    private long _newestMs = long.MinValue;
    private long _prunedAtNewestMs = long.MinValue;
    private int _resolved;
    private int _nextPruneCount;

    public SignalHistory()
        : this(DefaultRetention, DefaultMaxResolved)
    {
    }

    public SignalHistory(TimeSpan retention, int maxResolved)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResolved, 1);
        _retainMs = (long)retention.TotalMilliseconds;
        MaxResolved = maxResolved;
        _nextPruneCount = NextPruneCount(0);
    }

    public int MaxResolved { get; }

    /// <summary>Resolved signals let go so far, per pattern: (pattern, resolved, wins), for patterns with any.</summary>
    public IReadOnlyList<(PatternType Pattern, int Resolved, int Wins)> Earlier
    {
        get
        {
            lock (_lock)
            {
                return [.. Enum.GetValues<PatternType>().Where(p => _earlierResolved[(int)p] > 0)
                    .Select(p => (p, _earlierResolved[(int)p], _earlierWins[(int)p]))];
            }
        }
    }

    public void OnSignal(Signal signal)
    {
        ArgumentNullException.ThrowIfNull(signal);
        lock (_lock)
        {
            if (_index.ContainsKey(signal.SignalId))
            {
                return;
            }

            _index[signal.SignalId] = _signals.Count;
            _signals.Add(new TrackedSignal(signal, null));
            _newestMs = Math.Max(_newestMs, signal.TimestampMs);
            _snapshot = null;
            PruneIfDue();
        }
    }

    public void OnResolved(in SignalOutcome outcome)
    {
        lock (_lock)
        {
            if (_index.TryGetValue(outcome.SignalId, out var at))
            {
                _resolved += _signals[at].Outcome is null ? 1 : 0;
                _signals[at] = _signals[at] with { Outcome = outcome };
                _snapshot = null;
                PruneIfDue();
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

    /// <summary>
    /// Lets go of resolved signals older than the retention behind the newest, then of the oldest resolved beyond
    /// <see cref="MaxResolved"/>; open ones always stay (they are still tracked). A pass is O(n), so it runs only once
    /// the newest signal has moved an hour on or the history has grown by a quarter (or past the cap): O(1) a signal
    /// amortised.
    /// </summary>
    private void PruneIfDue()
    {
        var hourOn = _prunedAtNewestMs == long.MinValue || _newestMs - _prunedAtNewestMs >= 3_600_000;
        if (!hourOn && _signals.Count < _nextPruneCount && _resolved <= MaxResolved)
        {
            return;
        }

        _prunedAtNewestMs = _newestMs;
        var cutoff = _newestMs - _retainMs;
        var excess = 0;
        foreach (var tracked in _signals)
        {
            excess += tracked.Outcome is not null && tracked.Signal.TimestampMs < cutoff ? 1 : 0;
        }

        // Beyond the cap, the oldest resolved go first (the list is in the order signals were raised), down to 7/8 of
        // it, so the next outcome does not start another pass.
        var overCap = _resolved - excess > MaxResolved ? _resolved - excess - (MaxResolved - (MaxResolved / 8)) : 0;
        if (excess + overCap > 0)
        {
            var kept = new List<TrackedSignal>(_signals.Count);
            foreach (var tracked in _signals)
            {
                if (tracked.Outcome is not { } outcome)
                {
                    kept.Add(tracked);
                    continue;
                }

                if (tracked.Signal.TimestampMs >= cutoff)
                {
                    if (overCap == 0)
                    {
                        kept.Add(tracked);
                        continue;
                    }

                    overCap--;
                }

                _earlierResolved[(int)tracked.Signal.PatternType]++;
                _earlierWins[(int)tracked.Signal.PatternType] += outcome.Outcome == Outcome.Win ? 1 : 0;
                _resolved--;
            }

            _signals.Clear();
            _signals.AddRange(kept);
            _index.Clear();
            for (var i = 0; i < _signals.Count; i++)
            {
                _index[_signals[i].Signal.SignalId] = i;
            }

            _snapshot = null;
        }

        _nextPruneCount = NextPruneCount(_signals.Count);
    }

    private static int NextPruneCount(int count) => count + Math.Max(1024, count / 4);

    /// <summary>An immutable copy, rebuilt only after a change.</summary>
    public IReadOnlyList<TrackedSignal> Snapshot()
    {
        lock (_lock)
        {
            return _snapshot ??= [.. _signals];
        }
    }
}
