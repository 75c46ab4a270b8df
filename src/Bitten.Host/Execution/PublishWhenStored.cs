using Bitten.Domain.Signals;
using Bitten.Engine.Signals;
using Bitten.Persistence.Events;

namespace Bitten.Host.Execution;

/// <summary>
/// Hands each signal on (to the 5557 publisher) only once the event log has committed it: a signal any subscriber
/// saw is a signal the store holds, so a crash can never leave a published signal that no restart knows to track.
/// Costs the publication one commit (a millisecond or two); auto-fire does not wait for it, and its fires are
/// committed behind the signal by the same writer.
/// </summary>
public sealed class PublishWhenStored(EventLog log, ISignalSink next) : ISignalSink
{
    public void OnSignal(Signal signal) => log.AfterCommit(() => next.OnSignal(signal));
}
