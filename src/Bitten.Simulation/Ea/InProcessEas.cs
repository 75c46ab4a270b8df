using System.Runtime.CompilerServices;
using Bitten.Domain.Market;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Domain.Trading;
using Bitten.Engine.Execution;
using Bitten.Engine.Kernel;
using Bitten.Wire.Ea;

namespace Bitten.Simulation.Ea;

/// <summary>Sees what the paper EAs of a replay did, on the replay's thread (for reports and pinned transcripts).</summary>
public interface IPaperAccountObserver
{
    /// <summary>A fire reached its EA and got this answer.</summary>
    void OnFire(FireOrder order, FireConfirmation answer, long timeMs);

    /// <summary>A position closed at its EA (SL, TP or by command).</summary>
    void OnClose(CloseConfirmation close, long timeMs);

    /// <summary>The account as the EA reported it in HELLO or a heartbeat.</summary>
    void OnAccount(string eaUuid, AccountReport account, long timeMs);
}

/// <summary>
/// Paper-broker EAs wired to the execution desk in-process, for replay: the desk's outbox queues orders, and
/// <see cref="Pump"/> — called by the replay's one thread after each kernel message — hands them to the paper broker
/// and feeds its answers, its SL/TP closes and its heartbeats back to the desk through the same public calls the EA
/// gateway makes (<see cref="ExecutionDesk.OnFill"/>, <see cref="ExecutionDesk.OnClose"/>,
/// <see cref="ExecutionDesk.OnCheckIn"/>). No sockets, no threads, no latency: a fire is answered before the next tick.
/// </summary>
/// <remarks>
/// Per tick this only stores the quote; the brokers see prices only while they hold a position in that symbol (a
/// fill is given the symbol's last quote first), so a replay with nothing open costs next to nothing per tick.
/// </remarks>
public sealed class InProcessEas : IExecutionOutbox, ITickObserver
{
    private readonly SymbolRegistry _symbols;
    private readonly IPaperAccountObserver? _observer;
    private readonly List<Ea> _eas;
    private readonly Dictionary<string, Ea> _byUuid = new(StringComparer.Ordinal);
    private readonly Queue<EaOrder> _orders = new();
    private Tick[] _last = [];
    private int[] _open = [];
    private bool _quoted;
    private long _nextHeartbeatMs = long.MinValue;
    private ExecutionDesk? _desk;

    public InProcessEas(IReadOnlyList<SimulatedEaOptions> eas, SymbolRegistry symbols, IPaperAccountObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(eas);
        ArgumentNullException.ThrowIfNull(symbols);
        _symbols = symbols;
        _observer = observer;
        _eas = [.. eas.Select(o => new Ea(o))];
        foreach (var ea in _eas)
        {
            if (!_byUuid.TryAdd(ea.Options.Uuid, ea))
            {
                throw new ArgumentException($"two paper EAs share the uuid {ea.Options.Uuid}", nameof(eas));
            }
        }
    }

    /// <summary>Orders addressed to an EA this replay does not have (none, unless a user's EA is misconfigured).</summary>
    public long Undeliverable { get; private set; }

    public PaperBroker BrokerOf(string eaUuid) => _byUuid[eaUuid].Broker;

    /// <summary>Positions closed at the EA (by SL, TP or command) since the start.</summary>
    public long ClosesOf(string eaUuid) => _byUuid[eaUuid].Closes;

    /// <summary>The largest fall of equity from its peak, in per cent of the peak, over every account report.</summary>
    public double MaxDrawdownPercentOf(string eaUuid) => _byUuid[eaUuid].MaxDrawdownPercent;

    /// <summary>Each EA says HELLO (its account and the symbols' specs), as a terminal does when it attaches.</summary>
    public void Connect(ExecutionDesk desk, IEnumerable<string> symbols, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(desk);
        ArgumentNullException.ThrowIfNull(symbols);
        _desk = desk;
        var specs = new List<TradingSpec>();
        foreach (var report in symbols.Select(SimulatedEa.SpecOf))
        {
            if (TradingSpecs.FromReport(report.Symbol, report.Digits, report.TickValue, report.TickSize, report.VolumeMin, report.VolumeStep, report.VolumeMax) is { } spec)
            {
                specs.Add(spec);
            }
        }

        foreach (var ea in _eas)
        {
            var account = ea.Broker.Account;
            ea.Sampled(account);
            _observer?.OnAccount(ea.Options.Uuid, account, nowMs);
            desk.OnCheckIn(new EaCheckIn(ea.Options.Uuid, true, Snapshot(account), [], specs));
            ea.LastHeartbeatMs = nowMs;
        }
    }

    void IExecutionOutbox.Send(EaOrder order) => _orders.Enqueue(order);

    void IExecutionOutbox.Completed(string fireId, bool filled, long? ticket, double? price, string? message)
    {
        // The fire journal's business: a replay keeps none.
    }

    /// <summary>Remembers the quote; brokers holding a position in the symbol see it (and may close on SL/TP).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void OnTick(in Tick tick)
    {
        var index = tick.Symbol.Value;
        if ((uint)index >= (uint)_last.Length)
        {
            if (index < 0)
            {
                return;
            }

            Array.Resize(ref _last, Math.Max(index + 1, 8));
            Array.Resize(ref _open, _last.Length);
        }

        _last[index] = tick;
        if (_open[index] > 0)
        {
            Quote(index);
        }
    }

    /// <summary>
    /// Whether <see cref="Pump"/> has work: an order queued, a broker that saw a price (it may have closed a position),
    /// or a heartbeat due. False in the common case, once per tick, at the cost of three comparisons.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool IsDue(long nowMs) => _orders.Count > 0 || _quoted || nowMs >= _nextHeartbeatMs;

    /// <summary>
    /// Delivers queued orders and their answers, then SL/TP closes, then heartbeats that are due (every
    /// <see cref="SimulatedEaOptions.HeartbeatSeconds"/> of replay time) — in that order, every time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Pump(long nowMs)
    {
        if (!IsDue(nowMs))
        {
            return;
        }

        var desk = _desk ?? throw new InvalidOperationException("Connect the paper EAs to the desk first");
        while (_orders.TryDequeue(out var order))
        {
            Deliver(desk, order, nowMs);
        }

        if (_quoted)
        {
            _quoted = false;
            foreach (var ea in _eas)
            {
                while (ea.Broker.TryTakeClose(out var close))
                {
                    Closed(desk, ea, close, nowMs);
                }
            }
        }

        var next = long.MaxValue;
        foreach (var ea in _eas)
        {
            if (nowMs - ea.LastHeartbeatMs >= ea.HeartbeatMs)
            {
                Heartbeat(desk, ea, nowMs);
            }

            next = Math.Min(next, ea.LastHeartbeatMs + ea.HeartbeatMs);
        }

        _nextHeartbeatMs = next;
    }

    private void Deliver(ExecutionDesk desk, EaOrder order, long nowMs)
    {
        if (!_byUuid.TryGetValue(order.EaUuid, out var ea))
        {
            Undeliverable++;
            return;
        }

        switch (order)
        {
            case FireOrder fire:
                var known = _symbols.TryGet(fire.Symbol, out var id) && (uint)id.Value < (uint)_last.Length && _last[id.Value].EventTimeMs != 0;
                if (known)
                {
                    // The broker fills at the symbol's last quote, which it only follows while it holds a position there.
                    var last = _last[id.Value];
                    ea.Broker.OnPrice(fire.Symbol, last.Bid, last.Ask, last.EventTimeMs);
                    _quoted = true;
                }

                var answer = ea.Broker.Execute(new FireCommand(fire.EaUuid, fire.FireId, fire.Symbol, fire.Direction, fire.StopLoss, fire.TakeProfit, fire.Lot), nowMs);
                if (answer.Success && known)
                {
                    ea.OpenSymbols[answer.Ticket] = id.Value;
                    _open[id.Value]++;
                }

                ea.Sampled(answer.Account);
                _observer?.OnFire(fire, answer, nowMs);
                desk.OnFill(new FillReport(answer.FireId, answer.Uuid, answer.Success, answer.Ticket, answer.Price, answer.Lot, answer.Message, Snapshot(answer.Account)));
                break;
            case CloseTicketOrder close:
                if (ea.Broker.Close(new CloseTicketCommand(close.EaUuid, close.FireId, close.Ticket), nowMs) is CloseConfirmation closed)
                {
                    Closed(desk, ea, closed, nowMs);
                }

                break;
            case CloseAllOrder:
                foreach (var each in ea.Broker.CloseAll())
                {
                    Closed(desk, ea, each, nowMs);
                }

                break;
        }
    }

    private void Closed(ExecutionDesk desk, Ea ea, CloseConfirmation close, long nowMs)
    {
        if (ea.OpenSymbols.Remove(close.Ticket, out var index))
        {
            _open[index]--;
        }

        ea.Closes++;
        ea.Sampled(close.Account);
        _observer?.OnClose(close, nowMs);
        desk.OnClose(new CloseReport(close.FireId, close.Uuid, close.Ticket, close.ClosePrice, close.Profit, close.Message, Snapshot(close.Account)));
    }

    private void Heartbeat(ExecutionDesk desk, Ea ea, long nowMs)
    {
        var account = ea.Broker.Account;
        var positions = ea.Broker.Positions;
        var reported = new List<ReportedPosition>(positions.Count);
        foreach (var p in positions)
        {
            if (Directions.TryParse(p.Direction, out var direction))
            {
                reported.Add(new ReportedPosition(p.Ticket, p.FireId, p.Symbol, direction, p.Volume, p.OpenPrice, p.StopLoss, p.TakeProfit));
            }
        }

        ea.Sampled(account);
        ea.LastHeartbeatMs = nowMs;
        _observer?.OnAccount(ea.Options.Uuid, account, nowMs);
        // No recent fire ids: an in-process EA never loses a confirmation, so there is nothing to settle from them.
        desk.OnCheckIn(new EaCheckIn(ea.Options.Uuid, false, Snapshot(account), reported, []));
    }

    private void Quote(int index)
    {
        _quoted = true;
        var tick = _last[index];
        var name = _symbols.NameOf(tick.Symbol);
        foreach (var ea in _eas)
        {
            ea.Broker.OnPrice(name, tick.Bid, tick.Ask, tick.EventTimeMs);
        }
    }

    private static AccountSnapshot Snapshot(AccountReport account) => new(account.Balance, account.Equity, account.FreeMargin, account.Currency);

    private sealed class Ea(SimulatedEaOptions options)
    {
        public SimulatedEaOptions Options { get; } = options;

        public PaperBroker Broker { get; } = new(options);

        public long HeartbeatMs { get; } = options.HeartbeatSeconds * 1000L;

        public long LastHeartbeatMs { get; set; }

        public long Closes { get; set; }

        /// <summary>The symbol index of each open ticket (a close confirmation does not name its symbol).</summary>
        public Dictionary<long, int> OpenSymbols { get; } = [];

        public decimal PeakEquity { get; private set; }

        public double MaxDrawdownPercent { get; private set; }

        public void Sampled(AccountReport account)
        {
            PeakEquity = Math.Max(PeakEquity, account.Equity);
            if (PeakEquity > 0)
            {
                MaxDrawdownPercent = Math.Max(MaxDrawdownPercent, (double)((PeakEquity - account.Equity) / PeakEquity * 100m));
            }
        }
    }
}
