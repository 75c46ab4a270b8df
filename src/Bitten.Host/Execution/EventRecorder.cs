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
/// (a test holds every record to it): the original's bus rejected its own events. <paramref name="recent"/>, when given,
/// keeps the last of them for the Throne; <paramref name="everyEvent"/> also hears each recorded event, signals and
/// outcomes included (the web's read models and event stream).
/// </summary>
public sealed class EventRecorder(IEventSink sink, IExecutionObserver? next = null, RecentEvents? recent = null, IExecutionObserver? everyEvent = null)
    : ISignalSink, IOutcomeSink, IExecutionObserver
{
    public long Recorded { get; private set; }

    public void OnSignal(Signal signal) => Record(new SignalRaised(signal));

    public void OnResolved(in SignalOutcome outcome) => Record(new SignalResolved(outcome));

    public void OnEvent(TradingEvent e)
    {
        next?.OnEvent(e);
        Record(e);
    }

    private void Record(TradingEvent e)
    {
        var envelope = TradingEventJson.ToEnvelope(e);
        sink.Append(envelope);
        recent?.Add(envelope.EventType, e);
        Recorded++;
        everyEvent?.OnEvent(e);
    }
}
