using Bitten.Domain.Trading;

namespace Bitten.Engine.Execution;

/// <summary>
/// Every fire the desk still follows — in flight, or filled with its position open — and the ids of fires that ended
/// lately. It is the one place a fire's status changes, so each user's in-flight count (and with it their slots) is
/// derived from it and from nothing else. Ended fires leave; their ids stay for a while (time- and count-bounded)
/// so a late or repeated confirmation is known as a duplicate rather than a stranger.
/// </summary>
internal sealed class FireBook(long endedWindowMs, int endedCapacity)
{
    private readonly Dictionary<string, LiveFire> _live = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _ended = new(StringComparer.Ordinal);
    private readonly Queue<(string FireId, long EndedAtMs)> _endedOrder = new();

    /// <summary>Fires in flight or open.</summary>
    public int LiveCount => _live.Count;

    /// <summary>Ids of ended fires still remembered.</summary>
    public int EndedCount => _ended.Count;

    public bool TryGet(string fireId, out LiveFire fire) => _live.TryGetValue(fireId, out fire!);

    /// <summary>Whether the fire is live or ended lately.</summary>
    public bool IsKnown(string fireId) => _live.ContainsKey(fireId) || _ended.ContainsKey(fireId);

    public bool HasEnded(string fireId) => _ended.ContainsKey(fireId);

    public LiveFire Add(Trader trader, FireOrder order, LiveFireStatus status)
    {
        var fire = new LiveFire(trader, order, status);
        _live[order.FireId] = fire;
        trader.Fires[order.FireId] = fire;
        if (status == LiveFireStatus.Sent)
        {
            trader.InFlight++;
        }

        return fire;
    }

    /// <summary>A fire in flight was filled: it holds its slot through its position from now on.</summary>
    public void Filled(LiveFire fire)
    {
        if (fire.Status == LiveFireStatus.Sent)
        {
            fire.Status = LiveFireStatus.Filled;
            fire.Trader.InFlight--;
        }
    }

    /// <summary>A fire ended (failed, never confirmed, or its position closed): it leaves, its id is remembered.</summary>
    public void End(LiveFire fire, long nowMs)
    {
        var id = fire.Order.FireId;
        if (!_live.Remove(id))
        {
            return;
        }

        fire.Trader.Fires.Remove(id);
        if (fire.Status == LiveFireStatus.Sent)
        {
            fire.Trader.InFlight--;
        }

        _ended[id] = nowMs;
        _endedOrder.Enqueue((id, nowMs));
        Purge(nowMs);
    }

    /// <summary>The user's fires still waiting for their EA's answer, oldest first.</summary>
    public List<LiveFire> InFlightOf(Trader trader)
    {
        var inFlight = new List<LiveFire>(trader.InFlight);
        foreach (var fire in trader.Fires.Values)
        {
            if (fire.Status == LiveFireStatus.Sent)
            {
                inFlight.Add(fire);
            }
        }

        inFlight.Sort(static (a, b) => a.Order.CreatedAtMs.CompareTo(b.Order.CreatedAtMs));
        return inFlight;
    }

    /// <summary>
    /// The user's fires in flight created at or before <paramref name="createdAtOrBeforeMs"/>, oldest first, or null
    /// when there are none (the common case, checked on every clock message, allocates nothing).
    /// </summary>
    public List<LiveFire>? InFlightSince(Trader trader, long createdAtOrBeforeMs)
    {
        List<LiveFire>? due = null;
        foreach (var fire in trader.Fires.Values)
        {
            if (fire.Status == LiveFireStatus.Sent && fire.Order.CreatedAtMs <= createdAtOrBeforeMs)
            {
                (due ??= []).Add(fire);
            }
        }

        due?.Sort(static (a, b) => a.Order.CreatedAtMs.CompareTo(b.Order.CreatedAtMs));
        return due;
    }

    /// <summary>Forgets ended ids older than the window, and the oldest beyond the capacity.</summary>
    public void Purge(long nowMs)
    {
        while (_endedOrder.TryPeek(out var oldest) && (nowMs - oldest.EndedAtMs > endedWindowMs || _endedOrder.Count > endedCapacity))
        {
            _endedOrder.Dequeue();
            _ended.Remove(oldest.FireId);
        }
    }
}
