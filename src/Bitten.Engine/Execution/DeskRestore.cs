using Bitten.Domain.Signals;
using Bitten.Domain.Trading;

namespace Bitten.Engine.Execution;

/// <summary>
/// A start, after a clean stop or a crash alike: the last checkpoint first, then what the store saw after it — fires
/// committed as sent and unconfirmed, fires the journal saw end, positions the projection holds open. The store is
/// newer than the checkpoint, so where they disagree the store wins.
/// </summary>
internal sealed class DeskRestore(ExecutionDesk desk)
{
    public void Apply(DeskSnapshot snapshot, IEnumerable<FireOrder> unconfirmed, Func<Signal, Signal> remap, IEnumerable<FireEnding> endings,
        IEnumerable<OpenPosition> storedPositions)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(unconfirmed);
        ArgumentNullException.ThrowIfNull(remap);
        desk.FireSequence = snapshot.FireSequence;
        desk.RestoreEmergencyStop(snapshot.EmergencyStop);
        foreach (var saved in snapshot.Traders)
        {
            if (desk.TryGetTrader(saved.UserId, out var trader))
            {
                PutBack(trader, saved, remap);
            }
        }

        foreach (var order in unconfirmed)
        {
            AddUnconfirmed(order);
        }

        // A fire the journal records as ended is settled now (its position opened or its slot released, with their
        // events), never sent again.
        var now = desk.ClockNow;
        foreach (var ending in endings)
        {
            if (desk.Fires.TryGet(ending.FireId, out var fire) && fire.Status == LiveFireStatus.Sent && (!ending.Filled || ending.Ticket is > 0))
            {
                desk.Settle(fire, ending.Filled, ending.Ticket ?? 0, ending.Price ?? 0, fire.Order.Lot, ending.Message, now);
            }
        }

        // Positions the store's projection holds open that the checkpoint never saw: held again (with their slots), so
        // the next heartbeat either confirms them or closes them, with events, as missing.
        foreach (var position in storedPositions)
        {
            HoldStored(position, now);
        }
    }

    private void PutBack(Trader trader, TraderSnapshot saved, Func<Signal, Signal> remap)
    {
        trader.Account = saved.Account;
        trader.DayStartBalance = saved.DayStartBalance;
        trader.DayStartDay = saved.DayStartDay;
        trader.PeakEquity = saved.PeakEquity;
        foreach (var mission in saved.Missions)
        {
            desk.Missions.Restore(trader, mission with { Signal = remap(mission.Signal) });
        }

        foreach (var order in saved.InFlight)
        {
            desk.Fires.Add(trader, order, LiveFireStatus.Sent);
        }

        foreach (var order in saved.Filled)
        {
            desk.Fires.Add(trader, order, LiveFireStatus.Filled);
        }

        foreach (var position in saved.Positions)
        {
            trader.Positions[position.Ticket] = position;
        }
    }

    private void AddUnconfirmed(FireOrder order)
    {
        if (desk.Fires.TryGet(order.FireId, out var known))
        {
            // The checkpoint saw its fill, the journal never recorded it (the crash came between): record it now.
            if (known.Status != LiveFireStatus.Sent)
            {
                desk.Outbox.Completed(order.FireId, true, null, null, "filled before the restart");
            }

            return;
        }

        if (desk.TryGetTrader(order.UserId, out var trader))
        {
            desk.Fires.Add(trader, order, LiveFireStatus.Sent);
            desk.FireSequence = ExecutionDesk.SequenceOf(order.FireId);
            trader.Update(order.MissionId, m => m with { Status = MissionStatus.Fired, FireId = order.FireId });
        }
    }

    private void HoldStored(OpenPosition position, long now)
    {
        if (!desk.TryGetTrader(position.UserId, out var trader) || trader.Positions.ContainsKey(position.Ticket))
        {
            return;
        }

        if (desk.Fires.TryGet(position.FireId, out var fire) && fire.Status == LiveFireStatus.Sent)
        {
            // Filled before the restart, its confirmation never journalled: record it now, or a later start would find
            // it unconfirmed and send it again.
            desk.Fires.Filled(fire);
            desk.Outbox.Completed(position.FireId, true, position.Ticket, position.OpenPrice, "filled before the restart");
            desk.Missions.Change(trader, fire.Order.MissionId, m => m with { Status = MissionStatus.Filled }, now);
        }

        trader.Positions[position.Ticket] = position;
    }
}
