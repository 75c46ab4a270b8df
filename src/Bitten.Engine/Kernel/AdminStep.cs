using Bitten.Domain.Events;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Domain.Trading;
using Bitten.Engine.Execution;
using Bitten.Engine.Tracking;

namespace Bitten.Engine.Kernel;

/// <summary>
/// How an admin's change is made, whatever channel asked for it (the Throne, the API, the bot): on the kernel thread,
/// with the <see cref="AdminActed"/> that records it handed to the recorder in the same step, answered once that event is
/// stored — so the answer means the change is in force and in the log.
/// </summary>
public static class AdminStep
{
    /// <summary>
    /// Runs <paramref name="change"/> on the kernel thread — it gets the time and returns its answer and the event that
    /// records it (null when the change was refused, and so not made) — records the event there, then awaits
    /// <paramref name="stored"/> when an event was recorded.
    /// </summary>
    public static async Task<T> ActAsync<T>(TradingKernel kernel, TimeProvider clock, Action<TradingEvent>? record, Func<Task>? stored,
        Func<long, (T Answer, AdminActed? Acted)> change)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(change);
        var (answer, acted) = await kernel.AskAsync(() =>
        {
            var result = change(UnixMs.Now(clock));
            if (result.Acted is { } e)
            {
                record?.Invoke(e);
            }

            return result;
        });
        if (acted is not null && stored is not null)
        {
            await stored();
        }

        return answer;
    }

    /// <summary>Sets the emergency stop (on the kernel thread) and returns the stop now in force with the event recording it.</summary>
    public static (EmergencyStop Now, AdminActed Acted) SetEmergencyStop(ExecutionDesk desk, long adminUserId, EmergencyStop stop, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(desk);
        var previous = desk.EmergencyStop;
        desk.SetEmergencyStop(stop);
        return (desk.EmergencyStop, new AdminActed(nowMs, adminUserId, AdminActions.EmergencyStop, "trading", desk.EmergencyStop.WireName(), previous.WireName()));
    }

    /// <summary>
    /// Overrides a pattern (on the kernel thread) as <paramref name="action"/> (one of the pattern <see cref="AdminActions"/>)
    /// and returns whether it is disabled now, with the event recording it.
    /// </summary>
    public static (bool Disabled, AdminActed Acted) OverridePattern(PatternSwitchboard board, long adminUserId, PatternType pattern,
        PatternOverride choice, string action, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(board);
        var previous = board.Override(pattern, choice);
        return (board.IsDisabled(pattern), new AdminActed(nowMs, adminUserId, action, pattern.WireName(), choice.WireName(), previous.WireName()));
    }

    /// <summary>
    /// Switches a pattern on (kept on whatever its record) or off (whatever its record): the Throne's enable/disable and
    /// the bot's /pattern on|off.
    /// </summary>
    public static (bool Disabled, AdminActed Acted) SwitchPattern(PatternSwitchboard board, long adminUserId, PatternType pattern, bool on, long nowMs) =>
        on ? OverridePattern(board, adminUserId, pattern, PatternOverride.KeepOn, AdminActions.PatternEnable, nowMs)
            : OverridePattern(board, adminUserId, pattern, PatternOverride.ForceOff, AdminActions.PatternDisable, nowMs);
}
