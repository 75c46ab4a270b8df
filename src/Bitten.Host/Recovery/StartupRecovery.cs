using Bitten.Domain.Events;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Engine.Kernel;
using Bitten.Engine.Signals;
using Bitten.Engine.Tracking;
using Bitten.Host.Execution;
using Bitten.Persistence;
using Bitten.Persistence.Events;
using Microsoft.Extensions.Logging;

namespace Bitten.Host.Recovery;

/// <summary>What a start found and put back, for the log and for tests.</summary>
public sealed record RecoveryReport(
    int Users,
    int Missions,
    int Fires,
    int Positions,
    int Tracked,
    int SignalsFromEventLog,
    int UnreadableEvents,
    int TrackedAgain,
    int Disabled,
    IReadOnlyList<string> KeptOn,
    int WarmCandles,
    int WarmSymbols,
    IReadOnlyList<string>? SwitchedOff = null,
    int AwardsCaughtUp = 0);

/// <summary>
/// Crash-only start: a normal start and a start after a crash take this one path. It loads the users, the last
/// checkpoint plus what the store saw after it (fires sent and unconfirmed, how in-flight fires ended, stored
/// positions), the signal history from the event log (following again every signal raised after the checkpoint),
/// the pattern switchboard's record and the admins' overrides, the detectors' last closed candles, and every user's
/// XP and achievements (replayed from the event log, recording any award a crash lost).
/// </summary>
/// <remarks>
/// Everything that changes kernel state is posted to the kernel, so run this before the kernel starts: the posts are
/// then the first messages it handles, before any tick, fire or check-in.
/// </remarks>
public sealed class StartupRecovery(
    IDatabase store,
    UserSync users,
    UserStore userStore,
    Checkpointer checkpointer,
    TradingKernel kernel,
    SignalPipeline signals,
    SignalHistory history,
    IOutcomeSink recorder,
    SymbolRegistry symbols,
    EliteGuardOptions eliteGuard,
    TimeProvider clock,
    ILogger<StartupRecovery> log,
    ProgressionRecorder? progression = null)
{
    public RecoveryReport Run()
    {
        var userCount = users.LoadAll();
        // The provider, not the connection string: a PostgreSQL one carries a password.
        log.LogInformation("{Users} users loaded from the {Provider} store", userCount, store.Provider);

        var restored = checkpointer.Restore(new FireStore(store, clock), new ProjectionStore(store),
            userStore.List().Select(u => u.EaUuid).OfType<string>(), symbols);
        var loaded = history.Load(new EventReader(store).Read(EventTypes.SignalGenerated, EventTypes.SignalResolved), symbols);
        foreach (var outcome in restored.RecentOutcomes)
        {
            // Resolved before the crash but its event never reached the log: record it now, once.
            if (history.IsOpen(outcome.SignalId))
            {
                history.OnResolved(outcome);
                recorder.OnResolved(outcome);
            }
        }

        history.AddRange(restored.Tracked);

        // Signals raised after the last checkpoint are in the event log but not in the checkpoint's tracking: follow
        // them again too, so every signal still resolves.
        var tracked = restored.Tracked.Select(t => t.SignalId).ToHashSet(StringComparer.Ordinal);
        var untracked = history.Snapshot()
            .Where(t => t.Outcome is null && !tracked.Contains(t.Signal.SignalId) && SymbolCatalogue.Default.TryGet(t.Signal.Symbol, out _))
            .Select(t => new OpenSignalState(t.Signal, SymbolCatalogue.Default.Get(t.Signal.Symbol).PipSize, 0, 0))
            .ToList();
        kernel.Post(() => signals.Tracker.Restore(untracked));
        signals.Switchboard?.Preload(history.Snapshot(), history.Earlier);
        var overrides = PatternOverrides.Replay(new EventReader(store).Read(EventTypes.UserAction));
        foreach (var (pattern, choice) in overrides.Where(o => o.Value != PatternOverride.None))
        {
            signals.Switchboard?.Override(pattern, choice);
        }

        var states = signals.Switchboard?.States ?? PatternStates.None;
        IReadOnlyList<string> keptOn = [.. states.KeptOn.Select(p => p.WireName()).Order(StringComparer.Ordinal)];
        IReadOnlyList<string> switchedOff = [.. states.DisabledByAdmin.Select(p => p.WireName()).Order(StringComparer.Ordinal)];
        log.LogInformation("History: {Signals} signals from the event log ({Skipped} unreadable, {Untracked} tracked again); {Disabled} patterns disabled; kept on by an admin: {KeptOn}; switched off by an admin: {SwitchedOff}",
            loaded, history.SkippedOnLoad, untracked.Count, signals.Switchboard?.Disabled ?? 0, keptOn.Count > 0 ? string.Join(", ", keptOn) : "none",
            switchedOff.Count > 0 ? string.Join(", ", switchedOff) : "none");

        // The detectors' look-back as it was: the last closed candles of each symbol, before any live one.
        var warm = CandleRecorder.Warm(new CandleStore(store), symbols, eliteGuard.HistoryCandles);
        kernel.Post(() => signals.Guard.Warm(warm));
        var warmSymbols = warm.Select(c => c.Symbol).Distinct().Count();
        log.LogInformation("Restored {Missions} live missions, {Fires} fires in flight, {Positions} positions, {Tracked} tracked signals; warmed {Candles} M5 candles over {Symbols} symbols",
            restored.Missions, restored.Fires, restored.Positions, restored.Tracked.Count, warm.Count, warmSymbols);
        // Before the kernel starts, like the outcomes recorded above: nothing else touches the book yet.
        var caughtUp = progression?.Restore(new EventReader(store), symbols) ?? 0;
        if (progression is not null)
        {
            log.LogInformation("Progression: {Users} users' XP rebuilt from the event log; {CaughtUp} awards caught up", progression.Book.Users, caughtUp);
        }

        return new RecoveryReport(userCount, restored.Missions, restored.Fires, restored.Positions, restored.Tracked.Count, loaded,
            history.SkippedOnLoad, untracked.Count, signals.Switchboard?.Disabled ?? 0, keptOn, warm.Count, warmSymbols, switchedOff, caughtUp);
    }
}
