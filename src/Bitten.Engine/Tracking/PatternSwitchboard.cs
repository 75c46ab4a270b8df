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
    private readonly bool[] _disabled = new bool[Enum.GetValues<PatternType>().Length];
    private readonly HashSet<PatternType> _keptOn = [];
    private IReadOnlySet<string> _keptOnNames = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Patterns an admin keeps on whatever their record.</summary>
    public IReadOnlySet<PatternType> KeptOn => _keptOn;

    /// <summary>The kept-on patterns' wire names, as an immutable set any thread may read.</summary>
    public IReadOnlySet<string> KeptOnNames => Volatile.Read(ref _keptOnNames);

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

    public bool IsDisabled(PatternType pattern) => _disabled[(int)pattern];

    public int Disabled => _disabled.Count(d => d);

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

        Volatile.Write(ref _keptOnNames, _keptOn.Select(p => p.WireName()).ToHashSet(StringComparer.Ordinal));
        Decide(pattern);
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

    private void Decide(PatternType pattern) =>
        _disabled[(int)pattern] = !_keptOn.Contains(pattern) && PatternAnalytics.ShouldDisable(_wins[(int)pattern], _resolved[(int)pattern]);
}
