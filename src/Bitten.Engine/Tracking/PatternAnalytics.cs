using System.Globalization;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;

namespace Bitten.Engine.Tracking;

/// <summary>The look-back windows of seed 000's <c>/api/pattern-analytics?timeframe=</c>, by signal timestamp.</summary>
public enum AnalyticsWindow
{
    SixHours,
    Day,
    Week,
    All,
}

public static class AnalyticsWindows
{
    public static string WireName(this AnalyticsWindow window) => window switch
    {
        AnalyticsWindow.SixHours => "6h",
        AnalyticsWindow.Day => "24h",
        AnalyticsWindow.Week => "7d",
        AnalyticsWindow.All => "all",
        _ => throw new ArgumentOutOfRangeException(nameof(window), window, "not an analytics window"),
    };

    /// <summary>The window's length; null for <see cref="AnalyticsWindow.All"/>.</summary>
    public static long? LengthMs(this AnalyticsWindow window) => window switch
    {
        AnalyticsWindow.SixHours => 6 * 60 * UnixMs.Minute,
        AnalyticsWindow.Day => 24 * 60 * UnixMs.Minute,
        AnalyticsWindow.Week => 7 * 24 * 60 * UnixMs.Minute,
        AnalyticsWindow.All => null,
        _ => throw new ArgumentOutOfRangeException(nameof(window), window, "not an analytics window"),
    };

    public static bool TryParse(string? text, out AnalyticsWindow window)
    {
        switch (text)
        {
            case "6h":
                window = AnalyticsWindow.SixHours;
                return true;
            case "24h":
                window = AnalyticsWindow.Day;
                return true;
            case "7d":
                window = AnalyticsWindow.Week;
                return true;
            case "all":
                window = AnalyticsWindow.All;
                return true;
            default:
                window = default;
                return false;
        }
    }

    /// <summary>
    /// Whether a signal stamped <paramref name="timestampMs"/> is inside the window ending at <paramref name="nowMs"/>:
    /// no older than the window's length. There is no upper bound, because a signal's event time may run slightly
    /// ahead of our clock (tick-time skew) and must not vanish from "the last 6 hours" for it.
    /// </summary>
    public static bool Contains(this AnalyticsWindow window, long timestampMs, long nowMs) =>
        window.LengthMs() is not { } length || timestampMs >= nowMs - length;
}

/// <summary>
/// Results of a set of signals. Rates, the interval, pips, expectancy and duration are over resolved signals only
/// (an open signal has no result yet); they are 0 (duration null) when nothing has resolved.
/// </summary>
public sealed record PerformanceStats(
    int Signals,
    int Wins,
    int Losses,
    int Open,
    double WinRate,
    double WilsonLower,
    double WilsonUpper,
    double TotalPips,
    double AveragePips,
    double ExpectancyR,
    double? AverageDurationMinutes)
{
    public int Resolved => Wins + Losses;
}

/// <summary>One pattern's results in the window, its breakdowns, and whether it may trade.</summary>
/// <param name="AutoDisabled">The disable rule holds over the pattern's whole history (not just this window).</param>
/// <param name="Overridden">An admin override keeps it enabled although <paramref name="AutoDisabled"/>.</param>
/// <param name="DisabledByAdmin">An admin switched it off whatever its record.</param>
public sealed record PatternAnalyticsRow(
    PatternType Pattern,
    PerformanceStats Stats,
    IReadOnlyDictionary<string, PerformanceStats> BySymbol,
    IReadOnlyDictionary<string, PerformanceStats> BySession,
    IReadOnlyDictionary<string, PerformanceStats> ByConfidence,
    bool AutoDisabled,
    bool Overridden,
    string Recommendation,
    bool DisabledByAdmin = false)
{
    public string Name => Pattern.WireName();

    public bool Disabled => DisabledByAdmin || (AutoDisabled && !Overridden);
}

/// <summary>
/// One confidence bucket against what its signals realised: a calibrated detector's 80–89 bucket wins about 85 % of
/// the time. <see cref="MeanConfidence"/> is the mean stated confidence of the resolved signals (null when none).
/// </summary>
public sealed record CalibrationRow(
    string Bucket,
    int Signals,
    int Resolved,
    int Wins,
    double WinRate,
    double WilsonLower,
    double WilsonUpper,
    double? MeanConfidence);

/// <summary>Everything <c>/api/pattern-analytics</c> shows for one window.</summary>
public sealed record PatternAnalyticsReport(
    AnalyticsWindow Window,
    long NowMs,
    PerformanceStats Total,
    IReadOnlyList<PatternAnalyticsRow> Patterns,
    IReadOnlyDictionary<string, PerformanceStats> BySymbol,
    IReadOnlyDictionary<string, PerformanceStats> BySession,
    IReadOnlyDictionary<string, PerformanceStats> ByConfidence,
    IReadOnlyList<CalibrationRow> Calibration,
    string Recommendation)
{
    /// <summary>Patterns allowed to trade: every pattern minus the disabled ones.</summary>
    public int PatternsActive => Patterns.Count(p => !p.Disabled);

    public PatternAnalyticsRow this[PatternType pattern] => Patterns.Single(p => p.Pattern == pattern);
}

/// <summary>
/// Pattern analytics (PRODUCT.md §6) as pure functions of the tracked history and a time: the same input gives the
/// same report, byte for byte, so the API, the Throne and tests all agree.
/// </summary>
public static class PatternAnalytics
{
    /// <summary>Resolved signals a pattern needs before the disable rule may judge it.</summary>
    public const int MinResolvedToDisable = 20;

    /// <summary>A pattern is disabled when even the optimistic end of its 95 % interval is below this win rate.</summary>
    public const double DisableUpperBound = 0.40;

    /// <summary>The confidence buckets of the calibration table, in order; lower confidences fall in <see cref="BelowBuckets"/>.</summary>
    public static IReadOnlyList<string> Buckets { get; } = ["60-69", "70-79", "80-89", "90-100"];

    /// <summary>The catch-all for confidence under 60, shown only when such signals exist (API-injected ones can be).</summary>
    public const string BelowBuckets = "0-59";

    /// <summary>
    /// The confidence bucket of a 0–100 confidence. Fractions floor (69.9 is still 60-69) and anything at or above
    /// 90, 100 included, is 90-100.
    /// </summary>
    public static string ConfidenceBucket(double confidence) => Math.Floor(confidence) switch
    {
        >= 90 => "90-100",
        >= 80 => "80-89",
        >= 70 => "70-79",
        >= 60 => "60-69",
        _ => BelowBuckets,
    };

    /// <summary>
    /// The auto-disable rule: at least <see cref="MinResolvedToDisable"/> resolved signals and a Wilson upper bound
    /// below <see cref="DisableUpperBound"/>. The upper bound, not the point estimate, so a pattern is only switched
    /// off when we are 95 % sure it is bad, not after an unlucky streak.
    /// </summary>
    public static bool ShouldDisable(int wins, int resolved) =>
        resolved >= MinResolvedToDisable && WinRate.Wilson(wins, resolved).Upper < DisableUpperBound;

    /// <summary>The report for the signals stamped inside <paramref name="window"/> ending at <paramref name="nowMs"/>.</summary>
    /// <param name="states">Which patterns are off by their record and kept on by an admin: the switchboard's, never recomputed here.</param>
    public static PatternAnalyticsReport Build(
        IReadOnlyList<TrackedSignal> history, long nowMs, AnalyticsWindow window, PatternStates states)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(states);
        _ = window.LengthMs(); // rejects an undefined window before any work
        var inWindow = history.Where(t => window.Contains(t.Signal.TimestampMs, nowMs)).ToList();
        var rows = new List<PatternAnalyticsRow>(PatternTypes.All.Count);
        foreach (var pattern in PatternTypes.All)
        {
            var mine = inWindow.Where(t => t.Signal.PatternType == pattern).ToList();
            var stats = Stats(mine);
            var autoDisabled = states.ByRecord.Contains(pattern);
            var overridden = autoDisabled && states.KeptOn.Contains(pattern);
            rows.Add(new PatternAnalyticsRow(
                pattern,
                stats,
                GroupBy(mine, t => t.Signal.Symbol),
                GroupBy(mine, t => t.Signal.Session),
                GroupBy(mine, t => ConfidenceBucket(t.Signal.Confidence)),
                autoDisabled,
                overridden,
                states.DisabledByAdmin.Contains(pattern) ? $"{pattern.WireName()} switched off by admin"
                    : Recommend(pattern, stats, autoDisabled, overridden, AllTimeStats(history, pattern), window),
                states.DisabledByAdmin.Contains(pattern)));
        }

        return new PatternAnalyticsReport(
            window,
            nowMs,
            Stats(inWindow),
            rows,
            GroupBy(inWindow, t => t.Signal.Symbol),
            GroupBy(inWindow, t => t.Signal.Session),
            GroupBy(inWindow, t => ConfidenceBucket(t.Signal.Confidence)),
            Calibrate(inWindow),
            Overall(rows, window));
    }

    /// <summary>The statistics of any set of tracked signals.</summary>
    public static PerformanceStats Stats(IReadOnlyCollection<TrackedSignal> signals)
    {
        ArgumentNullException.ThrowIfNull(signals);
        int wins = 0, losses = 0, withStop = 0;
        double pips = 0, r = 0, minutes = 0;
        foreach (var tracked in signals)
        {
            if (tracked.Outcome is not { } outcome)
            {
                continue;
            }

            if (outcome.Outcome == Outcome.Win)
            {
                wins++;
            }
            else
            {
                losses++;
            }

            pips += outcome.Pips;
            minutes += outcome.DurationMinutes;

            // R needs a stop distance; a signal without one (never from Elite Guard) cannot say how many R it made,
            // so it is left out of the mean rather than dividing by zero.
            if (tracked.Signal.StopPips > 0)
            {
                r += outcome.Pips / tracked.Signal.StopPips;
                withStop++;
            }
        }

        var resolved = wins + losses;
        var (lower, upper) = WinRate.Wilson(wins, resolved);
        return new PerformanceStats(
            signals.Count,
            wins,
            losses,
            signals.Count - resolved,
            resolved == 0 ? 0 : (double)wins / resolved,
            lower,
            upper,
            pips,
            resolved == 0 ? 0 : pips / resolved,
            withStop == 0 ? 0 : r / withStop,
            resolved == 0 ? null : minutes / resolved);
    }

    /// <summary>The four standard buckets always (so a plot has fixed axes), plus 0-59 when it has signals.</summary>
    public static IReadOnlyList<CalibrationRow> Calibrate(IReadOnlyList<TrackedSignal> signals)
    {
        ArgumentNullException.ThrowIfNull(signals);
        var rows = new List<CalibrationRow>(Buckets.Count + 1);
        if (signals.Any(t => ConfidenceBucket(t.Signal.Confidence) == BelowBuckets))
        {
            rows.Add(CalibrationOf(BelowBuckets, signals));
        }

        rows.AddRange(Buckets.Select(b => CalibrationOf(b, signals)));
        return rows;
    }

    private static CalibrationRow CalibrationOf(string bucket, IReadOnlyList<TrackedSignal> signals)
    {
        var mine = signals.Where(t => ConfidenceBucket(t.Signal.Confidence) == bucket).ToList();
        var resolved = mine.Where(t => t.IsResolved).ToList();
        var wins = resolved.Count(t => t.Outcome!.Value.Outcome == Outcome.Win);
        var (lower, upper) = WinRate.Wilson(wins, resolved.Count);
        return new CalibrationRow(
            bucket,
            mine.Count,
            resolved.Count,
            wins,
            resolved.Count == 0 ? 0 : (double)wins / resolved.Count,
            lower,
            upper,
            resolved.Count == 0 ? null : resolved.Average(t => t.Signal.Confidence));
    }

    private static PerformanceStats AllTimeStats(IReadOnlyList<TrackedSignal> history, PatternType pattern) =>
        Stats(history.Where(t => t.Signal.PatternType == pattern).ToList());

    /// <summary>Ordinal key order, so the same history always serialises the same way.</summary>
    private static SortedDictionary<string, PerformanceStats> GroupBy(IEnumerable<TrackedSignal> signals, Func<TrackedSignal, string> key)
    {
        var groups = new SortedDictionary<string, PerformanceStats>(StringComparer.Ordinal);
        foreach (var group in signals.GroupBy(key, StringComparer.Ordinal))
        {
            groups[group.Key] = Stats(group.ToList());
        }

        return groups;
    }

    /// <summary>
    /// One sentence per pattern, most urgent first: disabled, kept by override, losing money (expectancy below 0 R:
    /// "monitor for potential disable", seed 000's wording), winning above break-even with 95 % confidence, or
    /// still collecting data. The disable sentences use the all-time figures the rule used.
    /// </summary>
    private static string Recommend(
        PatternType pattern, PerformanceStats stats, bool autoDisabled, bool overridden, PerformanceStats allTime, AnalyticsWindow window)
    {
        var name = pattern.WireName();
        if (autoDisabled)
        {
            var why = Invariant($"95% upper bound {allTime.WilsonUpper * 100:F1}% < {DisableUpperBound * 100:F0}% after {allTime.Resolved} resolved");
            return overridden ? $"{name} kept enabled by admin override ({why})" : $"{name} auto-disabled ({why})";
        }

        if (stats.Signals == 0)
        {
            return $"No {name} signals in {window.WireName()}";
        }

        if (stats.Resolved == 0)
        {
            return Invariant($"{name}: {stats.Open} open, none resolved yet");
        }

        if (stats.ExpectancyR < 0)
        {
            return Invariant($"Monitor {name} for potential disable (expectancy {stats.ExpectancyR:F2}R over {stats.Resolved} resolved)");
        }

        return stats.ExpectancyR > 0 && stats.WilsonLower >= DisableUpperBound
            ? Invariant($"{name} performing well ({stats.WinRate * 100:F1}% over {stats.Resolved} resolved, expectancy {stats.ExpectancyR:F2}R)")
            : Invariant($"{name} within expectations; collecting data ({stats.Resolved} resolved)");
    }

    /// <summary>The patterns that need an admin's attention, or that none do.</summary>
    private static string Overall(IReadOnlyList<PatternAnalyticsRow> rows, AnalyticsWindow window)
    {
        var parts = new List<string>();
        var disabled = rows.Where(r => r.Disabled && !r.DisabledByAdmin).Select(r => r.Name).ToList();
        if (disabled.Count > 0)
        {
            parts.Add($"Auto-disabled: {string.Join(", ", disabled)}");
        }

        var switchedOff = rows.Where(r => r.DisabledByAdmin).Select(r => r.Name).ToList();
        if (switchedOff.Count > 0)
        {
            parts.Add($"Switched off by admin: {string.Join(", ", switchedOff)}");
        }

        var overridden = rows.Where(r => r.Overridden).Select(r => r.Name).ToList();
        if (overridden.Count > 0)
        {
            parts.Add($"Review admin override of {string.Join(", ", overridden)}");
        }

        var monitor = rows.Where(r => !r.AutoDisabled && r.Stats.Resolved > 0 && r.Stats.ExpectancyR < 0).Select(r => r.Name).ToList();
        if (monitor.Count > 0)
        {
            parts.Add($"Monitor {string.Join(", ", monitor)} for potential disable");
        }

        if (parts.Count > 0)
        {
            return string.Join("; ", parts);
        }

        return rows.Any(r => r.Stats.Resolved > 0)
            ? "All patterns performing within expectations"
            : $"No resolved signals in {window.WireName()} yet";
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
