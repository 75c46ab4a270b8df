using Bitten.Domain.Signals;

namespace Bitten.Engine.Tracking;

/// <summary>Receives each resolved signal, on the kernel thread, after the tracker has stopped following it.</summary>
public interface IOutcomeSink
{
    void OnResolved(in SignalOutcome outcome);
}
