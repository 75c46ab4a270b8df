using System.Diagnostics;
using System.Globalization;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Domain.Users;
using Bitten.Engine.Execution;
using Bitten.Engine.Kernel;
using Bitten.Engine.Signals;
using Bitten.Gateway.Execution;
using Bitten.Gateway.Market;
using Bitten.Host;
using Bitten.Host.Execution;
using Bitten.Persistence;
using Bitten.Simulation.Ea;
using Bitten.Simulation.Replay;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using EventLog = Bitten.Persistence.Events.EventLog;

namespace Bitten.Bench;

/// <summary>What a soak runs: for how long, how many AUTO users, the feed and the fire rate, how often it samples.</summary>
public sealed record SoakOptions(int Minutes, int Users, int Symbols, int TicksPerSecond, int FiresPerSecond, int SampleSeconds, string TicksPath,
    int HoldMs = 2_000, int SignalExpirySeconds = 60, IReadOnlyList<string>? HostSettings = null);

/// <summary>A soak's samples, verdict and figures.</summary>
public sealed record SoakReport(SoakOptions Options, IReadOnlyList<SoakSample> Samples, SoakResult Verdict, BenchFigures Figures, string Text);

/// <summary>
/// <c>bitten bench soak</c>: the whole server as <c>bitten run</c> composes it (every Server role, on a temp SQLite store
/// and random ports) under steady load for minutes: AUTO users spread over one-point confidence bands so each signal
/// fires about --fires-per-second of them, their EAs in processes of their own (<c>sim-ea --many</c>) confirming every
/// fire and closing each position after <see cref="SoakOptions.HoldMs"/> so slots free up, a feeder PUSHing real ticks
/// over --symbols symbols into the bridge, and a signal injected every second through the API's own path
/// (<see cref="Web.WebServices.InjectSignal"/> on the kernel thread). Every --sample-seconds it samples this process's
/// memory and the kernel's live state; <see cref="SoakVerdict"/> says whether they stayed flat.
/// </summary>
public static class SoakBenchmark
{
    private const double MiB = 1024 * 1024;

    public static async Task<SoakReport> RunAsync(SoakOptions options, Action<string> log, Action<SoakSample, int, int> onSample,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(onSample);
        var streams = TickFeeder.Load(options.TicksPath, options.Symbols);
        log(string.Create(CultureInfo.InvariantCulture,
            $"ticks: {streams.Count} symbols from {streams.Select(s => s.Source).Distinct().Count()} real recordings ({string.Join(", ", streams.Select(s => s.Source).Distinct())}), {streams.Sum(s => s.Bids.Length):N0} ticks cycled"));
        var folder = Directory.CreateTempSubdirectory("bitten-bench-soak-");
        try
        {
            return await RunAsync(options, streams, folder.FullName, log, onSample, cancellationToken);
        }
        finally
        {
            try
            {
                folder.Delete(recursive: true);
            }
            catch (IOException)
            {
                // The temp folder's to clean.
            }
        }
    }

    /// <summary>The confidence of the k-th band (one point wide, from 60): each signal in turn lands in one band.</summary>
    public static int BandConfidence(int band) => 60 + band;

    /// <summary>Bands so that a signal fires about <paramref name="firesPerSignal"/> users; at most 40 (60-99 %).</summary>
    public static int Bands(int users, int firesPerSignal) => Math.Clamp(users / Math.Max(1, firesPerSignal), 1, 40);

    private static async Task<SoakReport> RunAsync(SoakOptions options, IReadOnlyList<TickStreamData> streams, string folder, Action<string> log,
        Action<SoakSample, int, int> onSample, CancellationToken cancellationToken)
    {
        using var host = BittenHost.Build([
            $"--Storage:ConnectionString=Data Source={Path.Combine(folder, "bitten.db")}",
            "--Web:Port=0", "--Throne:Enabled=false", "--Zmq:MarketInPort=0", "--Zmq:MarketOutPort=0", "--Zmq:SignalPort=0",
            "--Zmq:CommandPort=0", "--Zmq:ConfirmPort=0", "--Zmq:EventPort=0", "--Zmq:EventInPort=0",
            "--Logging:LogLevel:Default=Warning", "--Web:RateLimit:PermitsPerMinute=0",
            .. (options.HostSettings ?? []).Select(s => "--" + s),
        ], HostRoles.Server, TextWriter.Null);

        // The users before the start, so the start loads them into the desk as it would a real store's.
        var store = host.Services.GetRequiredService<UserStore>();
        var bands = Bands(options.Users, options.FiresPerSecond);
        for (var i = 0; i < options.Users; i++)
        {
            var confidence = BandConfidence(i % bands);
            var (user, _) = store.Add(20_000 + i, Tier.Commander, Role.User, FireMode.Auto, EaSwarmOptions.Uuid("BENCH_EA_", i));
            store.Update(user.TelegramId, null, null, new AutoFireSettings(confidence, confidence, 10, 1m), null);
        }

        await BittenHost.StartAsync(host, cancellationToken);
        var services = host.Services;
        var kernel = services.GetRequiredService<TradingKernel>();
        var desk = services.GetRequiredService<ExecutionDesk>();
        var pipeline = services.GetRequiredService<SignalPipeline>();
        var history = services.GetRequiredService<SignalHistory>();
        var eventLog = services.GetRequiredService<EventLog>();
        var bridge = services.GetRequiredService<MarketBridge>();
        var gateway = services.GetRequiredService<EaGateway>();
        var web = services.GetRequiredService<Web.WebServices>();
        var checkpointer = services.GetRequiredService<Checkpointer>();
        var symbols = services.GetRequiredService<SymbolRegistry>();
        log(string.Create(CultureInfo.InvariantCulture,
            $"server up (every `bitten run` server role): {options.Users:N0} AUTO users in {bands} one-point bands ({BandConfidence(0)}-{BandConfidence(bands - 1)} %), ~{options.Users / bands} fires a signal"));

        var samples = new List<SoakSample>();
        using (var eas = new SwarmProcesses(options.Users, "127.0.0.1", gateway.CommandPort, gateway.ConfirmPort, confirmAfterEach: 0,
                   closeAfterMs: options.HoldMs, keepArrivals: false))
        {
            var waiting = Stopwatch.StartNew();
            while ((await kernel.AskAsync(() => desk.Counts)).EasAlive < options.Users)
            {
                eas.ThrowIfExited();
                if (waiting.Elapsed > TimeSpan.FromSeconds(120))
                {
                    throw new TimeoutException($"the soak's EAs did not all check in: {gateway.Stats.CheckIns} check-ins");
                }

                await Task.Delay(50, cancellationToken);
            }

            log(string.Create(CultureInfo.InvariantCulture,
                $"{options.Users:N0} EAs checked in ({Math.Ceiling(options.Users / (double)SwarmProcesses.PerProcess):N0} sim-ea process(es)); feeding {options.TicksPerSecond:N0} ticks/s, a signal a second expiring after {options.SignalExpirySeconds} s, for {options.Minutes} min"));
            using var feeder = new TickFeeder($"tcp://127.0.0.1:{bridge.MarketInPort}", streams, options.TicksPerSecond);
            var eurusd = symbols.GetOrAdd("EURUSD");
            var run = Stopwatch.StartNew();
            var total = TimeSpan.FromMinutes(options.Minutes);
            var sampleEvery = TimeSpan.FromSeconds(options.SampleSeconds);
            var expected = (int)(total / sampleEvery);
            var nextSignal = TimeSpan.FromSeconds(1);
            var nextSample = sampleEvery;
            var signal = 0;
            while (samples.Count < expected)
            {
                var wait = (nextSignal < nextSample ? nextSignal : nextSample) - run.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, cancellationToken);
                }

                if (run.Elapsed >= nextSignal)
                {
                    var raised = SoakSignal(signal, bands, eurusd, feeder.Quote(0), UnixMs.Now(TimeProvider.System), options.SignalExpirySeconds);
                    signal++;
                    await kernel.AskAsync(() => web.InjectSignal(raised));
                    nextSignal += TimeSpan.FromSeconds(1);
                }

                if (run.Elapsed >= nextSample)
                {
                    eas.ThrowIfExited();
                    var sample = await SampleAsync(run.Elapsed.TotalSeconds, kernel, desk, pipeline, history, eventLog, bridge, gateway, checkpointer);
                    samples.Add(sample);
                    onSample(sample, samples.Count, expected);
                    nextSample += sampleEvery;
                }
            }

            feeder.Stop();
            log(string.Create(CultureInfo.InvariantCulture, $"load stopped: {feeder.Sent:N0} ticks pushed, {signal} signals injected; bridge rejected {bridge.Stats.TotalRejected:N0}"));
        }

        var end = await kernel.AskAsync(() => desk.Counts);
        await host.StopAsync(CancellationToken.None);
        var verdict = SoakVerdict.Judge(samples);
        var figures = Figures(options, samples, verdict);
        var text = string.Create(CultureInfo.InvariantCulture,
            $"bench soak: {options.Minutes} min, {options.Users:N0} AUTO users, {options.Symbols} symbols\n" +
            $"  load: {figures.Values["soak.fires_per_second"]:F1} fires/s, {figures.Values["soak.ticks_per_second"]:N0} ticks/s into the bridge, {figures.Values["soak.confirmations_per_second"]:F1} fills/s\n" +
            $"  desk at the end: {end.FiresSent:N0} fires, {end.Filled:N0} filled, {end.Closed:N0} closed, {end.Refused:N0} refused, {end.Failed:N0} failed, {end.OpenPositions} open\n" +
            $"  RSS {figures.Values["soak.rss_start_mb"]:F0} → {figures.Values["soak.rss_end_mb"]:F0} MB (max {figures.Values["soak.rss_max_mb"]:F0}), GC heap {figures.Values["soak.gc_heap_start_mb"]:F0} → {figures.Values["soak.gc_heap_end_mb"]:F0} MB\n" +
            $"  verdict: {verdict.Reason}");
        return new SoakReport(options, samples, verdict, figures, text);
    }

    private static async Task<SoakSample> SampleAsync(double seconds, TradingKernel kernel, ExecutionDesk desk, SignalPipeline pipeline, SignalHistory history,
        EventLog eventLog, MarketBridge bridge, EaGateway gateway, Checkpointer checkpointer)
    {
        var (footprint, counts, open) = await kernel.AskAsync(() => (desk.Footprint, desk.Counts, pipeline.Tracker.OpenCount));
        var rss = Environment.WorkingSet / MiB;
        var heap = GC.GetGCMemoryInfo().HeapSizeBytes / MiB;
        return new SoakSample(Math.Round(seconds, 1), Math.Round(rss, 1), Math.Round(heap, 1), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2),
            footprint.Missions, footprint.LiveFires, footprint.EndedFireIds, footprint.Positions, open, history.Count, eventLog.QueueDepth,
            bridge.Stats.Received, counts.FiresSent, gateway.Stats.Fills, gateway.Stats.Closes, checkpointer.Checkpoints,
            Math.Round(checkpointer.LastChars / MiB, 2));
    }

    /// <summary>The soak.* figures: memory at the first and last sample and its max, the load's rates between them.</summary>
    public static BenchFigures Figures(SoakOptions options, IReadOnlyList<SoakSample> samples, SoakResult verdict)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(verdict);
        var figures = new BenchFigures("soak")
            .Set("soak.minutes", options.Minutes)
            .Set("soak.users", options.Users)
            .Set("soak.symbols", options.Symbols)
            .Set("soak.samples", samples.Count)
            .Note("soak.verdict", verdict.Reason);
        if (samples.Count == 0)
        {
            return figures;
        }

        var (first, last) = (samples[0], samples[^1]);
        var seconds = last.Seconds;
        return figures
            .Set("soak.rss_start_mb", first.RssMb)
            .Set("soak.rss_end_mb", last.RssMb)
            .Set("soak.rss_max_mb", samples.Max(s => s.RssMb))
            .Set("soak.gc_heap_start_mb", first.GcHeapMb)
            .Set("soak.gc_heap_end_mb", last.GcHeapMb)
            .Set("soak.gc_heap_max_mb", samples.Max(s => s.GcHeapMb))
            .Set("soak.gen2_collections", last.Gen2 - first.Gen2)
            .Set("soak.fires_per_second", last.FiresSent / seconds)
            .Set("soak.ticks_per_second", last.TicksIn / seconds)
            .Set("soak.confirmations_per_second", last.Confirmations / seconds)
            .Set("soak.closes_per_second", last.Closes / seconds)
            .Set("soak.history_end", last.HistoryLength)
            .Set("soak.missions_held_max", samples.Max(s => s.MissionsHeld))
            .Set("soak.live_fires_max", samples.Max(s => s.LiveFires))
            .Set("soak.event_queue_max", samples.Max(s => s.EventQueueDepth))
            .Set("soak.checkpoint_end_mchars", last.CheckpointMb)
            .Set("soak.checkpoints_per_second", (last.Checkpoints - first.Checkpoints) / Math.Max(1, last.Seconds - first.Seconds));
    }

    /// <summary>
    /// The n-th signal: EURUSD at the feed's last quote with a 10-pip stop and a 15-pip target (the feed runs a recorded
    /// day in about a minute, so the tracker sees most resolve within the run), BUY and SELL in turn,
    /// its confidence the n-th band's, so each second's signal fires that band's users (free again by then: they held
    /// the last one for <see cref="SoakOptions.HoldMs"/>).
    /// </summary>
    /// <remarks>
    /// Every user gets a mission for every signal (AUTO fires only the band's; the others may fire it by hand), pending
    /// until the signal expires: live missions are users × signals within the expiry, so the soak's short expiry lets
    /// that reach its steady state inside the run (Elite Guard's own 30 minutes would take 30 minutes to level off).
    /// </remarks>
    public static Signal SoakSignal(int n, int bands, SymbolId eurusd, (double Bid, double Ask) quote, long nowMs, int expirySeconds)
    {
        var buy = n % 2 == 0;
        var entry = buy ? quote.Ask : quote.Bid;
        var (sl, tp) = buy ? (entry - 0.0010, entry + 0.0015) : (entry + 0.0010, entry - 0.0015);
        return new Signal(SignalIds.Create(SignalClass.Rapid, PatternType.BbScalp, "EURUSD", nowMs), "EURUSD", eurusd, buy ? Direction.Buy : Direction.Sell,
            entry, sl, tp, 10, 15, 1.5, BandConfidence(n % bands), PatternType.BbScalp, 7, "LONDON", nowMs, nowMs + (expirySeconds * 1000L), nowMs);
    }
}
