using Bitten.Domain.Signals;

namespace Bitten.Engine.Tracking;

/// <summary>Hands each outcome to several consumers in order (log, history, journal file), on the kernel thread.</summary>
public sealed class OutcomeFanout(params IOutcomeSink[] sinks) : IOutcomeSink
{
    public void OnResolved(in SignalOutcome outcome)
    {
        foreach (var sink in sinks)
        {
            sink.OnResolved(in outcome);
        }
    }
}
