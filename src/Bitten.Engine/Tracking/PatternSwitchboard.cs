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

    /// <summary>Patterns an admin keeps on whatever their record.</summary>
    public IReadOnlySet<PatternType> KeptOn => _keptOn;

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
