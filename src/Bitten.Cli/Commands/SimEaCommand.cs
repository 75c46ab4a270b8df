using System.ComponentModel;
using System.Globalization;
using Bitten.Cli.Hosting;
using Bitten.Host;
using Bitten.Host.Configuration;
using Bitten.Simulation.Ea;
using Bitten.Simulation.Replay;
using Microsoft.Extensions.Logging;
using Spectre.Console.Cli;

namespace Bitten.Cli.Commands;

/// <summary><c>bitten sim-ea</c>: one simulated EA replaying recorded ticks against a running server.</summary>
public sealed class SimEaCommand : AsyncCommand<SimEaCommand.Options>
{
    public sealed class Options : CommandSettings
    {
        [CommandOption("--uuid <UUID>")]
        [Description("The EA's uuid (default SimEa:Uuid).")]
        public string? Uuid { get; init; }

        [CommandOption("--ticks <PATH>")]
        [Description("Tick files (*_quote.zip, *.csv) or folders of them; several may follow one --ticks.")]
        public string[] Ticks { get; init; } = [];

        [CommandOption("--speed <SPEED>")]
        [Description("1 (real time), 60, … or max.")]
        public string? Speed { get; init; }

        [CommandOption("--loop")]
        [Description("Start again at the end.")]
        public bool Loop { get; init; }

        [CommandOption("--timestamps <MODE>")]
        [Description("now (stamp ticks as sent) or original.")]
        public string? Timestamps { get; init; }

        [CommandOption("--start-at <HH:mm>")]
        [Description("Start at this UTC time of day in the recording.")]
        public string? StartAt { get; init; }

        [CommandOption("--symbol <SYMBOL>")]
        [Description("Only this symbol's files.")]
        public string? Symbol { get; init; }

        [CommandOption("--tz-offset <HOURS>")]
        [Description("The recording's offset from UTC in hours (e.g. -5).")]
        public string? TzOffset { get; init; }

        [CommandOption("--host <HOST>")]
        public string? Host { get; init; }

        [CommandOption("--market-host <HOST>")]
        [Description("The bridge's host when it runs apart from the engine (default: --host).")]
        public string? MarketHost { get; init; }

        [CommandOption("--market-port <PORT>")]
        public string? MarketPort { get; init; }

        [CommandOption("--command-port <PORT>")]
        public string? CommandPort { get; init; }

        [CommandOption("--confirm-port <PORT>")]
        public string? ConfirmPort { get; init; }

        [CommandOption("--many <N>")]
        [Description("Instead of one EA replaying ticks: N lightweight EAs on one thread that answer fires (load for `bench fire`).")]
        public int Many { get; init; }

        [CommandOption("--first <INDEX>")]
        [Description("With --many: the first EA's number (uuids are PREFIX0000, PREFIX0001, …).")]
        public int First { get; init; }

        [CommandOption("--uuid-prefix <PREFIX>")]
        [Description("With --many: the uuids' prefix (default BENCH_EA_).")]
        public string? UuidPrefix { get; init; }

        [CommandOption("--report <ENDPOINT>")]
        [Description("With --many: a PULL endpoint that hears every fire's arrival time (monotonic clock).")]
        public string? Report { get; init; }

        [CommandOption("--confirm-after <N>")]
        [Description("With --many: confirm fires only after the first N (they are only stamped).")]
        public long ConfirmAfter { get; init; }

        [CommandOption("--close-after-ms <MS>")]
        [Description("With --many: close every filled position this long after its fill (0: never), so slots free up.")]
        public int CloseAfterMs { get; init; }

        [CommandOption("--curve-server-key <KEY>")]
        [Description("The server's CURVE public key, when its EA ports use CURVE.")]
        public string? CurveServerKey { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Options settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var overrides = Overrides.Of(context).Args;
        var loaded = Settings.Load(overrides);
        var options = loaded.SimEa;
        options.Uuid = settings.Uuid ?? options.Uuid;
        options.Host = settings.Host ?? options.Host;
        options.MarketHost = settings.MarketHost ?? options.MarketHost;
        options.MarketPort = Port(settings.MarketPort) ?? loaded.Zmq.MarketInPort;
        options.CommandPort = Port(settings.CommandPort) ?? loaded.Zmq.CommandPort;
        options.ConfirmPort = Port(settings.ConfirmPort) ?? loaded.Zmq.ConfirmPort;
        options.Loop |= settings.Loop;
        options.CurveServerKey = settings.CurveServerKey ?? options.CurveServerKey;
        if (settings.Speed is { } speed)
        {
            options.Speed = speed == "max" ? 0
                : double.TryParse(speed, CultureInfo.InvariantCulture, out var s) && s > 0 ? s
                : throw new UsageException($"--speed takes a positive number or max, not '{speed}'");
        }

        if (settings.Timestamps is { } stamps)
        {
            options.Timestamps = Enum.TryParse<TickTimestamps>(stamps, ignoreCase: true, out var t) ? t
                : throw new UsageException($"--timestamps takes now or original, not '{stamps}'");
        }

        var offset = TickFiles.Offset(settings.TzOffset);
        if (settings.StartAt is { } startAt)
        {
            options.StartTimeOfDay = TimeSpan.TryParseExact(startAt, @"hh\:mm", CultureInfo.InvariantCulture, out var time) ? time
                : throw new UsageException($"--start-at takes a UTC time of day as HH:mm, not '{startAt}'");
        }

        if (settings.Many > 0)
        {
            return await RunSwarmAsync(settings, options);
        }

        if (settings.Ticks.Length == 0)
        {
            throw new UsageException("sim-ea needs --ticks <files or folders> (or --many N)");
        }

        var errors = options.Validate().ToList();
        if (errors.Count > 0)
        {
            throw new UsageException(string.Join("; ", errors));
        }

        var files = TickFiles.Discover(settings.Ticks, settings.Symbol?.ToUpperInvariant(), offset);
        using var logging = BittenHost.CreateLogging(overrides);
        using var shutdown = new Shutdown();
        var clock = TimeProvider.System;
        var ea = new SimulatedEa(options, new TickReplay(files), clock, logging.CreateLogger<SimulatedEa>());
        var run = ea.RunAsync(shutdown.Token);
        var last = 0L;
        var started = clock.GetTimestamp();
        while (await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(loaded.Status.IntervalSeconds), clock)) != run)
        {
            var sent = ea.TicksSent;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{clock.GetUtcNow():HH:mm:ss} sim-ea {options.Uuid}: {sent} ticks sent ({(sent - last) / loaded.Status.IntervalSeconds:F0}/s), {ea.CommandsReceived} commands"));
            last = sent;
        }

        await run;
        var broker = ea.Broker;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"sim-ea {options.Uuid}: done, {ea.TicksSent} ticks in {clock.GetElapsedTime(started).TotalSeconds:F1} s; " +
            $"fires received {broker.FiresReceived}, filled {broker.Fills}, rejected {broker.Rejects}, repeated fire ids {broker.Duplicates}, open {broker.Positions.Count}"));
        return 0;
    }

    /// <summary>
    /// <c>--many N</c>: a swarm of EAs answering fires until stdin closes or the process is stopped; it prints what it
    /// received when it ends (the server's desk says when every EA has checked in).
    /// </summary>
    private static async Task<int> RunSwarmAsync(Options settings, SimulatedEaOptions options)
    {
        if (settings.Many > 9_000)
        {
            // Two descriptors a socket: beyond this one process meets the usual 20,000 open-file limit.
            throw new UsageException("--many takes at most 9000 EAs a process; start several with --first");
        }

        var swarm = new EaSwarm(new EaSwarmOptions(settings.Many, settings.UuidPrefix ?? "BENCH_EA_", settings.First,
            $"tcp://{options.Host}:{options.CommandPort}", $"tcp://{options.Host}:{options.ConfirmPort}", settings.Report, settings.ConfirmAfter,
            settings.CloseAfterMs));
        using var shutdown = new Shutdown();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(shutdown.Token);
        var thread = new Thread(() => swarm.Run(stop.Token)) { Name = "ea-swarm", IsBackground = true };
        thread.Start();
        Console.WriteLine($"sim-ea --many {settings.Many}: started");
        // The bench that started it closes stdin to stop it: no signal handling across processes needed.
        await Task.Run(() => Console.In.ReadToEnd(), shutdown.Token).WaitAsync(shutdown.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        await stop.CancelAsync();
        thread.Join();
        Console.WriteLine($"sim-ea --many {settings.Many}: {swarm.FiresReceived} fires received, {swarm.Confirmed} confirmed, {swarm.Closed} closed");
        return 0;
    }

    private static int? Port(string? value) =>
        value is null ? null
        : int.TryParse(value, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536 ? port
        : throw new UsageException($"'{value}' is not a port number");
}
