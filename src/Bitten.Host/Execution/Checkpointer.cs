using System.Text.Json;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Domain.Trading;
using Bitten.Engine.Execution;
using Bitten.Engine.Kernel;
using Bitten.Engine.Signals;
using Bitten.Engine.Tracking;
using Bitten.Persistence;
using Bitten.Persistence.Events;
using Microsoft.Extensions.Logging;

namespace Bitten.Host.Execution;

/// <summary>What a start found to resume: counts for the log, and the signals still being tracked.</summary>
public sealed record RestoredState(int Missions, int Fires, int Positions, IReadOnlyList<Signal> Tracked, IReadOnlyList<SignalOutcome> RecentOutcomes);

/// <summary>The kernel's live state as one checkpoint: the desk's and every signal still being tracked.</summary>
/// <remarks>
/// <see cref="RecentOutcomes"/> covers the gap between the event log's writer and the checkpoint: an outcome whose
/// event was still queued when the process died is in the checkpoint that no longer lists its signal as open.
/// </remarks>
public sealed record KernelState(DeskSnapshot Desk, IReadOnlyList<OpenSignalState> Tracking, IReadOnlyList<SignalOutcome>? RecentOutcomes = null,
    TunerState? Tuner = null);

/// <summary>The last outcomes resolved, kept on the kernel thread for the checkpoint.</summary>
public sealed class RecentOutcomes : IOutcomeSink
{
    public const int Capacity = 1000;

    private readonly Queue<SignalOutcome> _recent = new();

    public IReadOnlyList<SignalOutcome> Snapshot() => [.. _recent];

    public void OnResolved(in SignalOutcome outcome)
    {
        _recent.Enqueue(outcome);
        if (_recent.Count > Capacity)
        {
            _recent.Dequeue();
        }
    }
}

/// <summary>
/// Checkpoints the kernel's live state whenever it changed (at most every interval), and puts it back at start. The
/// snapshot is taken on the kernel thread (a consistent cut) and serialised and stored on this task, off it. A start
/// after a crash and a normal start take the same path: load the checkpoint, add the fires the store holds as sent
/// and unconfirmed, resume.
/// </summary>
/// <remarks>
/// The checkpoint is written through the event log's writer, so it commits after every event appended before it was
/// taken: the store never holds a checkpoint that is ahead of its own event log.
/// </remarks>
public sealed class Checkpointer(TradingKernel kernel, ExecutionDesk desk, OutcomeTracker tracker, RecentOutcomes outcomes, StateStore store,
    EventLog writer, TimeProvider clock, ILogger logger, ThresholdTuner? tuner = null, SymbolRegistry? tunerSymbols = null)
{
    // Tracked signals' excursions change on every tick; they are saved at least this often while any is open.
    private static readonly TimeSpan RefreshOpen = TimeSpan.FromSeconds(5);

    // Checkpoint characters written per second at most, whatever the interval: about a tenth of one core on these machines.
    private const int CharsPerSecond = 4_000_000;

    private Change _saved = new(-1, -1, -1, -1);
    private long _savedAt;
    private long _nextAfter;

    public long Checkpoints { get; private set; }

    /// <summary>The last checkpoint's size in UTF-16 characters of JSON (what a soak watches: it grows with the live state).</summary>
    public long LastChars { get; private set; }

    /// <summary>Queues the restore on the kernel (after the users already posted to it); call before the kernel starts.</summary>
    public RestoredState Restore(FireStore fires, ProjectionStore projections, IEnumerable<string> eaUuids, SymbolRegistry symbols)
    {
        var state = store.Load() is { } saved ? CheckpointJson.Read(saved.StateJson) : null;
        // A crash between a batch's commit and its filing leaves it unfiled: filed now, so its missions and slots are
        // in the projections before anything reads them (the fires themselves read the same either way).
        if (fires.FileBatches() is { Filed: > 0 } filed)
        {
            logger.LogInformation("Filed {Count} fires committed in a batch before the last stop", filed.Filed);
        }

        var unconfirmed = fires.Unconfirmed(eaUuids).Select(f => new FireOrder(f.EaUuid, f.FireId, f.UserId, f.MissionId, f.SignalId,
            f.Symbol, f.Direction == "BUY" ? Direction.Buy : Direction.Sell, f.Lot, f.StopLoss, f.TakeProfit, f.CreatedAtMs, Math.Max(1, f.SentCount),
            f.ExecutionMode == "MANUAL" ? FireSource.Manual : FireSource.Auto)).ToList();
        Signal Remap(Signal signal) => signal with { SymbolId = symbols.GetOrAdd(signal.Symbol) };
        var desks = state?.Desk ?? new DeskSnapshot(0, Domain.Trading.EmergencyStop.None, []);
        var tracking = state?.Tracking.Select(t => t with { Signal = Remap(t.Signal) }).ToList() ?? [];
        // What the store saw after the checkpoint: how fires the checkpoint has in flight ended, and positions it never saw.
        var endings = fires.Get(desks.Traders.SelectMany(t => t.InFlight).Select(f => f.FireId))
            .Where(f => f.Status is FireStatus.Filled or FireStatus.Failed)
            .Select(f => new FireEnding(f.FireId, f.Status == FireStatus.Filled, f.Ticket, f.FillPrice, f.Message)).ToList();
        var positions = projections.OpenPositions().Select(ToPosition).OfType<OpenPosition>().ToList();
        var tunerState = state?.Tuner;
        kernel.Post(() =>
        {
            desk.Restore(desks, unconfirmed, Remap, endings, positions);
            tracker.Restore(tracking);
            if (tunerState is not null)
            {
                // The threshold it had learnt, not the configured one: a restart must not undo a day of tuning.
                tuner?.Restore(tunerState, symbols.GetOrAdd);
            }
        });
        // A fire the checkpoint holds in flight is usually in the store as sent and unconfirmed too: counted once.
        var inFlight = desks.Traders.SelectMany(t => t.InFlight).Select(f => f.FireId).Concat(unconfirmed.Select(f => f.FireId))
            .Distinct(StringComparer.Ordinal).Count();
        return new RestoredState(desks.Traders.Sum(t => t.Missions.Count), inFlight,
            desks.Traders.Sum(t => t.Positions.Count), [.. tracking.Select(t => t.Signal)], state?.RecentOutcomes ?? []);
    }

    private static OpenPosition? ToPosition(StoredPosition p) =>
        long.TryParse(p.UserId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var user)
            ? new OpenPosition(p.Ticket, p.FireId ?? "", user, p.Symbol, p.Direction == "BUY" ? Direction.Buy : Direction.Sell, (decimal)p.Volume,
                p.OpenPrice, p.StopLoss ?? 0, p.TakeProfit ?? 0, p.OpenedAtMs, Adopted: false)
            : null;

    public async Task RunAsync(TimeSpan interval, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, clock, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            await SaveAsync(force: false);
        }

        // A clean stop leaves the latest state behind; a crash leaves the last checkpoint plus the fire journal.
        await SaveAsync(force: true);
    }

    public async Task SaveAsync(bool force)
    {
        try
        {
            var now = clock.GetTimestamp();
            if (!force && now < _nextAfter)
            {
                return;
            }

            var taken = await kernel.AskAsync(() =>
            {
                var key = new Change(desk.Version, tracker.OpenCount, tracker.ResolvedCount, tuner?.Version ?? 0);
                var stale = key != _saved || (tracker.OpenCount > 0 && clock.GetElapsedTime(_savedAt, now) >= RefreshOpen);
                return force || stale
                    ? new Taken(key, new KernelState(desk.Snapshot(), tracker.Open, outcomes.Snapshot(),
                        tuner is not null && tunerSymbols is not null ? tuner.Snapshot(tunerSymbols.NameOf) : null))
                    : null;
            });
            if (taken is null)
            {
                return;
            }

            var takenAt = clock.GetUtcNow().ToUnixTimeMilliseconds();
            var json = CheckpointJson.Write(taken.State);
            await writer.CommitAsync((connection, transaction) => StateStore.Save(takenAt, taken.Key.Desk, json, connection, transaction));
            _saved = taken.Key;
            _savedAt = now;
            // A big state costs its checkpoint (a snapshot on the kernel thread, a string, a commit) in proportion to its
            // size: the next one waits a second per CharsPerSecond written, so a state of 40,000 missions is saved every
            // few seconds instead of back to back. Small states (most) wait nothing beyond the interval.
            _nextAfter = now + (long)(clock.TimestampFrequency * (json.Length / (double)CharsPerSecond));
            Checkpoints++;
            LastChars = json.Length;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Checkpoint failed; the fire journal still holds every fire");
        }
    }

    /// <summary>What a checkpoint is compared by: the desk's version, the tracker's counts and the tuner's changes.</summary>
    private readonly record struct Change(long Desk, int Open, long Resolved, int Tuner);

    private sealed record Taken(Change Key, KernelState State);
}
