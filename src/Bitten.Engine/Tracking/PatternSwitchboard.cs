using Bitten.Domain.Signals;
using Bitten.Engine.Signals;

namespace Bitten.Engine.Tracking;

/// <summary>
/// Switches patterns off by their measured outcomes (PatternAnalytics' rule: a Wilson upper bound under 40 % after at
/// least 20 resolved signals) unless an admin keeps one on. Elite Guard asks it before running a detector. Lives on the
/// kernel thread: it sees signals as they are raised and outcomes as they resolve.
/// </summary>
public sealed class PatternSwitchboard : ISignalSink, IOutcomeSink
{
    private readonly Dictionary<string, PatternType> _patternOf = new(StringComparer.Ordinal);
    private readonly int[] _wins = new int[Enum.GetValues<PatternType>().Length];
    private readonly int[] _resolved = new int[Enum.GetValues<PatternType>().Length];
    private readonly bool[] _byRecord = new bool[Enum.GetValues<PatternType>().Length];
    private readonly HashSet<PatternType> _keptOn = [];
    private PatternStates _states = PatternStates.None;

    /// <summary>
    /// Which patterns are off by their record and which an admin keeps on, as an immutable snapshot any thread may read:
    /// the one answer to "is this pattern disabled" for Elite Guard, /healthz and the analytics alike.
    /// </summary>
    public PatternStates States => Volatile.Read(ref _states);

    /// <summary>Counts outcomes measured before this start (the stored history), so a disabled pattern stays disabled.</summary>
    public void Preload(IEnumerable<TrackedSignal> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        foreach (var tracked in history)
        {
            if (tracked.Outcome is { } outcome)
            {
                _resolved[(int)tracked.Signal.PatternType]++;
                _wins[(int)tracked.Signal.PatternType] += outcome.Outcome == Outcome.Win ? 1 : 0;
            }
            else
            {
                _patternOf[tracked.Signal.SignalId] = tracked.Signal.PatternType;
            }
        }

        foreach (var pattern in Enum.GetValues<PatternType>())
        {
            Decide(pattern);
        }
    }

    /// <summary>Elite Guard's question, once per detector per closed bar: allocation-free.</summary>
    public bool IsDisabled(PatternType pattern) => _byRecord[(int)pattern] && !_keptOn.Contains(pattern);

    public int Disabled => PatternTypes.All.Count(IsDisabled);

    public void KeepOn(PatternType pattern, bool keep)
    {
        if (keep)
        {
            _keptOn.Add(pattern);
        }
        else
        {
            _keptOn.Remove(pattern);
        }

        Decide(pattern);
        Publish();
    }

    public void OnSignal(Signal signal) => _patternOf[signal.SignalId] = signal.PatternType;

    public void OnResolved(in SignalOutcome outcome)
    {
        if (!_patternOf.Remove(outcome.SignalId, out var pattern))
        {
            return;
        }

        _resolved[(int)pattern]++;
        _wins[(int)pattern] += outcome.Outcome == Outcome.Win ? 1 : 0;
        Decide(pattern);
    }

    private void Decide(PatternType pattern)
    {
        var byRecord = PatternAnalytics.ShouldDisable(_wins[(int)pattern], _resolved[(int)pattern]);
        if (byRecord != _byRecord[(int)pattern])
        {
            _byRecord[(int)pattern] = byRecord;
            Publish();
        }
    }

    // A new snapshot only when something changed: outcomes resolve all day, a pattern's state turns rarely.
    private void Publish() => Volatile.Write(ref _states, new PatternStates(
        PatternTypes.All.Where(p => _byRecord[(int)p]).ToHashSet(),
        _keptOn.ToHashSet()));
}

/// <summary>
/// Patterns switched off by their measured record (<see cref="ByRecord"/>) and those an admin keeps on whatever it
/// (<see cref="KeptOn"/>); a pattern is disabled when the first holds and the second does not.
/// </summary>
public sealed record PatternStates(IReadOnlySet<PatternType> ByRecord, IReadOnlySet<PatternType> KeptOn)
{
    public static PatternStates None { get; } = new(new HashSet<PatternType>(), new HashSet<PatternType>());

    public bool IsDisabled(PatternType pattern) => ByRecord.Contains(pattern) && !KeptOn.Contains(pattern);

    public IReadOnlySet<PatternType> Disabled => ByRecord.Where(p => !KeptOn.Contains(p)).ToHashSet();

    /// <summary>The states a switchboard reaches over <paramref name="history"/> with <paramref name="keptOn"/> kept on (offline reports, tests).</summary>
    public static PatternStates Of(IEnumerable<TrackedSignal> history, IEnumerable<PatternType>? keptOn = null)
    {
        var board = new PatternSwitchboard();
        foreach (var pattern in keptOn ?? [])
        {
            board.KeepOn(pattern, true);
        }

        board.Preload(history);
        return board.States;
    }
}
