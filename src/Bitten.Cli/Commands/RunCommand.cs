using Bitten.Cli.Hosting;
using Bitten.Domain.Primitives;
using Bitten.Engine.Kernel;
using Bitten.Engine.Signals;
using Bitten.Engine.Signals.Patterns;
using Bitten.Engine.Tracking;
using Bitten.Gateway.Market;
using Bitten.Gateway.Signals;
using Bitten.Simulation.Ea;
using Bitten.Simulation.Replay;
using Bitten.Zmq;
using Microsoft.Extensions.Logging;

namespace Bitten.Cli.Commands;

/// <summary><c>bitten run</c>: the whole system; with no configuration, on the embedded default.</summary>
public static class RunCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var commandLine = new CommandLine(args, "no-sim");
        var noSim = commandLine.Has("no-sim");
        commandLine.RejectUnknown();
        var settings = Settings.Load(commandLine.ConfigArgs);
        using var logging = Settings.CreateLogging();
        var log = logging.CreateLogger("bitten");
        using var shutdown = new Shutdown();
        var clock = TimeProvider.System;
        var symbols = new SymbolRegistry();
        var health = new ComponentHealth();

        await using var kernel = new TradingKernel(clock, settings.Market, settings.Kernel, health);
        await using var publisher = new SignalPublisher(settings.Zmq, logging.CreateLogger<SignalPublisher>(), health);
        var outcomes = new OutcomeLog(logging.CreateLogger("outcomes"));
        var signals = SignalPipeline.Create(symbols, settings.EliteGuard, outcomes, publisher);
        var guard = signals.Guard;
        signals.SubscribeTo(kernel);
        try
        {
            publisher.Start();
        }
        catch (ZmqException e)
        {
            log.LogError("Cannot open the signal port ({Error}); set another with --Zmq:SignalPort=…", e.Message);
            return 1;
        }

        kernel.Start();
        await using var bridge = new MarketBridge(settings.Zmq, settings.Bridge, settings.Market, symbols, kernel, clock,
            logging.CreateLogger<MarketBridge>(), health);
        try
        {
            bridge.Start();
        }
        catch (ZmqException e)
        {
            log.LogError("Cannot open the market ports ({Error}); is another bitten running? Set other ports with --Zmq:MarketInPort=… --Zmq:MarketOutPort=…", e.Message);
            return 1;
        }

        Task simulation = Task.CompletedTask;
        SimulatedEa? ea = null;
        if (!noSim)
        {
            var options = settings.SimEa;
            options.Host = settings.Zmq.BindHost is "0.0.0.0" or "*" ? "127.0.0.1" : settings.Zmq.BindHost;
            options.MarketPort = bridge.MarketInPort;
            options.CommandPort = settings.Zmq.CommandPort;
            options.ConfirmPort = settings.Zmq.ConfirmPort;
            options.Loop = true;
            options.StartTimeOfDay ??= TimeSpan.FromHours(7); // the demo opens at the London open, not in the Asian night
            if (!string.IsNullOrEmpty(settings.Zmq.CurveSecretKey))
            {
                options.CurveServerKey = ZmqCurve.PublicKeyOf(settings.Zmq.CurveSecretKey);
            }

            var ticks = options.Ticks ?? Path.Combine(AppContext.BaseDirectory, "demo", "ticks");
            var files = TickReplay.Discover([ticks]);
            if (files.Count == 0)
            {
                log.LogError("No tick files found in {Path}", ticks);
                return 1;
            }

            ea = new SimulatedEa(options, new TickReplay(files), clock, logging.CreateLogger<SimulatedEa>());
            simulation = ea.RunAsync(shutdown.Token);
        }

        Console.WriteLine($"BITTEN running. EA ports: market in {bridge.MarketInPort}, commands {settings.Zmq.CommandPort}, confirmations {settings.Zmq.ConfirmPort}; " +
            $"validated market data out on {bridge.MarketOutPort}; signals on {publisher.Port}. {(noSim ? "Waiting for EAs." : $"Simulated EA {settings.SimEa.Uuid} replaying bundled real ticks.")} Ctrl-C stops.");
        var status = new StatusLine(symbols, bridge, kernel, health, clock, guard, outcomes);
        await PrintStatusUntilStopped(status, settings.Status, clock, shutdown.Token, simulation);

        try
        {
            await simulation;
        }
        catch (Exception e)
        {
            log.LogError(e, "Simulated EA failed");
        }

        Console.WriteLine($"Stopped. Bridge: {bridge.Stats.Received} received, {bridge.Stats.Published} published, rejected: {status.Rejects()}. " +
            $"Bars closed: M1 {kernel.Candles.ClosedM1}, M5 {kernel.Candles.ClosedM5}, M15 {kernel.Candles.ClosedM15}. " +
            $"Signals: {guard.Raised} raised, {outcomes.Wins} won, {outcomes.Losses} lost, {signals.Tracker.OpenCount} open.");
        return 0;
    }

    internal static async Task PrintStatusUntilStopped(StatusLine status, StatusOptions options, TimeProvider clock, CancellationToken stop, Task? alsoEndsOn = null)
    {
        var interval = TimeSpan.FromSeconds(options.IntervalSeconds);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, clock, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            Console.WriteLine(status.Next());
            if (alsoEndsOn is { IsFaulted: true })
            {
                break;
            }
        }
    }
}
