namespace Bitten.Domain.Events;

/// <summary>
/// Where events go to be kept (the event log) or passed on (the event bus). Implementations never block the caller:
/// whatever cannot be queued is counted and reported, never silently lost.
/// </summary>
public interface IEventSink
{
    void Append(EventEnvelope e);
}
