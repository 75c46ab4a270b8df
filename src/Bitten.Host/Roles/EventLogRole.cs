using Bitten.Gateway.Events;
using Bitten.Zmq;
using Microsoft.Extensions.Hosting;

namespace Bitten.Host.Roles;

/// <summary>The event bus: the event log published on its port, external producers' events taken on the other.</summary>
public sealed class EventLogRole(EventBus bus) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            bus.Start();
        }
        catch (ZmqException e)
        {
            throw new StartupException($"Cannot open the event ports ({e.Message}); set others with --Zmq:EventPort=… --Zmq:EventInPort=…", e);
        }

        return Task.CompletedTask;
    }

    // The event log drains and the bus closes when the host disposes them, after everything that appends to them.
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
