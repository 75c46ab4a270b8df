using Bitten.Engine.Execution;
using Bitten.Engine.Kernel;
using Bitten.Web;

namespace Bitten.Host.Execution;

/// <summary>
/// Slots and EA liveness for /healthz, taken on the kernel's clock and published as one immutable value, so a health
/// probe never waits on the kernel.
/// </summary>
public sealed class ExecutionFigures(ExecutionDesk desk) : IClockObserver
{
    private HealthFigures _current = new(0, 0, false);

    public HealthFigures Current => Volatile.Read(ref _current);

    public void OnClock(long nowMs)
    {
        var counts = desk.Counts;
        Volatile.Write(ref _current, new HealthFigures(counts.SlotsUsed, counts.SlotsMax, counts.EasAlive > 0));
    }
}
