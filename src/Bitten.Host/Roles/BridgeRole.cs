using Bitten.Gateway.Market;
using Bitten.Zmq;
using Microsoft.Extensions.Hosting;

namespace Bitten.Host.Roles;

/// <summary>The market-data bridge: EAs PUSH ticks in, validated ticks are published out (and fed to the kernel when it runs here).</summary>
public sealed class BridgeRole(MarketBridge bridge) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            bridge.Start();
        }
        catch (ZmqException e)
        {
            throw new StartupException($"Cannot open the market ports ({e.Message}); is another bitten running? Set other ports with --Zmq:MarketInPort=… --Zmq:MarketOutPort=…", e);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
