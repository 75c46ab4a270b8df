using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Bitten.Bench;
using Bitten.Cli.Printing;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Bitten.Cli.Commands;

/// <summary><c>bitten bench ingest</c>: end-to-end ingest throughput and latency, with the pyzmq baseline in the same run.</summary>
public sealed class BenchIngestCommand : AsyncCommand<BenchIngestCommand.Options>
{
    public sealed class Options : CommandSettings
    {
        [CommandOption("--ticks <N>")]
        [Description("Ticks per relay for throughput (at least 1000).")]
        [DefaultValue(1_000_000L)]
        public long Ticks { get; init; } = 1_000_000;

        [CommandOption("--paced <N>")]
        [Description("Paced ticks for latency (at least 10).")]
        [DefaultValue(5000)]
        public int Paced { get; init; } = 5000;

        [CommandOption("--runs <N>")]
        [Description("Interleaved runs; the medians are reported.")]
        [DefaultValue(3)]
        public int Runs { get; init; } = 3;

        [CommandOption("--no-baseline")]
        [Description("Without the pyzmq relays.")]
        public bool NoBaseline { get; init; }

        [CommandOption("--json <FILE>")]
        [Description("The figures (ingest.ticks_per_second, ingest.ceiling_per_second, ingest.of_ceiling, …) and every run as JSON.")]
        public string? Json { get; init; }

        [CommandOption("--no-ceiling")]
        [Description("Without the C libzmq relay of ../shared/limits (zmq_relay.c).")]
        public bool NoCeiling { get; init; }

        public override ValidationResult Validate() => Ticks < 1000 || Paced < 10 || Runs < 1
            ? ValidationResult.Error("--ticks must be at least 1000, --paced at least 10, --runs at least 1")
            : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Options settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var (count, paced, noBaseline, jsonPath, runs) = (settings.Ticks, settings.Paced, settings.NoBaseline, settings.Json, settings.Runs);
        if (count < 1000 || paced < 10 || runs < 1)
        {
            throw new UsageException("--ticks must be at least 1000, --paced at least 10, --runs at least 1");
        }

        Console.WriteLine($"bench ingest: {count:N0} real ticks (bundled EURUSD + XAUUSD, cycled) PUSHed into each relay on loopback, received on a SUB; " +
            $"then {paced:N0} paced ticks for latency. {Environment.ProcessorCount} cores, .NET {Environment.Version}.");
        var frames = IngestBenchmark.RealTickFrames(Path.Combine(AppContext.BaseDirectory, "demo", "ticks"));
        var script = Path.Combine(AppContext.BaseDirectory, "bench", "pyzmq_relay.py");
        var results = new List<IngestResult>();
        var ceilings = new List<CeilingRun>();
        for (var run = 1; run <= runs; run++)
        {
            // Interleaved, so a slow spell of this shared machine hits every relay alike.
            Console.WriteLine($"run {run} of {runs}");
            var ours = await IngestBenchmark.RunBittenAsync(frames, count, paced);
            results.Add(ours);
            Console.WriteLine("  " + IngestBenchmark.Format(ours));
            if (!settings.NoCeiling)
            {
                // The machine's own limit for this path, right after ours: a C relay that only copies bytes.
                var ceiling = Ceilings.ZmqRelay(count);
                ceilings.Add(ceiling);
                Console.WriteLine(ceiling.PerSecond > 0
                    ? string.Create(CultureInfo.InvariantCulture, $"  C libzmq relay (zmq_relay.c)  {ceiling.PerSecond,12:N0} frames/s  BITTEN at {ours.TicksPerSecond / ceiling.PerSecond:P0} of it")
                    : $"  C libzmq relay not run: {ceiling.Why}");
            }
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

        var figures = IngestFigures(results, ceilings, settings.NoCeiling);
        if (figures.Values.TryGetValue("ingest.of_ceiling", out var ofCeiling))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  against the C libzmq relay, run by run: BITTEN at {ofCeiling:P0} (median {figures.Values["ingest.ceiling_per_second"]:N0} frames/s)"));
        }

        if (jsonPath is not null)
        {
            await figures.WriteAsync(jsonPath, TimeProvider.System, new { ticks = count, paced, runs, results, ceilings = ceilings.Select(c => new { c.PerSecond, c.Why }) },
                cancellationToken);
        }

        return results.All(r => r.Lossless) && bitten.All(r => r.Identical) ? 0 : 1;
    }

    /// <summary>The medians under stable names; ratios taken run by run (same minute), then their median.</summary>
    private static BenchFigures IngestFigures(List<IngestResult> results, List<CeilingRun> ceilings, bool noCeiling)
    {
        var figures = new BenchFigures("ingest");
        var ours = results.Where(r => r.Relay.StartsWith("BITTEN", StringComparison.Ordinal)).ToList();
        figures.Set("ingest.ticks_per_second", Median(ours, r => r.TicksPerSecond))
            .Set("ingest.latency_p50_us", Median(ours, r => r.LatencyP50Microseconds))
            .Set("ingest.latency_p99_us", Median(ours, r => r.LatencyP99Microseconds))
            .Set("ingest.bridge_cpu_us_per_tick", Median(ours, r => r.BridgeCpuMicrosecondsPerTick))
            .Set("ingest.kernel_cpu_us_per_tick", Median(ours, r => r.KernelCpuMicrosecondsPerTick))
            .Set("ingest.runs", ours.Count);
        foreach (var group in results.Where(r => !r.Relay.StartsWith("BITTEN", StringComparison.Ordinal)).GroupBy(r => r.Relay))
        {
            var name = group.Key.Contains("json", StringComparison.OrdinalIgnoreCase) ? "pyzmq_json" : "pyzmq_raw";
            figures.Set($"ingest.{name}_per_second", Median(group.ToList(), r => r.TicksPerSecond));
        }

        var measured = ceilings.Select((c, i) => (Ceiling: c, Ours: ours[i])).Where(p => p.Ceiling.PerSecond > 0).ToList();
        if (measured.Count > 0)
        {
            figures.Set("ingest.ceiling_per_second", Median(measured, p => p.Ceiling.PerSecond))
                .Set("ingest.of_ceiling", Median(measured, p => p.Ours.TicksPerSecond / p.Ceiling.PerSecond));
        }
        else
        {
            figures.Note("ingest.ceiling", noCeiling ? "not asked for (--no-ceiling)" : ceilings.FirstOrDefault()?.Why ?? "not run");
        }

        return figures;
    }

    private static double Median<T>(IReadOnlyList<T> items, Func<T, double> value) => Medians.Of(items.Select(value));
}

/// <summary><c>bitten bench replay</c>: single-thread replay of recorded ticks through the signal engine.</summary>
public sealed class BenchReplayCommand : Command<BenchReplayCommand.Options>
{
    public sealed class Options : CommandSettings
    {
        [CommandOption("--ticks <PATH>")]
        [Description("Tick files or a folder (default: the bundled ticks).")]
        public string? Ticks { get; init; }

        [CommandOption("--passes <N>")]
        [DefaultValue(5)]
        public int Passes { get; init; } = 5;

        [CommandOption("--json <FILE>")]
        [Description("The figures under stable names (replay.ticks_per_second, replay.engine_ticks_per_second, …) as JSON.")]
        public string? Json { get; init; }
    }

    public override int Execute(CommandContext context, Options settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var path = settings.Ticks ?? Path.Combine(AppContext.BaseDirectory, "demo", "ticks");
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new UsageException($"no such tick file or folder: {path}");
        }

        var (text, figures) = ReplayBenchmark.Run(path, Math.Max(1, settings.Passes));
        Console.WriteLine(text);
        if (settings.Json is { } json)
        {
            File.WriteAllText(json, figures.ToJson(TimeProvider.System));
            Console.Error.WriteLine($"bench replay: wrote {json}");
        }

        return 0;
    }
}

/// <summary><c>bitten bench fire</c>: one signal fanned out to N AUTO users' EAs, and the confirmation round trip.</summary>
public sealed class BenchFireCommand : AsyncCommand<BenchFireCommand.Options>
{
    public sealed class Options : CommandSettings
    {
        [CommandOption("--users <N>")]
        [DefaultValue(1000)]
        public int Users { get; init; } = 1000;

        [CommandOption("--signals <N>")]
        [DefaultValue(10)]
        public int Signals { get; init; } = 10;

        [CommandOption("--postgres <CONNECTION>")]
        [Description("Store on this PostgreSQL server (a schema of the run's own, dropped after) instead of a temporary SQLite file.")]
        public string? Postgres { get; init; }

        [CommandOption("--desk-only")]
        [Description("Only the desk alone (users in memory, no sockets, no store), five runs: quick to repeat while tuning the desk.")]
        public bool DeskOnly { get; init; }

        [CommandOption("--json <FILE>")]
        [Description("The figures under stable names (fire.p99_ms, confirm.p99_ms, commit.p99_ms, …) as JSON.")]
        public string? Json { get; init; }

        // 15 open positions is the cap for the bench accounts' balance band; every confirmed signal opens one per user.
        public override ValidationResult Validate() => Users is < 1 or > 20_000 || Signals is < 1 or > 14
            ? ValidationResult.Error("--users must be 1-20000 and --signals 1-14")
            : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Options settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.DeskOnly)
        {
            Console.WriteLine(FireBenchmark.DeskOnly(settings.Users));
            return 0;
        }

        var (text, figures) = await FireBenchmark.RunAsync(settings.Users, settings.Signals, settings.Postgres);
        Console.WriteLine(text);
        if (settings.Json is { } path)
        {
            await figures.WriteAsync(path, TimeProvider.System, cancellationToken: cancellationToken);
        }

        return 0;
    }
}

/// <summary><c>bitten bench events</c>: event log throughput on SQLite, and on PostgreSQL when a connection is given.</summary>
public sealed class BenchEventsCommand : Command<BenchEventsCommand.Options>
{
    public sealed class Options : CommandSettings
    {
        [CommandOption("--events <N>")]
        [DefaultValue(200_000)]
        public int Events { get; init; } = 200_000;

        [CommandOption("--postgres <CONNECTION>")]
        [Description("A PostgreSQL connection string (or BITTEN_TEST_PG).")]
        public string? Postgres { get; init; }

        [CommandOption("--json <FILE>")]
        [Description("The figures (events.per_second, events.bytes_per_event, events.of_ceiling, …) as JSON.")]
        public string? Json { get; init; }

        public override ValidationResult Validate() => Events < 1000
            ? ValidationResult.Error("--events must be at least 1000")
            : ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Options settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var pg = settings.Postgres ?? Environment.GetEnvironmentVariable("BITTEN_TEST_PG");
        Console.WriteLine($"bench events: {settings.Events:N0} events, {EventLogBenchmark.MixDescription}.");
        var figures = new BenchFigures("events");
        var sqlite = EventLogBenchmark.Run("sqlite", null, settings.Events);
        // The ceilings right after ours, in the same process run: this machine drifts 2x from minute to minute.
        var ceiling = Ceilings.SqliteEvents(settings.Events, checkpointsOff: false);
        var ceilingOff = Ceilings.SqliteEvents(settings.Events, checkpointsOff: true);
        figures.Set("events.per_second", sqlite.PerSecond).Set("events.bytes_per_event", sqlite.BytesPerEvent)
            .Against("events", sqlite.PerSecond, ceiling);
        if (ceilingOff is { PerSecond: > 0 })
        {
            figures.Set("events.ceiling_checkpoints_off_per_second", ceilingOff.PerSecond);
        }

        Console.Write(sqlite.Text);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  ceiling         {Ratio(sqlite.PerSecond, ceiling)} of sqlite_events.c with default checkpoints; " +
            $"{Ratio(sqlite.PerSecond, ceilingOff)} of it with checkpoints off the write path; its size {ceiling.BytesPerEvent?.ToString("F1", CultureInfo.InvariantCulture) ?? "-"} bytes/event"));
        Console.WriteLine();
        if (!string.IsNullOrWhiteSpace(pg))
        {
            var postgres = EventLogBenchmark.Run("postgres", pg, settings.Events);
            figures.Set("events.postgres.per_second", postgres.PerSecond).Set("events.postgres.bytes_per_event", postgres.BytesPerEvent);
            Console.WriteLine(postgres.Text);
        }

        if (settings.Json is { } path)
        {
            File.WriteAllText(path, figures.ToJson(TimeProvider.System, new { mix = EventLogBenchmark.MixDescription, events = settings.Events,
                ceiling = ceiling.Output, ceiling_checkpoints_off = ceilingOff.Output }));
        }

        return 0;
    }

    private static string Ratio(double ours, CeilingRun ceiling) => ceiling is { PerSecond: > 0 }
        ? $"{ours / ceiling.PerSecond:P0} ({ceiling.PerSecond:N0} events/s)"
        : $"- ({ceiling.Why})";
}
