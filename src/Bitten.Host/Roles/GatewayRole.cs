using Bitten.Gateway.Execution;
using Bitten.Zmq;
using Microsoft.Extensions.Hosting;

namespace Bitten.Host.Roles;

/// <summary>The EA command and confirmation ports, and the outbox that sends stored fires through them.</summary>
public sealed class GatewayRole(EaGateway gateway, CommandOutbox outbox) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            gateway.Start();
        }
        catch (ZmqException e)
        {
            throw new StartupException($"Cannot open the EA command or confirmation port ({e.Message}); set others with --Zmq:CommandPort=… --Zmq:ConfirmPort=…", e);
        }

        outbox.Start(gateway);
        return Task.CompletedTask;
    }

    // The gateway and the outbox stop when the host disposes them, after the roles that post to them.
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
