using System.ComponentModel;
using System.Globalization;
using Bitten.Bench;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Bitten.Cli.Commands;

/// <summary><c>bitten bench soak</c>: the whole server under steady load for minutes; memory and live state sampled, flat or growing.</summary>
public sealed class BenchSoakCommand : AsyncCommand<BenchSoakCommand.Options>
{
    public sealed class Options : CommandSettings
    {
        [CommandOption("--minutes <N>")]
        [DefaultValue(10)]
        public int Minutes { get; init; } = 10;

        [CommandOption("--users <N>")]
        [DefaultValue(1000)]
        public int Users { get; init; } = 1000;

        [CommandOption("--symbols <N>")]
        [DefaultValue(16)]
        public int Symbols { get; init; } = 16;

        [CommandOption("--ticks-per-second <N>")]
        [DefaultValue(10_000)]
        public int TicksPerSecond { get; init; } = 10_000;

        [CommandOption("--fires-per-second <N>")]
        [Description("Fires a signal (one a second) should make: users are spread over confidence bands of that many.")]
        [DefaultValue(100)]
        public int FiresPerSecond { get; init; } = 100;

        [CommandOption("--sample-seconds <N>")]
        [DefaultValue(10)]
        public int SampleSeconds { get; init; } = 10;

        [CommandOption("--hold-ms <MS>")]
        [Description("How long the simulated EAs hold each position before closing it.")]
        [DefaultValue(2000)]
        public int HoldMs { get; init; } = 2000;

        [CommandOption("--signal-expiry-seconds <S>")]
        [Description("How long each injected signal (and every user's mission on it) stays open; Elite Guard's RAPID signals take 1800.")]
        [DefaultValue(60)]
        public int SignalExpirySeconds { get; init; } = 60;

        [CommandOption("--set <SECTION:KEY=VALUE>")]
        [Description("A server setting for this run, as `bitten run --Section:Key=value` takes it (repeatable), e.g. Checkpoint:IntervalMilliseconds=60000.")]
        public string[] Set { get; init; } = [];

        [CommandOption("--ticks <PATH>")]
        [Description("Recorded ticks (default: ../shared/data/ticks/oanda-* beside the checkout, else the bundled demo ticks).")]
        public string? Ticks { get; init; }

        [CommandOption("--json <FILE>")]
        [Description("The figures (soak.rss_end_mb, soak.fires_per_second, …), the verdict and every sample as JSON.")]
        public string? Json { get; init; }

        public override ValidationResult Validate() =>
            Minutes is < 1 or > 24 * 60 || Users is < 1 or > 20_000 || Symbols is < 1 or > 64 || TicksPerSecond is < 1 or > 1_000_000
            || FiresPerSecond < 1 || SampleSeconds is < 1 or > 3600 || HoldMs is < 1 or > 60_000 || SignalExpirySeconds is < 5 or > 86_400
                ? ValidationResult.Error("--minutes 1-1440, --users 1-20000, --symbols 1-64, --ticks-per-second 1-1000000, --fires-per-second at least 1, --sample-seconds 1-3600, --hold-ms 1-60000, --signal-expiry-seconds 5-86400")
                : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Options settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var ticks = settings.Ticks ?? DefaultTicks();
        var options = new SoakOptions(settings.Minutes, settings.Users, settings.Symbols, settings.TicksPerSecond, settings.FiresPerSecond,
            settings.SampleSeconds, ticks, settings.HoldMs, settings.SignalExpirySeconds, settings.Set);
        if (Console.IsOutputRedirected)
        {
            // A row per sample: not wrapped at the 80 columns Spectre assumes without a terminal.
            AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 200);
        }

        AnsiConsole.WriteLine($"bench soak: {settings.Minutes} min, sampled every {settings.SampleSeconds} s; {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        SoakSample? previous = null;
        var report = await SoakBenchmark.RunAsync(options, line => AnsiConsole.WriteLine("  " + line), (sample, n, of) =>
        {
            if (n == 1)
            {
                AnsiConsole.MarkupLine("[bold]" + Markup.Escape(Header) + "[/]");
            }

            AnsiConsole.WriteLine(Line(sample, previous, n, of));
            previous = sample;
        }, cancellationToken);
        AnsiConsole.WriteLine(report.Text);
        if (settings.Json is { } path)
        {
            await report.Figures.WriteAsync(path, TimeProvider.System, new { options, verdict = report.Verdict, samples = report.Samples }, cancellationToken);
        }

        return report.Verdict.Outcome == SoakOutcome.Growing ? 1 : 0;
    }

    private const string Header =
        "  sample     s  RSS MB  heap MB  gen0 gen1 gen2  missions  fires live/ended  pos  open sig  history  ev queue  ckpt Mch   ticks/s  fires/s  fills/s";

    /// <summary>One sample as a table row; rates since the previous sample.</summary>
    public static string Line(SoakSample s, SoakSample? previous, int n, int of)
    {
        ArgumentNullException.ThrowIfNull(s);
        var span = s.Seconds - (previous?.Seconds ?? 0);
        double Rate(long now, long? before) => span > 0 ? (now - (before ?? 0)) / span : 0;
        return string.Create(CultureInfo.InvariantCulture,
            $"  {$"{n}/{of}",6} {s.Seconds,5:F0} {s.RssMb,7:F1} {s.GcHeapMb,8:F1} {s.Gen0,5} {s.Gen1,4} {s.Gen2,4} {s.MissionsHeld,9} {s.LiveFires,7}/{s.EndedFireIds,-8} {s.OpenPositions,4} {s.OpenSignals,9} {s.HistoryLength,8} {s.EventQueueDepth,9} {s.CheckpointMb,9:F1} {Rate(s.TicksIn, previous?.TicksIn),9:N0} {Rate(s.FiresSent, previous?.FiresSent),8:F1} {Rate(s.Confirmations, previous?.Confirmations),8:F1}");
    }

    private static string DefaultTicks()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "data", "ticks");
                if (Directory.Exists(Path.Combine(candidate, "oanda-fx")))
                {
                    // OANDA's FX and gold: UTC times, the same days (the FXCM copies are UTC-5 and the same markets).
                    return Path.Combine(candidate, "oanda-fx") is var fx && Directory.Exists(Path.Combine(candidate, "oanda-cfd"))
                        ? string.Join(Path.PathSeparator, fx, Path.Combine(candidate, "oanda-cfd"))
                        : fx;
                }
            }
        }

        return Path.Combine(AppContext.BaseDirectory, "demo", "ticks");
    }
}
