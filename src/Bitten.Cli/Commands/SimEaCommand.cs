using System.Globalization;
using Bitten.Cli.Hosting;
using Bitten.Simulation.Ea;
using Bitten.Simulation.Replay;
using Microsoft.Extensions.Logging;

namespace Bitten.Cli.Commands;

/// <summary><c>bitten sim-ea</c>: one simulated EA replaying recorded ticks against a running server.</summary>
public static class SimEaCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var commandLine = new CommandLine(args, "loop");
        var settings = Settings.Load(commandLine.ConfigArgs);
        var options = settings.SimEa;
        options.Uuid = commandLine.Value("uuid") ?? options.Uuid;
        options.Host = commandLine.Value("host") ?? options.Host;
        options.MarketPort = Port(commandLine.Value("market-port")) ?? settings.Zmq.MarketInPort;
        options.CommandPort = Port(commandLine.Value("command-port")) ?? settings.Zmq.CommandPort;
        options.ConfirmPort = Port(commandLine.Value("confirm-port")) ?? settings.Zmq.ConfirmPort;
        options.Loop |= commandLine.Has("loop");
        options.CurveServerKey = commandLine.Value("curve-server-key") ?? options.CurveServerKey;
        if (commandLine.Value("speed") is { } speed)
        {
            options.Speed = speed == "max" ? 0
                : double.TryParse(speed, CultureInfo.InvariantCulture, out var s) && s > 0 ? s
                : throw new UsageException($"--speed takes a positive number or max, not '{speed}'");
        }

        if (commandLine.Value("timestamps") is { } stamps)
        {
            options.Timestamps = Enum.TryParse<TickTimestamps>(stamps, ignoreCase: true, out var t) ? t
                : throw new UsageException($"--timestamps takes now or original, not '{stamps}'");
        }

        var offset = commandLine.Value("tz-offset") is { } tz
            ? double.TryParse(tz, CultureInfo.InvariantCulture, out var hours) && Math.Abs(hours) <= 14 ? TimeSpan.FromHours(hours)
                : throw new UsageException($"--tz-offset takes hours from UTC (e.g. -5), not '{tz}'")
            : TimeSpan.Zero;
        if (commandLine.Value("start-at") is { } startAt)
        {
            options.StartTimeOfDay = TimeSpan.TryParseExact(startAt, @"hh\:mm", CultureInfo.InvariantCulture, out var time) ? time
                : throw new UsageException($"--start-at takes a UTC time of day as HH:mm, not '{startAt}'");
        }

        var paths = commandLine.Values("ticks");
        var symbol = commandLine.Value("symbol");
        commandLine.RejectUnknown();
        if (paths.Count == 0)
        {
            throw new UsageException("sim-ea needs --ticks <files or folders>");
        }

        var errors = options.Validate().ToList();
        if (errors.Count > 0)
        {
            throw new UsageException(string.Join("; ", errors));
        }

        IReadOnlyList<TickFile> files;
        try
        {
            files = TickReplay.Discover(paths, symbol?.ToUpperInvariant(), offset);
        }
        catch (FileNotFoundException e)
        {
            throw new UsageException(e.Message);
        }

        if (files.Count == 0)
        {
            throw new UsageException($"no tick files (*_quote.zip or *.csv) in {string.Join(", ", paths)}");
        }

        using var logging = Settings.CreateLogging();
        using var shutdown = new Shutdown();
        var clock = TimeProvider.System;
        var ea = new SimulatedEa(options, new TickReplay(files), clock, logging.CreateLogger<SimulatedEa>());
        var run = ea.RunAsync(shutdown.Token);
        var last = 0L;
        var started = clock.GetTimestamp();
        while (await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(settings.Status.IntervalSeconds), clock)) != run)
        {
            var sent = ea.TicksSent;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{clock.GetUtcNow():HH:mm:ss} sim-ea {options.Uuid}: {sent} ticks sent ({(sent - last) / settings.Status.IntervalSeconds:F0}/s), {ea.CommandsReceived} commands"));
            last = sent;
        }

        await run;
        var broker = ea.Broker;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"sim-ea {options.Uuid}: done, {ea.TicksSent} ticks in {clock.GetElapsedTime(started).TotalSeconds:F1} s; " +
            $"fires received {broker.FiresReceived}, filled {broker.Fills}, rejected {broker.Rejects}, repeated fire ids {broker.Duplicates}, open {broker.Positions.Count}"));
        return 0;
    }

    private static int? Port(string? value) =>
        value is null ? null
        : int.TryParse(value, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536 ? port
        : throw new UsageException($"'{value}' is not a port number");
}
