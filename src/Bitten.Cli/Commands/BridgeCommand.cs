using Bitten.Cli.Hosting;
using Bitten.Gateway.Market;
using Bitten.Host;
using Bitten.Host.Status;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console.Cli;

namespace Bitten.Cli.Commands;

/// <summary><c>bitten bridge</c>: the market-data bridge alone (the host with one role), for EAs feeding other consumers of port 5560.</summary>
public sealed class BridgeCommand : AsyncCommand
{
    public override Task<int> ExecuteAsync(CommandContext context, CancellationToken cancellationToken) =>
        HostRun.RunAsync(BittenHost.Build(Overrides.Of(context).Args, [HostRole.Bridge], Console.Out),
            services =>
            {
                var bridge = services.GetRequiredService<MarketBridge>();
                return $"Bridge running: EAs PUSH to port {bridge.MarketInPort}, subscribers read port {bridge.MarketOutPort}. Ctrl-C stops.";
            },
            services =>
            {
                var bridge = services.GetRequiredService<MarketBridge>();
                var status = services.GetRequiredService<StatusLine>();
                return Task.FromResult($"Stopped. {bridge.Stats.Received} received, {bridge.Stats.Published} published, rejected: {status.Rejects()}.");
            });
}
