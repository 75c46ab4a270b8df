using Bitten.Gateway.Execution;
using Microsoft.Extensions.Hosting;

namespace Bitten.Host.Roles;

/// <summary>The EA command and confirmation ports, and the outbox that sends stored fires through them.</summary>
public sealed class GatewayRole(EaGateway gateway, CommandOutbox outbox) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        Ports.Open(gateway.Start, "the EA command or confirmation port", "set others with --Zmq:CommandPort=… --Zmq:ConfirmPort=…");

        outbox.Start(gateway);
        return Task.CompletedTask;
    }

    // The gateway and the outbox stop when the host disposes them, after the roles that post to them.
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
