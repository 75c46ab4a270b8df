using Bitten.Bench;

namespace Bitten.EndToEnd.Tests;

/// <summary>The soak verdict on made-up runs: each shape of growth it must catch, and the ones it must let pass.</summary>
public sealed class SoakVerdictTests
{
    [Fact]
    public void A_flat_run_is_flat()
    {
        var result = SoakVerdict.Judge(Run(30, _ => 200));

        Assert.Equal(SoakOutcome.Flat, result.Outcome);
        Assert.Empty(result.Findings);
    }

    [Fact]
    public void Noise_around_a_level_is_flat()
    {
        // ±5 % alternating, deterministic: within the tolerance and with no trend.
        var result = SoakVerdict.Judge(Run(30, i => 200 * (1 + (i % 2 == 0 ? 0.05 : -0.05) * ((i % 3) + 1) / 3)));

        Assert.Equal(SoakOutcome.Flat, result.Outcome);
    }

    [Fact]
    public void Growth_during_the_warm_up_only_is_flat()
    {
        // The first 20 % climb from 100 to 200 (JIT, pools), then it holds.
        var result = SoakVerdict.Judge(Run(30, i => i < 6 ? 100 + (i * 20) : 200));

        Assert.Equal(SoakOutcome.Flat, result.Outcome);
    }

    [Fact]
    public void A_slow_leak_the_medians_miss_is_caught_by_the_slope()
    {
        // 200 → 224 MB linearly after the warm-up: the thirds' medians differ by about 8 %, the fit projects 12 %.
        var samples = Run(30, i => i < 6 ? 200 : 200 + ((i - 6) * 24.0 / 23));
        var judged = samples.Skip(SoakVerdict.WarmUp(samples.Count)).ToList();
        var firstMedian = SoakVerdict.Median([.. judged.Take(judged.Count / 3).Select(s => s.RssMb)]);
        var lastMedian = SoakVerdict.Median([.. judged.Skip(judged.Count - (judged.Count / 3)).Select(s => s.RssMb)]);
        Assert.InRange((lastMedian - firstMedian) / firstMedian, 0, SoakVerdict.FlatTolerance);

        var result = SoakVerdict.Judge(samples);

        Assert.Equal(SoakOutcome.Growing, result.Outcome);
        Assert.Contains(result.Findings, f => f.StartsWith("RSS slope", StringComparison.Ordinal));
    }

    [Fact]
    public void A_leak_in_the_gc_heap_alone_is_growing()
    {
        var samples = Run(30, _ => 200).Select((s, i) => s with { GcHeapMb = 50 + (i * 2) }).ToList();

        var result = SoakVerdict.Judge(samples);

        Assert.Equal(SoakOutcome.Growing, result.Outcome);
        Assert.Single(result.Findings);
        Assert.StartsWith("GC heap", result.Findings[0], StringComparison.Ordinal);
    }

    [Fact]
    public void A_step_up_that_stays_is_growing()
    {
        var result = SoakVerdict.Judge(Run(30, i => i < 18 ? 200 : 260));

        Assert.Equal(SoakOutcome.Growing, result.Outcome);
        Assert.Contains(result.Findings, f => f.StartsWith("RSS median", StringComparison.Ordinal));
    }

    [Fact]
    public void A_step_down_is_beyond_the_tolerance_too()
    {
        // A large fall is no leak, but a run whose level moves 30 % was not steady: reported, not hidden.
        var result = SoakVerdict.Judge(Run(30, i => i < 18 ? 200 : 140));

        Assert.Equal(SoakOutcome.Growing, result.Outcome);
    }

    [Fact]
    public void Live_fires_that_keep_climbing_are_growing_even_with_flat_memory()
    {
        var samples = Run(30, _ => 200).Select((s, i) => s with { LiveFires = 100 * i }).ToList();

        var result = SoakVerdict.Judge(samples);

        Assert.Equal(SoakOutcome.Growing, result.Outcome);
        Assert.Contains(result.Findings, f => f.StartsWith("live fires", StringComparison.Ordinal));
    }

    [Fact]
    public void Missions_still_piling_up_are_growing_and_missions_at_their_retention_are_bounded()
    {
        var climbing = Run(30, _ => 200).Select((s, i) => s with { MissionsHeld = 1000 * i }).ToList();
        var levelled = Run(30, _ => 200).Select((s, i) => s with { MissionsHeld = Math.Min(1000 * i, 5000) }).ToList();

        Assert.Contains(SoakVerdict.Judge(climbing).Findings, f => f.StartsWith("missions held", StringComparison.Ordinal));
        Assert.Equal(SoakOutcome.Flat, SoakVerdict.Judge(levelled).Outcome);
    }

    [Fact]
    public void Live_counts_that_cycle_under_a_ceiling_are_bounded()
    {
        // Fires open and close: a saw-tooth between 0 and 300 is steady state.
        var samples = Run(30, _ => 200).Select((s, i) => s with { LiveFires = i % 3 * 150, OpenPositions = i % 2 * 100 }).ToList();

        Assert.Equal(SoakOutcome.Flat, SoakVerdict.Judge(samples).Outcome);
    }

    [Fact]
    public void A_count_idling_near_zero_may_jitter_within_the_slack()
    {
        var samples = Run(30, _ => 200).Select((s, i) => s with { EventQueueDepth = i < 15 ? 0 : SoakVerdict.BoundSlack }).ToList();

        Assert.Equal(SoakOutcome.Flat, SoakVerdict.Judge(samples).Outcome);
        var over = samples.Select((s, i) => s with { EventQueueDepth = i < 15 ? 0 : SoakVerdict.BoundSlack + 1 }).ToList();
        Assert.Equal(SoakOutcome.Growing, SoakVerdict.Judge(over).Outcome);
    }

    [Fact]
    public void Open_signals_piling_up_are_growing()
    {
        var samples = Run(30, _ => 200).Select((s, i) => s with { OpenSignals = 5 * i }).ToList();

        var result = SoakVerdict.Judge(samples);

        Assert.Equal(SoakOutcome.Growing, result.Outcome);
        Assert.Contains(result.Findings, f => f.StartsWith("open tracked signals", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(7)]
    public void Too_few_samples_are_insufficient(int count)
    {
        // Even a run that plainly grows: with so few samples nothing is said about it.
        var result = SoakVerdict.Judge(Run(count, i => 100 * (i + 1)));

        Assert.Equal(SoakOutcome.Insufficient, result.Outcome);
        Assert.StartsWith("insufficient", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Eight_samples_are_enough_and_a_two_minute_run_at_ten_seconds_is_judged()
    {
        Assert.Equal(2, SoakVerdict.WarmUp(8));
        Assert.Equal(SoakOutcome.Flat, SoakVerdict.Judge(Run(8, _ => 200)).Outcome);
        Assert.Equal(3, SoakVerdict.WarmUp(12));
        Assert.Equal(SoakOutcome.Growing, SoakVerdict.Judge(Run(12, i => 100 + (10 * i))).Outcome);
    }

    [Fact]
    public void Least_squares_recovers_a_line_and_a_flat_x_gives_no_slope()
    {
        var (slope, intercept) = SoakVerdict.LeastSquares([0, 1, 2, 3], [1, 3, 5, 7]);
        Assert.Equal(2, slope, 9);
        Assert.Equal(1, intercept, 9);

        var (flat, mean) = SoakVerdict.LeastSquares([5, 5, 5], [1, 2, 3]);
        Assert.Equal(0, flat);
        Assert.Equal(2, mean, 9);
    }

    /// <summary>Samples every 10 s with RSS from <paramref name="rss"/> and a GC heap at a quarter of it.</summary>
    private static List<SoakSample> Run(int count, Func<int, double> rss) =>
        [.. Enumerable.Range(0, count).Select(i => new SoakSample((i + 1) * 10.0, rss(i), rss(i) / 4, i, 0, 0, 0, 0, 0, 0, 0, 0, 0, i * 100_000L, i * 100L, i * 100L, i * 100L))];
}
