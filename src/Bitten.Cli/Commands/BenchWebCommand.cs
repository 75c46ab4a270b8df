using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Bitten.Bench;
using Bitten.Cli.Printing;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Bitten.Cli.Commands;

/// <summary><c>bitten bench web</c>: wrk against /healthz, the analytics and a HUD page, beside bare Kestrel in the same run.</summary>
public sealed class BenchWebCommand : AsyncCommand<BenchWebCommand.Options>
{
    public sealed class Options : CommandSettings
    {
        [CommandOption("--connections <N>")]
        [Description("Concurrent connections wrk keeps open.")]
        [DefaultValue(1000)]
        public int Connections { get; init; } = 1000;

        [CommandOption("--seconds <N>")]
        [Description("Seconds per wrk run.")]
        [DefaultValue(8)]
        public int Seconds { get; init; } = 8;

        [CommandOption("--runs <N>")]
        [Description("Interleaved runs; the medians are reported.")]
        [DefaultValue(3)]
        public int Runs { get; init; } = 3;

        [CommandOption("--signals <N>")]
        [Description("Signals injected first, so the analytics have something to count.")]
        [DefaultValue(600)]
        public int Signals { get; init; } = 600;

        [CommandOption("--kestrel <DIR>")]
        [Description("The bare Kestrel project (default: ../shared/limits/kestrel beside the checkout).")]
        public string? Kestrel { get; init; }

        [CommandOption("--json <FILE>")]
        [Description("Every run's figures as JSON.")]
        public string? Json { get; init; }

        public override ValidationResult Validate() => Connections < 1 || Seconds < 1 || Runs < 1 || Signals < 0
            ? ValidationResult.Error("--connections, --seconds and --runs must be at least 1, --signals at least 0")
            : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Options settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var kestrel = settings.Kestrel ?? DefaultKestrel();
        if (settings.Kestrel is not null && !File.Exists(Path.Combine(kestrel!, "Program.cs")))
        {
            throw new UsageException($"no bare Kestrel project in {settings.Kestrel}");
        }

        Console.WriteLine($"bench web: {Environment.ProcessorCount} cores, .NET {Environment.Version}.");
        var results = await WebBenchmark.RunAsync(kestrel, settings.Connections, settings.Seconds, settings.Runs, settings.Signals, Console.Out, cancellationToken);
        Console.WriteLine($"median of {settings.Runs} run(s):");
        var ceiling = results.Where(r => r.Target.StartsWith("bare", StringComparison.Ordinal)).Select(r => r.RequestsPerSecond).ToList();
        foreach (var group in results.GroupBy(r => r.Target))
        {
            var list = group.ToList();
            var line = string.Create(CultureInfo.InvariantCulture,
                $"  {group.Key,-32} {Median(list.Select(r => r.RequestsPerSecond)),10:N0} req/s  p50 {Median(list.Select(r => r.LatencyP50Ms)),7:F2} ms  p99 {Median(list.Select(r => r.LatencyP99Ms)),7:F2} ms");
            if (ceiling.Count == list.Count && !group.Key.StartsWith("bare", StringComparison.Ordinal))
            {
                // Per run (same minute, same machine), then the median of the ratios.
                line += string.Create(CultureInfo.InvariantCulture, $"  = {Median(list.Select((r, i) => r.RequestsPerSecond / ceiling[i])) * 100,5:F1} % of bare Kestrel");
            }

            Console.WriteLine(line);
        }

        if (settings.Json is { } path)
        {
            await File.WriteAllTextAsync(path, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }), cancellationToken);
        }

        return results.All(r => r.Errors == 0 && r.Non2xx == 0) ? 0 : 1;
    }

    private static string? DefaultKestrel()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "limits", "kestrel");
                if (File.Exists(Path.Combine(candidate, "Program.cs")))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static double Median(IEnumerable<double> values) => Medians.Of(values);
}
