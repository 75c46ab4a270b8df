using Bitten.Gateway;
using Bitten.Gateway.Execution;
using Bitten.Gateway.Market;
using Bitten.Simulation.Ea;
using Bitten.Simulation.Replay;
using Bitten.Zmq;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bitten.Host.Roles;

/// <summary>
/// The embedded default's simulated EA (a paper broker speaking the EA protocol) replaying bundled real ticks, in a
/// loop, against this process's own ports. If it fails, the host stops, as the demo has nothing left to show.
/// </summary>
public sealed class SimulatedEaRole(
    IOptions<SimulatedEaOptions> options,
    IOptions<ZmqOptions> zmq,
    MarketBridge bridge,
    EaGateway gateway,
    TimeProvider clock,
    IHostApplicationLifetime lifetime,
    ILogger<SimulatedEa> log) : IHostedService
{
    private readonly CancellationTokenSource _stop = new();
    private Task _run = Task.CompletedTask;

    public string Uuid => options.Value.Uuid;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var ea = options.Value;
        ea.Host = zmq.Value.ConnectHost;
        ea.MarketPort = bridge.MarketInPort;
        ea.CommandPort = gateway.CommandPort;
        ea.ConfirmPort = gateway.ConfirmPort;
        ea.Loop = true;
        // Half an hour into the London open (not the Asian night): the bundled days first give a signal on the 07:30 bar,
        // which then closes at the first M5 close after start, on the history the EA sends from the hours before.
        ea.StartTimeOfDay ??= new TimeSpan(7, 30, 0);
        ea.CurveServerKey ??= zmq.Value.CurvePublicKey;

        var ticks = ea.Ticks ?? Path.Combine(AppContext.BaseDirectory, "demo", "ticks");
        var files = TickReplay.Discover([ticks]);
        if (files.Count == 0)
        {
            throw new StartupException($"No tick files found in {ticks}");
        }

        var simulated = new SimulatedEa(ea, new TickReplay(files), clock, log);
        _run = RunAsync(simulated);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        await _run;
        _stop.Dispose();
    }

    private async Task RunAsync(SimulatedEa ea)
    {
        try
        {
            await ea.RunAsync(_stop.Token);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopped with the host.
        }
        catch (Exception e)
        {
            log.LogError(e, "Simulated EA failed");
            lifetime.StopApplication();
        }
    }
}
