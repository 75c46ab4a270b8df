using Bitten.Engine.Execution;
using Bitten.Engine.Kernel;
using Bitten.Web;

namespace Bitten.Host.Execution;

/// <summary>
/// Slots and EA liveness for /healthz, and the desk's totals for /status, /stats and /metrics, taken on the kernel's
/// clock and published as immutable values, so a probe or a scrape never waits on the kernel.
/// </summary>
public sealed class ExecutionFigures(ExecutionDesk desk) : IClockObserver
{
    private HealthFigures _current = new(0, 0, false);
    private SystemFigures _desk = SystemFigures.None;

    public HealthFigures Current => Volatile.Read(ref _current);

    /// <summary>The desk's part of <see cref="SystemFigures"/> (no ticks, rejects or quotes: those are the bridge's).</summary>
    public SystemFigures Desk => Volatile.Read(ref _desk);

    public void OnClock(long nowMs)
    {
        var counts = desk.Counts;
        Volatile.Write(ref _current, new HealthFigures(counts.SlotsUsed, counts.SlotsMax, counts.EasAlive > 0));
        var previous = _desk;
        var refusals = previous.Refusals.Values.Sum() == desk.Totals.Refused ? previous.Refusals : desk.Totals.RefusalsByCode();
        Volatile.Write(ref _desk, previous with
        {
            Missions = counts.Missions, Fires = counts.FiresSent, Fills = counts.Filled, Refusals = refusals, Eas = counts.EasAlive,
            EmergencyStop = desk.EmergencyStop,
        });
    }
}
