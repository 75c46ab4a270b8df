using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Engine.Tracking;

namespace Bitten.Engine.Signals;

/// <summary>Why the tuner moved the global threshold, or did not.</summary>
public enum TuneReason
{
    /// <summary>Volume is within the band around the target and the measured edge is not negative: no change.</summary>
    OnTarget,

    /// <summary>More signals than the target: raise the bar.</summary>
    TooMany,

    /// <summary>Fewer signals than the target: lower the bar.</summary>
    TooFew,

    /// <summary>The measured win rate is significantly below break-even: raise the bar whatever the volume.</summary>
    LosingEdge,
}

public static class TuneReasons
{
    public static string WireName(this TuneReason reason) => reason switch
    {
        TuneReason.TooMany => "TOO_MANY",
        TuneReason.TooFew => "TOO_FEW",
        TuneReason.LosingEdge => "LOSING_EDGE",
        _ => "ON_TARGET",
    };
}

/// <summary>What the tuner measured over its window.</summary>
/// <param name="SignalsPerSymbolDay">Signals raised in the last 24 hours over the symbols that had candles in them.</param>
/// <param name="Resolved">Outcomes in the outcome window.</param>
/// <param name="Wins">Wins among them.</param>
/// <param name="RewardToRisk">The mean R:R of the signals raised, which sets break-even.</param>
public readonly record struct TunerInputs(double SignalsPerSymbolDay, int Resolved, int Wins, double RewardToRisk);

public readonly record struct TuneDecision(double Threshold, TuneReason Reason);

/// <summary>
/// The tuner's state at a checkpoint (<see cref="ThresholdTuner.Snapshot"/>). <see cref="Min"/> and <see cref="Max"/> are
/// the range an admin set (null: the configured one), so a restart keeps the admin's range but follows a changed option otherwise.
/// </summary>
public sealed record TunerState(double Threshold, int Moves, TuneReason LastReason, long FirstClose, long NextRetune,
    IReadOnlyDictionary<string, long> LastClose, IReadOnlyList<long> Raised, IReadOnlyList<bool> Wins, int Outcomes, double RewardToRiskSum,
    long Signals, double? Min = null, double? Max = null);

/// <summary>The threshold in force and the range the tuner keeps it in, as the Throne shows them.</summary>
public sealed record ThresholdView(double Threshold, double Min, double Max, bool AutoTune, int Moves, TuneReason LastReason);

/// <summary>
/// Moves Elite Guard's global confidence threshold toward a target signal volume (seed 002: 65 signals a day over
/// 10 pairs, threshold between 70 and 78), and up whenever measured outcomes say the signals lose money. Retunes once
/// an hour of event time from the trailing 24 hours, after a first full day, so replay and live tune identically.
/// </summary>
/// <remarks>
/// The original's tuner read a field its signals never had and so always sat at 45 (original-system §2.4). This one
/// is a pure decision (<see cref="Decide"/>) over counts the kernel keeps, with every move recorded with its reason.
/// </remarks>
public sealed class ThresholdTuner : IOutcomeSink
{
    /// <summary>Outcomes needed before the edge can overrule volume.</summary>
    public const int MinimumResolved = 20;

    /// <summary>Volume inside target × [1 − band, 1 + band] counts as on target, so the threshold does not hunt.</summary>
    public const double VolumeBand = 0.25;

    private const long Day = 86_400_000;
    private const long Hour = 3_600_000;

    private readonly EliteGuardOptions _options;
    private readonly Queue<long> _raised = new();
    private readonly bool[] _wins;
    private long[] _lastClose = [];
    private long _firstClose = long.MinValue;
    private long _nextRetune = long.MinValue;
    private int _outcomes;
    private double _rewardToRiskSum;
    private long _signals;
    private bool _rangeByAdmin;

    public ThresholdTuner(EliteGuardOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _wins = new bool[Math.Max(MinimumResolved, options.TunerOutcomeWindow)];
        // Where the operator put it; the first retune brings it inside [min, max] if it was set outside.
        Threshold = options.GlobalThreshold;
        Min = options.ThresholdMin;
        Max = options.ThresholdMax;
    }

    /// <summary>The global threshold in force now.</summary>
    public double Threshold { get; private set; }

    /// <summary>The range retunes keep the threshold in: the configured one until an admin sets another.</summary>
    public double Min { get; private set; }

    public double Max { get; private set; }

    /// <summary>Counts every change of threshold or range (retunes and admin settings), so a checkpoint knows it has something new.</summary>
    public int Version { get; private set; }

    public ThresholdView View => new(Threshold, Min, Max, _options.TuneThreshold, Moves, LastDecision.Reason);

    /// <summary>
    /// Why an admin's setting (null: unchanged) cannot be applied — outside 0–100, or not min ≤ threshold ≤ max once
    /// applied — or null when it can.
    /// </summary>
    public string? Problem(double? threshold, double? min, double? max)
    {
        var (t, lo, hi) = (threshold ?? Threshold, min ?? Min, max ?? Max);
        return !(t is >= 0 and <= 100) || !(lo is >= 0 and <= 100) || !(hi is >= 0 and <= 100) ? "threshold, min and max must be within 0-100"
            : lo > hi ? $"min {lo} is above max {hi}"
            : t < lo || t > hi ? $"the threshold {t} would be outside the range {lo}-{hi}: send a threshold inside it"
            : null;
    }

    /// <summary>An admin's setting of the threshold and/or its range (null: unchanged); all of it or, with a problem, none.</summary>
    /// <exception cref="ArgumentException">The setting has a <see cref="Problem"/>.</exception>
    public void Set(double? threshold, double? min, double? max)
    {
        if (Problem(threshold, min, max) is { } problem)
        {
            throw new ArgumentException(problem);
        }

        Threshold = threshold ?? Threshold;
        if (min is not null || max is not null)
        {
            Min = min ?? Min;
            Max = max ?? Max;
            _rangeByAdmin = true;
        }

        Version++;
    }

    /// <summary>How many times the threshold has moved, and the last decision taken.</summary>
    public int Moves { get; private set; }

    public TuneDecision LastDecision { get; private set; }

    /// <summary>
    /// The decision for one retune: the edge first (a losing pattern mix gets fewer signals, never more), then volume.
    /// The result always stays inside [min, max].
    /// </summary>
    public static TuneDecision Decide(double current, in TunerInputs inputs, double targetPerSymbolDay, double min, double max, double step)
    {
        var reason = TuneReason.OnTarget;
        if (inputs.Resolved >= MinimumResolved
            && WinRate.Wilson(inputs.Wins, inputs.Resolved).Upper < WinRate.BreakEven(inputs.RewardToRisk))
        {
            reason = TuneReason.LosingEdge;
        }
        else if (inputs.SignalsPerSymbolDay > targetPerSymbolDay * (1 + VolumeBand))
        {
            reason = TuneReason.TooMany;
        }
        else if (inputs.SignalsPerSymbolDay < targetPerSymbolDay * (1 - VolumeBand))
        {
            reason = TuneReason.TooFew;
        }

        var next = reason switch
        {
            TuneReason.LosingEdge or TuneReason.TooMany => current + step,
            TuneReason.TooFew => current - step,
            _ => current,
        };
        return new TuneDecision(Math.Clamp(next, min, max), reason);
    }

    /// <summary>Notes an M5 close of <paramref name="symbol"/> and retunes when an hour boundary of event time has passed.</summary>
    public void OnClose(SymbolId symbol, long timeMs)
    {
        NoteClose(symbol, timeMs);
        if (_firstClose == long.MinValue)
        {
            _firstClose = timeMs;
            _nextRetune = timeMs + Day;
        }

        if (!_options.TuneThreshold || timeMs < _nextRetune)
        {
            return;
        }

        _nextRetune = (timeMs / Hour * Hour) + Hour;
        Retune(timeMs);
    }

    /// <summary>Notes a raised signal.</summary>
    public void OnSignal(Signal signal)
    {
        _raised.Enqueue(signal.TimestampMs);
        _rewardToRiskSum += signal.RiskReward;
        _signals++;
    }

    public void OnResolved(in SignalOutcome outcome)
    {
        _wins[_outcomes % _wins.Length] = outcome.Outcome == Outcome.Win;
        _outcomes++;
    }

    /// <summary>Everything the tuner has learnt, for a checkpoint; the last closes are keyed by symbol name, as ids can change between runs.</summary>
    public TunerState Snapshot(Func<SymbolId, string> nameOf)
    {
        ArgumentNullException.ThrowIfNull(nameOf);
        var lastClose = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < _lastClose.Length; i++)
        {
            if (_lastClose[i] != long.MinValue)
            {
                lastClose[nameOf(new SymbolId(i))] = _lastClose[i];
            }
        }

        return new TunerState(Threshold, Moves, LastDecision.Reason, _firstClose, _nextRetune, lastClose, [.. _raised], [.. _wins], _outcomes,
            _rewardToRiskSum, _signals, _rangeByAdmin ? Min : null, _rangeByAdmin ? Max : null);
    }

    /// <summary>Takes up where a checkpoint left off: the threshold, its history and the windows it is measured over.</summary>
    public void Restore(TunerState state, Func<string, SymbolId> idOf)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(idOf);
        Threshold = state.Threshold;
        Moves = state.Moves;
        if (state.Min is { } min && state.Max is { } max && min <= max)
        {
            (Min, Max, _rangeByAdmin) = (min, max, true);
        }

        Version++;
        LastDecision = new TuneDecision(state.Threshold, state.LastReason);
        _firstClose = state.FirstClose;
        _nextRetune = state.NextRetune;
        foreach (var (symbol, time) in state.LastClose)
        {
            // Not through OnClose: restoring must not retune.
            NoteClose(idOf(symbol), time);
        }

        _raised.Clear();
        foreach (var raised in state.Raised)
        {
            _raised.Enqueue(raised);
        }

        // The outcome window's size is an option and may have changed: keep the newest outcomes that fit.
        var kept = Math.Min(Math.Min(state.Outcomes, state.Wins.Count), _wins.Length);
        for (var k = 0; k < kept; k++)
        {
            var n = state.Outcomes - kept + k;
            _wins[k] = state.Wins[n % state.Wins.Count];
        }

        _outcomes = kept;
        _rewardToRiskSum = state.RewardToRiskSum;
        _signals = state.Signals;
    }

    private void NoteClose(SymbolId symbol, long timeMs)
    {
        if (symbol.Value >= _lastClose.Length)
        {
            var grown = new long[Math.Max(symbol.Value + 1, Math.Max(8, _lastClose.Length * 2))];
            Array.Fill(grown, long.MinValue);
            Array.Copy(_lastClose, grown, _lastClose.Length);
            _lastClose = grown;
        }

        _lastClose[symbol.Value] = Math.Max(_lastClose[symbol.Value], timeMs);
    }

    private void Retune(long timeMs)
    {
        while (_raised.Count > 0 && _raised.Peek() <= timeMs - Day)
        {
            _raised.Dequeue();
        }

        var active = 0;
        foreach (var last in _lastClose)
        {
            if (last > timeMs - Day)
            {
                active++;
            }
        }

        var resolved = Math.Min(_outcomes, _wins.Length);
        var wins = 0;
        for (var i = 0; i < resolved; i++)
        {
            wins += _wins[i] ? 1 : 0;
        }

        var inputs = new TunerInputs(
            active == 0 ? 0 : (double)_raised.Count / active,
            resolved,
            wins,
            _signals == 0 ? 1.5 : _rewardToRiskSum / _signals);
        var target = _options.TargetSignalsPerDay / _options.TargetSymbols;
        LastDecision = Decide(Threshold, in inputs, target, Min, Max, _options.TuneStep);
        if (LastDecision.Threshold != Threshold)
        {
            Threshold = LastDecision.Threshold;
            Moves++;
            Version++;
        }
    }
}
