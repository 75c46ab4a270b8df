using Bitten.Gateway.Market;
using Microsoft.Extensions.Hosting;

namespace Bitten.Host.Roles;

/// <summary>The market-data bridge: EAs PUSH ticks in, validated ticks are published out (and fed to the kernel when it runs here).</summary>
public sealed class BridgeRole(MarketBridge bridge) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        Ports.Open(bridge.Start, "the market ports", "is another bitten running? Set other ports with --Zmq:MarketInPort=… --Zmq:MarketOutPort=…");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
