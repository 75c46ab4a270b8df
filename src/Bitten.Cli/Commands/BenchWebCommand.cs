using System.ComponentModel;
using System.Globalization;
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
            await Figures(results).WriteAsync(path, TimeProvider.System, new { connections = settings.Connections, seconds = settings.Seconds, runs = results }, cancellationToken);
        }

        return results.All(r => r.Errors == 0 && r.Non2xx == 0) ? 0 : 1;
    }

    /// <summary>
    /// Medians under stable names: web.{target}.requests_per_second / p50_ms / p99_ms, the bare endpoint as
    /// web.ceiling_per_second, and each BITTEN target's share of it (per run, then the median) as web.{target}.of_ceiling.
    /// </summary>
    private static BenchFigures Figures(IReadOnlyList<WebResult> results)
    {
        var figures = new BenchFigures("web");
        var ceiling = results.Where(r => r.Target.StartsWith("bare", StringComparison.Ordinal)).Select(r => r.RequestsPerSecond).ToList();
        if (ceiling.Count > 0)
        {
            figures.Set("web.ceiling_per_second", Median(ceiling));
        }
        else
        {
            figures.Note("web.ceiling", "the bare Kestrel endpoint of ../shared/limits/kestrel was not run");
        }

        foreach (var group in results.Where(r => !r.Target.StartsWith("bare", StringComparison.Ordinal)).GroupBy(r => r.Target))
        {
            var name = "web." + TargetName(group.Key);
            var list = group.ToList();
            figures.Set(name + ".requests_per_second", Median(list.Select(r => r.RequestsPerSecond)))
                .Set(name + ".p50_ms", Median(list.Select(r => r.LatencyP50Ms)))
                .Set(name + ".p99_ms", Median(list.Select(r => r.LatencyP99Ms)))
                .Set(name + ".errors", list.Sum(r => r.Errors + r.Non2xx));
            if (ceiling.Count == list.Count)
            {
                figures.Set(name + ".of_ceiling", Median(list.Select((r, i) => r.RequestsPerSecond / ceiling[i])));
            }
        }

        return figures;
    }

    /// <summary>"BITTEN /api/pattern-analytics" → "pattern_analytics", "BITTEN /healthz" → "healthz", "BITTEN HUD page" → "hud_page".</summary>
    internal static string TargetName(string target)
    {
        var slash = target.IndexOf('/', StringComparison.Ordinal);
        var path = slash >= 0 ? target[(slash + 1)..] : target.Replace("BITTEN ", "", StringComparison.Ordinal);
        var words = new System.Text.StringBuilder();
        foreach (var c in path.Replace("api/", "", StringComparison.Ordinal))
        {
            words.Append(char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '_');
        }

        return words.ToString().Trim('_');
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
