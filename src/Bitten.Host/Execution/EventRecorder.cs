using Bitten.Domain.Events;
using Bitten.Domain.Signals;
using Bitten.Engine.Execution;
using Bitten.Engine.Signals;
using Bitten.Engine.Tracking;
using Bitten.Wire.Events;

namespace Bitten.Host.Execution;

/// <summary>
/// Turns what the kernel does — signals raised, outcomes, every execution event — into PRODUCT.md §7 events for the
/// event log and the bus, through the one mapping (<see cref="TradingEventJson"/>). Runs on the kernel thread; the
/// sink queues (the log and the bus have their own threads). Every event it writes passes <see cref="EventJson.Parse"/>
/// (a test holds every record to it): the original's bus rejected its own events. <paramref name="everyEvent"/> also
/// hears each recorded event, signals and outcomes included (the web's read models and event stream).
/// </summary>
public sealed class EventRecorder(IEventSink sink, IExecutionObserver? next = null, IExecutionObserver? everyEvent = null)
    : ISignalSink, IOutcomeSink, IExecutionObserver
{
    public long Recorded { get; private set; }

    public void OnSignal(Signal signal) => Record(new SignalRaised(signal));

    public void OnResolved(in SignalOutcome outcome) => Record(new SignalResolved(outcome));

    /// <summary>An admin keeps a pattern on whatever its record, or hands it back to the auto-disable rule.</summary>
    public void OnPatternOverride(PatternType pattern, bool keepOn, long adminUserId, long timeMs) =>
        Record(new PatternOverridden(timeMs, adminUserId, pattern, keepOn));

    public void OnEvent(TradingEvent e)
    {
        next?.OnEvent(e);
        Record(e);
    }

    private void Record(TradingEvent e)
    {
        sink.Append(TradingEventJson.ToEnvelope(e));
        Recorded++;
        everyEvent?.OnEvent(e);
    }
}
