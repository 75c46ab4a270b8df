using System.Globalization;

namespace Bitten.Bench;

/// <summary>
/// One sample of a soak run, taken every --sample-seconds: the process's memory, the collector's counts, what the kernel
/// holds, and the load so far (running totals).
/// </summary>
public sealed record SoakSample(
    double Seconds,
    double RssMb,
    double GcHeapMb,
    int Gen0,
    int Gen1,
    int Gen2,
    int MissionsHeld,
    int LiveFires,
    int EndedFireIds,
    int OpenPositions,
    int OpenSignals,
    int HistoryLength,
    int EventQueueDepth,
    long TicksIn,
    long FiresSent,
    long Confirmations,
    long Closes,
    long Checkpoints = 0,
    double CheckpointMb = 0);

public enum SoakOutcome
{
    /// <summary>Too few samples after the warm-up to say anything.</summary>
    Insufficient,
    Flat,
    Growing,
}

/// <summary>The verdict and why, one finding per series that grew (or one line saying all held).</summary>
public sealed record SoakResult(SoakOutcome Outcome, string Reason, IReadOnlyList<string> Findings);

/// <summary>
/// Whether a soak run's memory and live kernel state stayed flat. After a warm-up (the first 20 % of samples, at least
/// two: the JIT, the pools and the first GCs settle there), RSS and GC heap are flat when the last third's median is
/// within ±10 % of the first third's and the least-squares slope over the post-warm-up samples projects under 10 %
/// growth over that span (the medians catch a step, the slope a leak too slow for the medians). Live counts (missions
/// held, fires in flight or open, open positions, open tracked signals, the event log's queue) must stay bounded: the last third's
/// max at most 1.5× the first third's, with a slack of 10 so a count that idles near zero may jitter.
/// </summary>
public static class SoakVerdict
{
    public const double FlatTolerance = 0.10;
    public const double BoundFactor = 1.5;
    public const int BoundSlack = 10;

    /// <summary>Post-warm-up samples needed: two in each third.</summary>
    public const int MinimumJudged = 6;

    public static int WarmUp(int samples) => Math.Max(2, (int)Math.Ceiling(samples * 0.2));

    public static SoakResult Judge(IReadOnlyList<SoakSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var warm = WarmUp(samples.Count);
        var judged = samples.Skip(warm).ToList();
        if (judged.Count < MinimumJudged)
        {
            return new SoakResult(SoakOutcome.Insufficient,
                Text($"insufficient: {samples.Count} samples, {judged.Count} after a warm-up of {warm}; at least {MinimumJudged} needed"), []);
        }

        var findings = new List<string>();
        Flat("RSS", judged, s => s.RssMb, findings);
        Flat("GC heap", judged, s => s.GcHeapMb, findings);
        Bounded("missions held", judged, s => s.MissionsHeld, findings);
        Bounded("live fires", judged, s => s.LiveFires, findings);
        Bounded("open positions", judged, s => s.OpenPositions, findings);
        Bounded("open tracked signals", judged, s => s.OpenSignals, findings);
        Bounded("event log queue", judged, s => s.EventQueueDepth, findings);
        return findings.Count == 0
            ? new SoakResult(SoakOutcome.Flat, Text($"flat: RSS, GC heap and live counts held over {judged.Count} samples after a warm-up of {warm}"), [])
            : new SoakResult(SoakOutcome.Growing, "growing: " + string.Join("; ", findings), findings);
    }

    /// <summary>Medians of the first and last thirds within tolerance, and the fitted slope's projection under it.</summary>
    private static void Flat(string name, List<SoakSample> judged, Func<SoakSample, double> value, List<string> findings)
    {
        var (first, last) = Thirds(judged, value);
        var firstMedian = Median(first);
        var lastMedian = Median(last);
        if (firstMedian <= 0)
        {
            findings.Add(Text($"{name} has no positive first-third median ({firstMedian:F1})"));
            return;
        }

        var change = (lastMedian - firstMedian) / firstMedian;
        if (Math.Abs(change) > FlatTolerance)
        {
            findings.Add(Text($"{name} median {firstMedian:F1} → {lastMedian:F1} MB ({change:+0.0%;-0.0%}, beyond ±{FlatTolerance:P0})"));
            return;
        }

        var (slope, intercept) = LeastSquares(judged.Select(s => s.Seconds).ToList(), judged.Select(value).ToList());
        var start = intercept + (slope * judged[0].Seconds);
        var span = judged[^1].Seconds - judged[0].Seconds;
        var projected = start > 0 ? slope * span / start : double.PositiveInfinity;
        if (projected >= FlatTolerance)
        {
            findings.Add(Text($"{name} slope {slope * 60:F2} MB/min projects {projected:+0.0%} over {span:F0} s (limit {FlatTolerance:P0})"));
        }
    }

    private static void Bounded(string name, List<SoakSample> judged, Func<SoakSample, int> value, List<string> findings)
    {
        var (first, last) = Thirds(judged, s => value(s));
        var firstMax = first.Max();
        var lastMax = last.Max();
        if (lastMax > (BoundFactor * firstMax) + BoundSlack)
        {
            findings.Add(Text($"{name} max {firstMax:F0} → {lastMax:F0} (more than {BoundFactor}× + {BoundSlack})"));
        }
    }

    private static (List<double> First, List<double> Last) Thirds(List<SoakSample> judged, Func<SoakSample, double> value)
    {
        var third = judged.Count / 3;
        return ([.. judged.Take(third).Select(value)], [.. judged.Skip(judged.Count - third).Select(value)]);
    }

    public static double Median(IReadOnlyList<double> values) => Medians.Of(values);

    /// <summary>The line y = slope·x + intercept nearest the points (least squares); a flat line through the mean when x does not vary.</summary>
    public static (double Slope, double Intercept) LeastSquares(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var n = x.Count;
        var meanX = x.Average();
        var meanY = y.Average();
        double sxy = 0, sxx = 0;
        for (var i = 0; i < n; i++)
        {
            sxy += (x[i] - meanX) * (y[i] - meanY);
            sxx += (x[i] - meanX) * (x[i] - meanX);
        }

        var slope = sxx == 0 ? 0 : sxy / sxx;
        return (slope, meanY - (slope * meanX));
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
