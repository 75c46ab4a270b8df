using System.Globalization;
using Bitten.Domain.Signals;
using Bitten.Engine.Tracking;
using Bitten.Simulation.Replay;

namespace Bitten.Bench;

/// <summary>
/// Replay throughput through the one replay runner, the kernel on one thread: recorded ticks streamed from their files (read ahead on a second thread) through
/// the kernel (candles, the six detectors on every M5 close, gates, SL/TP, outcome tracking) and the execution desk
/// with the backtest's default account on a paper broker — no sockets, no threads. Ticks only (no clock messages),
/// so every bar is closed by the next tick; `bitten backtest` also runs the clock in replay time. The engine figures
/// time the kernel's work only; the "with reading" figures include unzipping and parsing the files.
/// </summary>
public static class ReplayBenchmark
{
    /// <returns>The text to print, and the medians under <c>replay.*</c> names.</returns>
    public static (string Text, BenchFigures Figures) Run(string ticksPath, int passes)
    {
        IReadOnlyList<TickFile> files;
        try
        {
            files = TickReplay.Discover([ticksPath]);
        }
        catch (FileNotFoundException e)
        {
            throw new InvalidDataException(e.Message, e);
        }

        if (files.Count == 0)
        {
            throw new InvalidDataException($"no tick files (*_quote.zip or *.csv) in {ticksPath}");
        }

        // Interleaved, so a slow spell of this shared machine hits both alike: the engine alone (comparable with the
        // replay figures before the desk joined), and with the backtest's default account on the desk and a paper broker.
        ReplaySettings[] modes =
        [
            new() { ClockMessages = false },
            new() { ClockMessages = false, Accounts = [new BacktestOptions().ToAccount()] },
        ];
        var engine = modes.Select(_ => new List<double>()).ToArray();
        var overall = modes.Select(_ => new List<double>()).ToArray();
        var closes = new List<double>();
        var last = new ReplayResult?[modes.Length];
        long resolved = 0;
        for (var run = 0; run < passes + 1; run++)
        {
            for (var mode = 0; mode < modes.Length; mode++)
            {
                var outcomes = new Count();
                var result = ReplayRunner.Run(files, modes[mode], listeners: new ReplayListeners { Outcomes = outcomes });
                if (run == 0)
                {
                    continue; // warm-up: JIT and first-touch of every array
                }

                engine[mode].Add(result.Ticks / result.EngineTime.TotalSeconds);
                overall[mode].Add(result.Ticks / result.Elapsed.TotalSeconds);
                closes.Add(result.M5Closes == 0 ? 0 : result.EliteGuardTime.TotalMicroseconds / result.M5Closes);
                resolved = outcomes.Resolved;
                last[mode] = result;
            }
        }

        foreach (var list in engine.Concat(overall).Append(closes))
        {
            list.Sort();
        }

        var full = last[^1]!;
        var account = full.Accounts[0];
        var days = (full.LastTickMs - full.FirstTickMs) / 86_400_000.0;
        var figures = new BenchFigures("replay")
            .Set("replay.ticks", full.Ticks)
            .Set("replay.passes", passes)
            .Set("replay.engine_ticks_per_second", engine[0][engine[0].Count / 2])
            .Set("replay.engine_with_account_ticks_per_second", engine[1][engine[1].Count / 2])
            .Set("replay.ticks_per_second", overall[0][overall[0].Count / 2])
            .Set("replay.with_account_ticks_per_second", overall[1][overall[1].Count / 2])
            .Set("replay.guard_us_per_m5_close", closes[closes.Count / 2])
            .Set("replay.signals", full.Engine.Raised)
            .Note("replay.data", $"{files.Count} files of {string.Join(", ", files.Select(f => f.Symbol).Distinct())}");
        var text = string.Create(CultureInfo.InvariantCulture,
            $"bench replay: {full.Ticks:N0} real ticks ({files.Select(f => f.Symbol).Distinct().Count()} symbols, {files.Count} files, {days:F1} days) × {passes} passes, kernel on one thread, streamed from the files read ahead on another\n" +
            $"  kernel + Elite Guard + outcome tracker, no account: median {Median(engine[0])} ticks/s (min {engine[0][0]:N0}, max {engine[0][^1]:N0}); {Median(overall[0])} ticks/s with reading the files\n" +
            $"  + desk + paper broker for the backtest's account:  median {Median(engine[1])} ticks/s (min {engine[1][0]:N0}, max {engine[1][^1]:N0}); {Median(overall[1])} ticks/s with reading the files\n" +
            $"  Elite Guard per M5 close (six detectors + CITADEL + tuner + gates + SL/TP): median {closes[closes.Count / 2]:F1} µs\n" +
            $"  {full.Engine.Raised} signals raised, {resolved} resolved per pass; account: {account.Fires} fires, {account.Fills} fills, balance {account.StartBalance:N2} -> {account.EndBalance:N2}");
        return (text, figures);
    }

    private static string Median(List<double> sorted) => sorted[sorted.Count / 2].ToString("N0", CultureInfo.InvariantCulture);

    private sealed class Count : IOutcomeSink
    {
        public long Resolved { get; private set; }

        public void OnResolved(in SignalOutcome outcome) => Resolved++;
    }
}
