using Bitten.Domain.Signals;
using Bitten.Domain.Trading;

namespace Bitten.Engine.Execution;

/// <summary>
/// Missions of every user: made from signals (one per eligible user, never two for one signal), expired when their
/// window closes unfired, and let go once finished. The event log and its missions projection keep the history; in
/// memory a user keeps their live missions plus their most recent finished ones (for the API), bounded in number
/// and in age, and the desk remembers signal ids only as long as a duplicate of one could still matter.
/// </summary>
internal sealed class MissionBook(long retainMs, int finishedPerUser)
{
    private readonly Dictionary<string, long> _signals = new(StringComparer.Ordinal);
    private readonly Queue<(string SignalId, long ExpiresAtMs)> _signalOrder = new();
    private readonly PriorityQueue<(Trader Trader, string MissionId), long> _expiries = new();

    public int SignalCount => _signals.Count;

    public int PendingExpiries => _expiries.Count;

    public bool HasSignal(string signalId) => _signals.ContainsKey(signalId);

    /// <summary>Takes a signal id unless it was taken already; remembered until its window (<paramref name="expiresAtMs"/>) is long past.</summary>
    public bool TryTake(string signalId, long expiresAtMs)
    {
        if (!_signals.TryAdd(signalId, expiresAtMs))
        {
            return false;
        }

        _signalOrder.Enqueue((signalId, expiresAtMs));
        return true;
    }

    public Mission Create(Trader trader, Signal signal, long nowMs, long expiresAtMs)
    {
        var mission = new Mission(MissionStatuses.MissionId(signal.SignalId, trader.UserId), trader.UserId, signal, nowMs, expiresAtMs,
            MissionStatus.Pending, null);
        trader.Missions[mission.MissionId] = mission;
        _expiries.Enqueue((trader, mission.MissionId), expiresAtMs);
        return mission;
    }

    /// <summary>A mission from a checkpoint: back in place, its signal taken, its expiry queued while it is pending.</summary>
    public void Restore(Trader trader, Mission mission)
    {
        trader.Missions[mission.MissionId] = mission;
        TryTake(mission.Signal.SignalId, mission.ExpiresAtMs);
        if (mission.Status == MissionStatus.Pending)
        {
            _expiries.Enqueue((trader, mission.MissionId), mission.ExpiresAtMs);
        }
    }

    /// <summary>Records a mission change; a mission that reached an end (FAILED, CLOSED, EXPIRED) is queued to be let go.</summary>
    public Mission? Change(Trader trader, string missionId, Func<Mission, Mission> change, long nowMs)
    {
        var changed = trader.Update(missionId, change);
        if (changed is { Status: MissionStatus.Failed or MissionStatus.Closed or MissionStatus.Expired })
        {
            trader.Finished.Enqueue((missionId, nowMs));
            LetGo(trader, nowMs);
        }

        return changed;
    }

    /// <summary>Whether a mission's window has closed by <paramref name="nowMs"/>: the clock asks on every tick of it, and mostly none has.</summary>
    public bool AnyDue(long nowMs) => _expiries.TryPeek(out _, out var at) && at <= nowMs;

    /// <summary>Pending missions whose window has closed, each once.</summary>
    public IEnumerable<(Trader Trader, Mission Mission)> DueAt(long nowMs)
    {
        while (_expiries.TryPeek(out var due, out var at) && at <= nowMs)
        {
            _expiries.Dequeue();
            if (due.Trader.Missions.TryGetValue(due.MissionId, out var mission) && mission.Status == MissionStatus.Pending)
            {
                yield return (due.Trader, mission);
            }
        }
    }

    /// <summary>Forgets signals whose window closed more than the retention ago, and finished missions past it.</summary>
    public void Purge(long nowMs, IEnumerable<Trader> traders)
    {
        while (_signalOrder.TryPeek(out var oldest) && nowMs - oldest.ExpiresAtMs > retainMs)
        {
            _signalOrder.Dequeue();
            _signals.Remove(oldest.SignalId);
        }

        foreach (var trader in traders)
        {
            LetGo(trader, nowMs);
        }
    }

    private void LetGo(Trader trader, long nowMs)
    {
        while (trader.Finished.TryPeek(out var oldest) && (trader.Finished.Count > finishedPerUser || nowMs - oldest.FinishedAtMs > retainMs))
        {
            trader.Finished.Dequeue();
            if (trader.Missions.TryGetValue(oldest.MissionId, out var mission)
                && mission.Status is MissionStatus.Failed or MissionStatus.Closed or MissionStatus.Expired)
            {
                trader.Missions.Remove(oldest.MissionId);
            }
        }
    }
}
