using Bitten.Persistence.Events;
using Bitten.Web;

namespace Bitten.Host.Execution;

/// <summary>
/// The event log's figures for /healthz, as the same instance for as long as none of them moves: /healthz asks on every
/// request whether its cached body is still current, and an unchanged instance answers that without building the
/// shed-by-type table each time.
/// </summary>
public sealed class EventLogFiguresSource(EventLog log)
{
    private EventLogFigures? _last;
    private long _lastShed;

    public EventLogFigures Current()
    {
        var (depth, waits, waited, shed) = (log.QueueDepth, log.Waits, log.TimeWaited, log.ShedTotal);
        var last = Volatile.Read(ref _last);
        if (last is not null && last.QueueDepth == depth && last.Waits == waits && last.Waited == waited && Volatile.Read(ref _lastShed) == shed)
        {
            return last;
        }

        // A race here builds the figures twice; both are right.
        var figures = new EventLogFigures(depth, log.Capacity, waits, waited, log.ShedByType());
        Volatile.Write(ref _lastShed, shed);
        Volatile.Write(ref _last, figures);
        return figures;
    }
}
