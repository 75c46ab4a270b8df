using Bitten.Domain.Signals;
using Bitten.Engine.Signals;

namespace Bitten.Engine.Tracking;

/// <summary>What an admin has said about a pattern: nothing (the record decides), keep it on, or keep it off.</summary>
public enum PatternOverride
{
    /// <summary>The auto-disable rule decides by the pattern's record.</summary>
    None,

    /// <summary>On whatever its record.</summary>
    KeepOn,

    /// <summary>Off whatever its record: Elite Guard does not run its detector.</summary>
    ForceOff,
}

public static class PatternOverrideNames
{
    /// <summary>As the event log and the Throne show it: AUTO, KEEP_ON, OFF.</summary>
    public static string WireName(this PatternOverride choice) => choice switch
    {
        PatternOverride.KeepOn => "KEEP_ON",
        PatternOverride.ForceOff => "OFF",
        _ => "AUTO",
    };
}

/// <summary>
/// Switches patterns off by their measured outcomes (PatternAnalytics' rule: a Wilson upper bound under 40 % after at
/// least 20 resolved signals) unless an admin keeps one on, and off whatever their record when an admin says so. Elite
/// Guard asks it before running a detector. Lives on the kernel thread: it sees signals as they are raised and outcomes
/// as they resolve.
/// </summary>
public sealed class PatternSwitchboard : ISignalSink, IOutcomeSink
{
    private readonly Dictionary<string, PatternType> _patternOf = new(StringComparer.Ordinal);
    private readonly int[] _wins = new int[Enum.GetValues<PatternType>().Length];
    private readonly int[] _resolved = new int[Enum.GetValues<PatternType>().Length];
    private readonly bool[] _byRecord = new bool[Enum.GetValues<PatternType>().Length];
    private readonly HashSet<PatternType> _keptOn = [];
    private readonly HashSet<PatternType> _forcedOff = [];
    private PatternStates _states = PatternStates.None;

    /// <summary>
    /// Which patterns are off by their record and which an admin keeps on, as an immutable snapshot any thread may read:
    /// the one answer to "is this pattern disabled" for Elite Guard, /healthz and the analytics alike.
    /// </summary>
    public PatternStates States => Volatile.Read(ref _states);

    /// <summary>Counts outcomes measured before this start (the stored history), so a disabled pattern stays disabled.</summary>
    /// <param name="earlier">Outcomes a bounded history let go of, tallied per pattern: counted like the rest.</param>
    public void Preload(IEnumerable<TrackedSignal> history, IEnumerable<(PatternType Pattern, int Resolved, int Wins)>? earlier = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        foreach (var (pattern, resolved, wins) in earlier ?? [])
        {
            _resolved[(int)pattern] += resolved;
            _wins[(int)pattern] += wins;
        }

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
    public bool IsDisabled(PatternType pattern) => _forcedOff.Contains(pattern) || (_byRecord[(int)pattern] && !_keptOn.Contains(pattern));

    public int Disabled => PatternTypes.All.Count(IsDisabled);

    public PatternOverride OverrideOf(PatternType pattern) =>
        _keptOn.Contains(pattern) ? PatternOverride.KeepOn : _forcedOff.Contains(pattern) ? PatternOverride.ForceOff : PatternOverride.None;

    /// <summary>Keeps a pattern on (<paramref name="keep"/>) or hands it back to the rule, clearing any admin switch-off.</summary>
    public void KeepOn(PatternType pattern, bool keep) => Override(pattern, keep ? PatternOverride.KeepOn : PatternOverride.None);

    /// <summary>Sets what the admin says about <paramref name="pattern"/>; returns what was said before.</summary>
    public PatternOverride Override(PatternType pattern, PatternOverride choice)
    {
        var previous = OverrideOf(pattern);
        _keptOn.Remove(pattern);
        _forcedOff.Remove(pattern);
        if (choice == PatternOverride.KeepOn)
        {
            _keptOn.Add(pattern);
        }
        else if (choice == PatternOverride.ForceOff)
        {
            _forcedOff.Add(pattern);
        }

        Decide(pattern);
        Publish();
        return previous;
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
        _keptOn.ToHashSet(),
        _forcedOff.ToHashSet()));
}

/// <summary>
/// Patterns switched off by their measured record (<see cref="ByRecord"/>), those an admin keeps on whatever it
/// (<see cref="KeptOn"/>) and those an admin switched off whatever it (<see cref="DisabledByAdmin"/>, never also kept
/// on): a pattern is disabled when an admin switched it off, or when its record says so and no admin keeps it on.
/// </summary>
public sealed record PatternStates(IReadOnlySet<PatternType> ByRecord, IReadOnlySet<PatternType> KeptOn, IReadOnlySet<PatternType> DisabledByAdmin)
{
    public PatternStates(IReadOnlySet<PatternType> byRecord, IReadOnlySet<PatternType> keptOn)
        : this(byRecord, keptOn, new HashSet<PatternType>())
    {
    }

    public static PatternStates None { get; } = new(new HashSet<PatternType>(), new HashSet<PatternType>());

    public bool IsDisabled(PatternType pattern) => DisabledByAdmin.Contains(pattern) || (ByRecord.Contains(pattern) && !KeptOn.Contains(pattern));

    public IReadOnlySet<PatternType> Disabled => PatternTypes.All.Where(IsDisabled).ToHashSet();

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
