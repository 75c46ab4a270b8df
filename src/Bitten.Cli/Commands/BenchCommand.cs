using System.ComponentModel;
using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Bitten.Cli.Bench;
using Bitten.Cli.Hosting;

namespace Bitten.Cli.Commands;

/// <summary><c>bitten bench ingest</c>: end-to-end ingest throughput and latency, with the pyzmq baseline in the same run.</summary>
public static class BenchCommand
{
    /// <summary>
    /// Runs a bench; what goes wrong outside our code (a missing tick folder, python3-zmq not installed, an unreachable
    /// PostgreSQL, a bench that times out) is reported as one sentence with exit code 2, not a stack trace.
    /// </summary>
    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            return await RunBenchAsync(args);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or DbException
            or Win32Exception or TimeoutException or ArgumentException)
        {
            // An ArgumentException's message ends in " (Parameter 'name')", which says nothing to whoever typed the command.
            var message = e is ArgumentException { ParamName: { } name } ? e.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal) : e.Message;
            throw new UsageException($"bench {string.Join(' ', args.TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)))}: {message}");
        }
    }

    private static async Task<int> RunBenchAsync(string[] args)
    {
        var commandLine = new CommandLine(args, "no-baseline");
        if (commandLine.Words is ["replay"])
        {
            var passes = Number(commandLine, "passes", 5);
            var path = commandLine.Value("ticks") ?? Path.Combine(AppContext.BaseDirectory, "demo", "ticks");
            commandLine.RejectUnknown();
            Console.WriteLine(ReplayBenchmark.Run(path, Math.Max(1, passes)));
            return 0;
        }

        if (commandLine.Words is ["events"])
        {
            var events = Number(commandLine, "events", 200_000);
            var pg = commandLine.Value("postgres") ?? Environment.GetEnvironmentVariable("BITTEN_TEST_PG");
            commandLine.RejectUnknown();
            if (events < 1000)
            {
                throw new UsageException("--events must be at least 1000");
            }

            Console.WriteLine(EventLogBenchmark.Run("sqlite", null, events));
            if (!string.IsNullOrWhiteSpace(pg))
            {
                Console.WriteLine(EventLogBenchmark.Run("postgres", pg, events));
            }

            return 0;
        }

        if (commandLine.Words is ["fire"])
        {
            var users = Number(commandLine, "users", 1000);
            var signals = Number(commandLine, "signals", 10);
            commandLine.RejectUnknown();
            if (users is < 1 or > 5000 || signals is < 1 or > 14)
            {
                // 15 open positions is the cap for the bench accounts' balance band; every signal opens one per user.
                throw new UsageException("--users must be 1-5000 and --signals 1-14");
            }

            Console.WriteLine(await FireBenchmark.RunAsync(users, signals));
            return 0;
        }

        if (commandLine.Words.Count != 1 || commandLine.Words[0] != "ingest")
        {
            throw new UsageException("usage: bitten bench ingest [--ticks N] [--paced N] [--runs N] [--no-baseline] [--json out.json] | bitten bench replay [--ticks PATH] [--passes N] | bitten bench fire [--users N] [--signals N] | bitten bench events [--events N] [--postgres CONNECTION]");
        }

        var count = Number(commandLine, "ticks", 1_000_000);
        var paced = Number(commandLine, "paced", 5000);
        var noBaseline = commandLine.Has("no-baseline");
        var jsonPath = commandLine.Value("json");
        var runs = Number(commandLine, "runs", 3);
        commandLine.RejectUnknown();
        if (count < 1000 || paced < 10 || runs < 1)
        {
            throw new UsageException("--ticks must be at least 1000, --paced at least 10, --runs at least 1");
        }

        Console.WriteLine($"bench ingest: {count:N0} real ticks (bundled EURUSD + XAUUSD, cycled) PUSHed into each relay on loopback, received on a SUB; " +
            $"then {paced:N0} paced ticks for latency. {Environment.ProcessorCount} cores, .NET {Environment.Version}.");
        var frames = IngestBenchmark.RealTickFrames(Path.Combine(AppContext.BaseDirectory, "demo", "ticks"));
        var script = Path.Combine(AppContext.BaseDirectory, "bench", "pyzmq_relay.py");
        var results = new List<IngestResult>();
        for (var run = 1; run <= runs; run++)
        {
            // Interleaved, so a slow spell of this shared machine hits every relay alike.
            Console.WriteLine($"run {run} of {runs}");
            var ours = await IngestBenchmark.RunBittenAsync(frames, count, paced);
            results.Add(ours);
            Console.WriteLine("  " + IngestBenchmark.Format(ours));
            if (!noBaseline)
            {
                foreach (var mode in new[] { "raw", "json" })
                {
                    var baseline = IngestBenchmark.RunPython(script, mode, frames, count, paced);
                    results.Add(baseline);
                    Console.WriteLine("  " + IngestBenchmark.Format(baseline));
                }
            }
        }

        Console.WriteLine($"median of {runs} run(s):");
        var bitten = results.Where(r => r.Relay.StartsWith("BITTEN", StringComparison.Ordinal)).ToList();
        foreach (var group in results.GroupBy(r => r.Relay))
        {
            var list = group.ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {group.Key,-24} {Median(list, r => r.TicksPerSecond),12:N0} ticks/s  latency p50 {Median(list, r => r.LatencyP50Microseconds),7:F1} µs  p99 {Median(list, r => r.LatencyP99Microseconds),8:F1} µs"));
            if (group.Key.StartsWith("BITTEN", StringComparison.Ordinal))
            {
                var cpu = Median(list, r => r.BridgeCpuMicrosecondsPerTick);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"    CPU per tick: bridge thread {cpu:F2} µs (≈ {1e6 / cpu:N0} ticks/s on a core of its own), kernel thread {Median(list, r => r.KernelCpuMicrosecondsPerTick):F2} µs"));
            }

            if (!group.Key.StartsWith("BITTEN", StringComparison.Ordinal))
            {
                // Ratios per run (same conditions), then their median.
                var ratios = list.Select((r, i) => bitten[i].TicksPerSecond / r.TicksPerSecond).ToList();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"    BITTEN / {group.Key}: throughput {Median(ratios, x => x):F1}x"));
            }
        }

        if (jsonPath is not null)
        {
            await File.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
        }

        return results.All(r => r.Lossless) && bitten.All(r => r.Identical) ? 0 : 1;
    }

    private static int Number(CommandLine commandLine, string flag, int fallback)
    {
        var text = commandLine.Value(flag);
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new UsageException($"--{flag} must be a whole number, not '{text}'");
    }

    private static double Median<T>(IReadOnlyList<T> items, Func<T, double> value)
    {
        var sorted = items.Select(value).Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
