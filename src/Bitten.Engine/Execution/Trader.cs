using Bitten.Domain.Signals;
using Bitten.Domain.Trading;
using Bitten.Domain.Users;

namespace Bitten.Engine.Execution;

/// <summary>
/// One user's execution state on the kernel thread: their EA, account and limits, the specs their EA reported, their
/// missions, their live fires (in flight or filled and open) and their open positions. The pieces of the desk change
/// it; nothing outside the desk sees it.
/// </summary>
internal sealed class Trader(User user)
{
    public User User { get; set; } = user;

    public long UserId => User.UserId;

    public long? EaLastSeenMs { get; set; }

    public AccountSnapshot? Account { get; set; }

    public decimal DayStartBalance { get; set; }

    public long DayStartDay { get; set; } = -1;

    public decimal PeakEquity { get; set; }

    public Dictionary<string, TradingSpec> Specs { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Live missions (pending, fired, filled) and the most recent finished ones (see <see cref="MissionBook"/>).</summary>
    public Dictionary<string, Mission> Missions { get; } = new(StringComparer.Ordinal);

    /// <summary>Finished missions in the order they finished, oldest first: the ones <see cref="MissionBook"/> lets go first.</summary>
    public Queue<(string MissionId, long FinishedAtMs)> Finished { get; } = new();

    /// <summary>Live fires, owned by <see cref="FireBook"/>: in flight or filled with an open position.</summary>
    public Dictionary<string, LiveFire> Fires { get; } = new(StringComparer.Ordinal);

    /// <summary>Fires sent and not yet confirmed; only <see cref="FireBook"/> moves it, with the fire's status.</summary>
    public int InFlight { get; set; }

    public Dictionary<long, OpenPosition> Positions { get; } = [];

    public HashSet<long> CloseRequested { get; } = [];

    /// <summary>Whether this process has heard from the user's EA yet.</summary>
    public bool SeenThisRun { get; set; }

    /// <summary>A slot is held from fire until the position closes: fires in flight plus open positions.</summary>
    public int SlotsUsed => InFlight + Positions.Count;

    /// <summary>The slot limit: the auto band's slots in AUTO mode, the tier's manual slots otherwise.</summary>
    public int SlotLimit => ExecutionDesk.SlotLimit(User);

    public bool EaAliveAt(long now) => EaLastSeenMs is { } seen && now - seen <= FireDecision.EaSilenceLimitMs;

    /// <summary>Whether a position or a fire in flight on the symbol goes the other way.</summary>
    public bool HasOpposite(string symbol, Direction direction)
    {
        // Loops, not LINQ: this runs once per user per signal.
        foreach (var position in Positions.Values)
        {
            if (position.Direction != direction && string.Equals(position.Symbol, symbol, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        foreach (var fire in Fires.Values)
        {
            if (fire.Status == LiveFireStatus.Sent && fire.Order.Direction != direction
                && string.Equals(fire.Order.Symbol, symbol, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Changes a mission if the user still has it (a fire restored after a crash may outlive its mission).</summary>
    public Mission? Update(string missionId, Func<Mission, Mission> change)
    {
        if (!Missions.TryGetValue(missionId, out var mission))
        {
            return null;
        }

        var changed = change(mission);
        Missions[missionId] = changed;
        return changed;
    }
}

internal enum LiveFireStatus
{
    Sent,
    Filled,
}

/// <summary>A fire the desk still follows: in flight, or filled with its position open.</summary>
internal sealed class LiveFire(Trader trader, FireOrder order, LiveFireStatus status)
{
    public Trader Trader { get; } = trader;

    public FireOrder Order { get; set; } = order;

    public LiveFireStatus Status { get; set; } = status;

    /// <summary>When it was last handed to the outbox (first sent, or sent again): what a heartbeat's resend measures from.</summary>
    public long LastSentMs { get; set; } = order.CreatedAtMs;
}
