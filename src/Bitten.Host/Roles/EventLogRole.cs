using Bitten.Gateway.Events;
using Microsoft.Extensions.Hosting;

namespace Bitten.Host.Roles;

/// <summary>The event bus: the event log published on its port, external producers' events taken on the other.</summary>
public sealed class EventLogRole(EventBus bus) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        Ports.Open(bus.Start, "the event ports", "set others with --Zmq:EventPort=… --Zmq:EventInPort=…");
        return Task.CompletedTask;
    }

    // The event log drains and the bus closes when the host disposes them, after everything that appends to them.
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
