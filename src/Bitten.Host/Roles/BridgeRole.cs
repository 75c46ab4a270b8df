using Bitten.Gateway.Market;
using Microsoft.Extensions.Hosting;

namespace Bitten.Host.Roles;

/// <summary>
/// The market data of this process: with the bridge role, EAs PUSH ticks in and validated ticks are published out (and fed
/// to the kernel when it runs here); an engine without it subscribes to the bridge named by Bridge:Upstream. An engine
/// with neither (the <c>bitten chat</c> tool) has no feed.
/// </summary>
public sealed class BridgeRole(MarketBridge bridge, HostRoles roles, Microsoft.Extensions.Options.IOptions<BridgeOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (roles.Has(HostRole.Bridge))
        {
            Ports.Open(bridge.Start, "the market ports", "is another bitten running? Set other ports with --Zmq:MarketInPort=… --Zmq:MarketOutPort=…");
        }
        else if (options.Value.Upstream is { Length: > 0 } upstream)
        {
            Ports.Open(() => bridge.StartFromUpstream(upstream), "the upstream bridge's market data", "check Bridge:Upstream");
        }
        else if (roles.Has(HostRole.Gateway))
        {
            // An engine that serves EAs without prices would raise nothing and track nothing: refuse rather than idle.
            throw new StartupException("The engine needs market data: run the bridge role beside it, or set Bridge:Upstream to the market-out "
                + "port of a bridge elsewhere (e.g. --Bridge:Upstream=tcp://10.0.0.2:5560).");
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
