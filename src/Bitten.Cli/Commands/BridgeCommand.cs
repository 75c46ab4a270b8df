using Bitten.Cli.Hosting;
using Bitten.Host.Status;
using Bitten.Domain.Primitives;
using Bitten.Engine.Kernel;
using Bitten.Gateway.Market;
using Bitten.Zmq;
using Microsoft.Extensions.Logging;

namespace Bitten.Cli.Commands;

/// <summary><c>bitten bridge</c>: the market-data bridge alone, for EAs feeding other consumers of port 5560.</summary>
public static class BridgeCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var commandLine = new CommandLine(args);
        commandLine.RejectUnknown();
        var settings = Settings.Load(commandLine.ConfigArgs);
        using var logging = Settings.CreateLogging();
        using var shutdown = new Shutdown();
        var clock = TimeProvider.System;
        var symbols = new SymbolRegistry();
        var health = new ComponentHealth();
        await using var bridge = new MarketBridge(settings.Zmq, settings.Bridge, settings.Market, symbols, kernel: null, clock,
            logging.CreateLogger<MarketBridge>(), health);
        try
        {
            bridge.Start();
        }
        catch (ZmqException e)
        {
            logging.CreateLogger("bitten").LogError("Cannot open the market ports: {Error}", e.Message);
            return 1;
        }

        Console.WriteLine($"Bridge running: EAs PUSH to port {bridge.MarketInPort}, subscribers read port {bridge.MarketOutPort}. Ctrl-C stops.");
        var status = new StatusLine(symbols, bridge, null, health, clock);
        await RunCommand.PrintStatusUntilStopped(status, settings.Status, clock, shutdown.Token);
        Console.WriteLine($"Stopped. {bridge.Stats.Received} received, {bridge.Stats.Published} published, rejected: {status.Rejects()}.");
        return 0;
    }
}
