using Bitten.Domain.Signals;

namespace Bitten.Engine.Signals;

/// <summary>Hands each signal to several consumers in order (publisher first, then missions), on the kernel thread.</summary>
public sealed class SignalFanout(params ISignalSink[] sinks) : ISignalSink
{
    public void OnSignal(Signal signal)
    {
        foreach (var sink in sinks)
        {
            sink.OnSignal(signal);
        }
    }
}
