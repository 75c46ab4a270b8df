using System.Collections.Concurrent;
using Bitten.Domain.Events;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Domain.Trading;

namespace Bitten.Web.ReadModels;

/// <summary>One fire as the pages show it, after the last event about it.</summary>
public sealed record FireView(
    string FireId,
    string? MissionId,
    string Symbol,
    Direction Direction,
    string Status,
    long? Ticket,
    double? FillPrice,
    decimal Lot,
    double? ClosePrice,
    double? Pips,
    decimal? Profit,
    string? Message,
    long? OpenedAtMs,
    long? ClosedAtMs,
    string? CloseReason);

/// <summary>A closed trade of the performance page.</summary>
public sealed record TradeView(
    string FireId,
    string? MissionId,
    string Symbol,
    string Direction,
    decimal Lot,
    double? OpenPrice,
    double? ClosePrice,
    long? OpenedAt,
    long ClosedAt,
    double? Pips,
    decimal? Profit,
    string CloseReason);

public readonly record struct BalancePoint(long T, decimal Balance);

public readonly record struct SlotPoint(long T, int Used);

/// <summary>
/// A user's performance: the last <see cref="TraderActivity.TradesKept"/> closed trades oldest first, balance and
/// slot-use points, and totals over every trade this process saw close (not only the kept ones).
/// </summary>
public sealed record PerformanceView(
    IReadOnlyList<TradeView> Trades,
    IReadOnlyList<BalancePoint> Equity,
    int Wins,
    int Losses,
    double? WinRate,
    double TotalPips,
    decimal TotalProfit,
    IReadOnlyList<SlotPoint> Slots);

/// <summary>
/// Every user's fires, closed trades, balance and slot history, folded from the desk's typed events on the kernel
/// thread and read on request threads under a per-user lock. Bounded: the newest fires, trades and points per user
/// only. Starts empty each run (it is fed by this process's events, not the stored log).
/// </summary>
public sealed class TraderActivity
{
    public const int TradesKept = 500;
    public const int PointsKept = 1_000;
    public const int FiresKept = 200;

    private readonly ConcurrentDictionary<long, UserActivity> _users = new();

    /// <summary>Applies one event; returns the fire it changed, if any (the stream publishes it).</summary>
    public FireView? Apply(TradingEvent e)
    {
        if (e is not TraderEvent t)
        {
            return null;
        }

        var user = _users.GetOrAdd(t.UserId, _ => new UserActivity());
        lock (user)
        {
            return user.Apply(t);
        }
    }

    public PerformanceView PerformanceOf(long userId)
    {
        if (!_users.TryGetValue(userId, out var user))
        {
            return new PerformanceView([], [], 0, 0, null, 0, 0m, []);
        }

        lock (user)
        {
            return user.Performance();
        }
    }

    public FireView? FireOf(long userId, string fireId)
    {
        if (!_users.TryGetValue(userId, out var user))
        {
            return null;
        }

        lock (user)
        {
            return user.Fires.GetValueOrDefault(fireId);
        }
    }

    private sealed class UserActivity
    {
        private readonly Queue<string> _fireOrder = new();
        private readonly Queue<TradeView> _trades = new();
        private readonly Queue<BalancePoint> _equity = new();
        private readonly Queue<SlotPoint> _slots = new();
        private int _slotsUsed;
        private int _wins;
        private int _losses;
        private double _pips;
        private decimal _profit;

        public Dictionary<string, FireView> Fires { get; } = new(StringComparer.Ordinal);

        public FireView? Apply(TraderEvent e)
        {
            switch (e)
            {
                case FireSent { Attempt: 1 } sent:
                    UseSlots(sent.TimeMs, _slotsUsed + 1);
                    return Put(new FireView(sent.FireId, sent.MissionId, sent.Symbol, sent.Direction, "sent", null, null, sent.Lot, null, null, null,
                        null, null, null, null));
                case FireFilled filled:
                    return Put(Fire(filled.FireId, filled.MissionId, filled.Symbol, filled.Direction, filled.Lot) with
                    {
                        Status = "filled", Ticket = filled.Ticket, FillPrice = filled.Price, Lot = filled.Lot, OpenedAtMs = filled.TimeMs,
                    });
                case PositionAdopted adopted:
                    UseSlots(adopted.TimeMs, _slotsUsed + 1);
                    return Put(Fire(adopted.FireId, null, adopted.Symbol, adopted.Direction, adopted.Lot) with
                    {
                        Status = "filled", Ticket = adopted.Ticket, FillPrice = adopted.Price, OpenedAtMs = adopted.TimeMs,
                    });
                case FireFailed { FireId: { } fireId } failed:
                    return Put(Fire(fireId, failed.MissionId, failed.Symbol, default, 0m) with { Status = "failed", Message = failed.Message });
                case PositionClosed closed:
                    return Close(closed);
                case SlotReleased released:
                    UseSlots(released.TimeMs, released.SlotsUsed);
                    return released.Reason == SlotReleaseReason.OrphanTimeout && Fires.TryGetValue(released.FireId, out var orphan)
                        ? Put(orphan with { Status = "failed", Message = "never confirmed by the EA" })
                        : null;
                case BalanceUpdated balance:
                    Keep(_equity, new BalancePoint(balance.TimeMs, balance.Balance));
                    return null;
                default:
                    return null;
            }
        }

        public PerformanceView Performance()
        {
            var resolved = _wins + _losses;
            return new PerformanceView([.. _trades], [.. _equity], _wins, _losses, resolved == 0 ? null : Math.Round(100.0 * _wins / resolved, 1),
                Math.Round(_pips, 1), _profit, [.. _slots]);
        }

        private FireView? Close(PositionClosed closed)
        {
            var fire = Fire(closed.FireId, closed.MissionId, closed.Symbol, closed.Direction, closed.Lot);
            var pips = PipsOf(closed.Symbol, closed.Direction, fire.FillPrice, closed.ClosePrice);
            var reason = closed.Reason.WireName();
            fire = fire with
            {
                Status = "closed", ClosePrice = closed.ClosePrice, Profit = closed.Profit, Pips = pips, ClosedAtMs = closed.TimeMs,
                MissionId = fire.MissionId ?? closed.MissionId, CloseReason = reason,
            };
            Keep(_trades, new TradeView(fire.FireId, fire.MissionId, fire.Symbol, fire.Direction.WireName(), fire.Lot, fire.FillPrice, fire.ClosePrice,
                fire.OpenedAtMs, closed.TimeMs, pips, closed.Profit, reason), TradesKept);
            // Profit decides when the EA said it (swap and commission count); pips only without it.
            var sign = closed.Profit is { } profit ? Math.Sign(profit) : Math.Sign(pips ?? 0);
            _wins += sign > 0 ? 1 : 0;
            _losses += sign < 0 ? 1 : 0;
            _pips += pips ?? 0;
            _profit += closed.Profit ?? 0m;
            return Put(fire);
        }

        private FireView Fire(string fireId, string? missionId, string symbol, Direction direction, decimal lot) =>
            Fires.TryGetValue(fireId, out var known)
                ? known
                : new FireView(fireId, missionId, symbol, direction, "sent", null, null, lot, null, null, null, null, null, null, null);

        private FireView Put(FireView fire)
        {
            if (Fires.TryAdd(fire.FireId, fire))
            {
                _fireOrder.Enqueue(fire.FireId);
                while (_fireOrder.Count > FiresKept)
                {
                    Fires.Remove(_fireOrder.Dequeue());
                }
            }
            else
            {
                Fires[fire.FireId] = fire;
            }

            return fire;
        }

        private void UseSlots(long timeMs, int used)
        {
            _slotsUsed = Math.Max(0, used);
            Keep(_slots, new SlotPoint(timeMs, _slotsUsed));
        }

        private static void Keep<T>(Queue<T> queue, T item, int limit = PointsKept)
        {
            queue.Enqueue(item);
            while (queue.Count > limit)
            {
                queue.Dequeue();
            }
        }

        private static double? PipsOf(string symbol, Direction direction, double? open, double? close) =>
            open is { } o && close is { } c && SymbolCatalogue.Default.TryGet(symbol, out var spec)
                ? Math.Round((direction == Direction.Buy ? c - o : o - c) / spec.PipSize, 1)
                : null;
    }
}
