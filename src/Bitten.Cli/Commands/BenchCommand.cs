using System.Globalization;
using System.Text.Json;
using Bitten.Cli.Bench;
using Bitten.Cli.Hosting;

namespace Bitten.Cli.Commands;

/// <summary><c>bitten bench ingest</c>: end-to-end ingest throughput and latency, with the pyzmq baseline in the same run.</summary>
public static class BenchCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var commandLine = new CommandLine(args, "no-baseline");
        if (commandLine.Words.Count != 1 || commandLine.Words[0] != "ingest")
        {
            throw new UsageException("usage: bitten bench ingest [--ticks N] [--paced N] [--no-baseline] [--json out.json]");
        }

        var count = long.Parse(commandLine.Value("ticks") ?? "1000000", CultureInfo.InvariantCulture);
        var paced = int.Parse(commandLine.Value("paced") ?? "5000", CultureInfo.InvariantCulture);
        var noBaseline = commandLine.Has("no-baseline");
        var jsonPath = commandLine.Value("json");
        commandLine.RejectUnknown();
        if (count < 1000 || paced < 10)
        {
            throw new UsageException("--ticks must be at least 1000 and --paced at least 10");
        }

        Console.WriteLine($"bench ingest: {count:N0} real ticks (bundled EURUSD + XAUUSD, cycled) PUSHed into each relay on loopback, received on a SUB; " +
            $"then {paced:N0} paced ticks for latency. {Environment.ProcessorCount} cores, .NET {Environment.Version}.");
        var frames = IngestBenchmark.RealTickFrames(Path.Combine(AppContext.BaseDirectory, "demo", "ticks"));
        var results = new List<IngestResult>();
        var ours = await IngestBenchmark.RunBittenAsync(frames, count, paced);
        results.Add(ours);
        Console.WriteLine(IngestBenchmark.Format(ours));
        if (!noBaseline)
        {
            var script = Path.Combine(AppContext.BaseDirectory, "bench", "pyzmq_relay.py");
            foreach (var mode in new[] { "raw", "json" })
            {
                var baseline = IngestBenchmark.RunPython(script, mode, frames, count, paced);
                results.Add(baseline);
                Console.WriteLine(IngestBenchmark.Format(baseline));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  BITTEN / pyzmq ({mode}): throughput {ours.TicksPerSecond / baseline.TicksPerSecond:F1}x, p50 latency {baseline.LatencyP50Microseconds / ours.LatencyP50Microseconds:F1}x lower"));
            }
        }

        if (jsonPath is not null)
        {
            await File.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
        }

        return results.All(r => r.Lossless) && ours.Identical ? 0 : 1;
    }
}
