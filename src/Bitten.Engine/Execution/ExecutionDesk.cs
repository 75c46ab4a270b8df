using System.Runtime.CompilerServices;
using System.Globalization;
using Bitten.Domain.Events;
using Bitten.Domain.Market;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Domain.Trading;
using Bitten.Domain.Users;
using Bitten.Engine.Kernel;
using Bitten.Engine.Signals;

namespace Bitten.Engine.Execution;

/// <summary>
/// Missions, fires, positions, slots and accounts of every user, owned by the kernel thread: a thin façade over
/// <see cref="MissionBook"/> (missions from signals, expiry), <see cref="AutoFire"/> (who fires at once),
/// <see cref="FireDecision"/> (fire or refuse), <see cref="FireBook"/> (fires in flight and open, from which every
/// slot count derives), <see cref="Reconciler"/> (what a check-in means) and <see cref="DeskRestore"/> (a start).
/// Every change is one typed event (<see cref="Bitten.Domain.Events"/>) to the observer, counted by <see cref="DeskCounters"/>.
/// </summary>
/// <remarks>
/// Every method runs on the kernel thread: adapters call in through <see cref="TradingKernel.Post(Action)"/> and
/// <see cref="TradingKernel.AskAsync{T}"/>. Nothing here does I/O; orders leave through <see cref="IExecutionOutbox"/>.
/// </remarks>
public sealed class ExecutionDesk : ISignalSink, IClockObserver, ITickObserver
{
    private static readonly long PurgeEveryMs = 60_000;

    private readonly TimeProvider _clock;
    private readonly ExecutionOptions _options;
    private readonly IExecutionOutbox _outbox;
    private readonly IExecutionObserver? _observer;

    // While a signal is taken: its fires, handed to the outbox together, and its events, told once they have left.
    private List<EaOrder>? _heldOrders;
    private List<TradingEvent>? _heldEvents;
    private bool _holding;
    private readonly NewsCalendar _news;
    private readonly Dictionary<long, Trader> _byUser = [];
    private readonly List<Trader> _inUserOrder = [];
    private readonly Dictionary<string, Trader> _byEa = new(StringComparer.Ordinal);
    private readonly MissionBook _missions;
    private readonly FireBook _fires;
    private long[] _feedLagMs = [];
    private long _fireSequence;
    private long _purgedAtMs;

    public ExecutionDesk(TimeProvider clock, ExecutionOptions options, IExecutionOutbox outbox, IExecutionObserver? observer = null,
        NewsCalendar? news = null)
    {
        _clock = clock;
        _options = options;
        _outbox = outbox;
        _observer = observer;
        _news = news ?? NewsCalendar.Empty;
        var retainMs = options.RetainFinishedHours * 3_600_000L;
        _missions = new MissionBook(retainMs, options.FinishedMissionsPerUser);
        _fires = new FireBook(retainMs, options.EndedFiresRemembered);

        // Fire ids must never repeat across restarts: the sequence starts at the start time in ms, which passes any
        // sequence an earlier run could have reached unless it fired more than once per millisecond of its life.
        _fireSequence = UnixMs.Now(clock);
    }

    public EmergencyStop EmergencyStop { get; private set; }

    /// <summary>Bumped by every change (every change emits an event): a checkpoint is only taken when it moved.</summary>
    public long Version { get; private set; }

    public DeskCounters Totals { get; } = new();

    public ExecutionCounts Counts
    {
        get
        {
            var now = Now;
            int alive = 0, positions = 0, slotsUsed = 0, slotsMax = 0;
            foreach (var trader in _inUserOrder)
            {
                alive += trader.EaAliveAt(now) ? 1 : 0;
                positions += trader.Positions.Count;
                slotsUsed += trader.SlotsUsed;
                slotsMax += trader.SlotLimit;
            }

            var t = Totals;
            return new ExecutionCounts(_byUser.Count, alive, t.Missions, t.FiresSent, t.Refused, t.Filled, t.Failed, t.Closed, positions,
                t.Resent, t.Unmatched, t.Duplicates, slotsUsed, slotsMax);
        }
    }

    /// <summary>What the desk holds in memory: live state plus the bounded retention windows, nothing that grows with history.</summary>
    public DeskFootprint Footprint
    {
        get
        {
            int missions = 0, positions = 0;
            foreach (var trader in _inUserOrder)
            {
                missions += trader.Missions.Count;
                positions += trader.Positions.Count;
            }

            return new DeskFootprint(_byUser.Count, missions, _missions.PendingExpiries, _missions.SignalCount, _fires.LiveCount,
                _fires.EndedCount, positions);
        }
    }

    private long Now => UnixMs.Now(_clock);

    /// <summary>
    /// The slot limit: the auto band's slots in AUTO mode, the tier's manual slots otherwise. The press pass is a trial
    /// of one slot in either mode, whatever its band says.
    /// </summary>
    public static int SlotLimit(User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Mode == FireMode.Auto && user.Tier != Tier.PressPass ? user.Auto.MaxSlots : user.Tier.Slots();
    }

    /// <summary>Adds a user or applies a change (tier, mode, band, EA) made through the CLI, the API or pairing.</summary>
    public void UpsertUser(User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (_byUser.TryGetValue(user.UserId, out var trader))
        {
            if (trader.User.EaUuid is { } old && old != user.EaUuid)
            {
                _byEa.Remove(old);
            }

            trader.User = user;
        }
        else
        {
            trader = new Trader(user);
            _byUser[user.UserId] = trader;
            // Kept in user order, so auto-fire's order never depends on a dictionary's.
            var at = _inUserOrder.BinarySearch(trader, TraderOrder.Instance);
            _inUserOrder.Insert(at < 0 ? ~at : at, trader);
        }

        if (user.EaUuid is { } uuid)
        {
            _byEa[uuid] = trader;
        }
    }

    /// <summary>The user owning an EA UUID, if any.</summary>
    public User? UserOfEa(string eaUuid) => _byEa.TryGetValue(eaUuid, out var trader) ? trader.User : null;

    /// <summary>Keeps each symbol's feed lag (receive time minus event time of its last tick). Allocation-free.</summary>
    public void OnTick(in Tick tick)
    {
        var index = tick.Symbol.Value;
        if ((uint)index >= (uint)_feedLagMs.Length)
        {
            if (index < 0)
            {
                return;
            }

            Array.Resize(ref _feedLagMs, Math.Max(index + 1, Math.Max(8, _feedLagMs.Length * 2)));
        }

        _feedLagMs[index] = tick.ReceivedTimeMs - tick.EventTimeMs;
    }

    private long FeedLag(SymbolId symbol) => (uint)symbol.Value < (uint)_feedLagMs.Length ? _feedLagMs[symbol.Value] : 0;

    /// <summary>Whether a signal with this id was already taken (an injected duplicate is refused before it is published).</summary>
    public bool HasSignal(string signalId) => _missions.HasSignal(signalId);

    /// <summary>A signal from Elite Guard: missions for every eligible user, then auto-fire.</summary>
    public void OnSignal(Signal signal) => Accept(signal);

    /// <summary>
    /// Takes a signal (Elite Guard's or one injected through the API) unless one with its id was already taken:
    /// one signal never makes two missions for a user. Returns whether it was new. Every eligible user gets a mission
    /// and, when auto-fire wants it, a decision — a refusal (no_trading_spec among them) is that user's answer and
    /// never stops the others'.
    /// </summary>
    public bool Accept(Signal signal)
    {
        ArgumentNullException.ThrowIfNull(signal);
        var now = Now;

        // A signal's window is in feed time; missions count down on our clock. The feed's lag (receive minus event
        // time of the symbol's last tick) turns one into the other: nothing for a live EA, years for a replay of
        // recorded ticks, which would otherwise make every replayed mission expire at birth.
        var expiresAt = signal.ExpiresAtMs + FeedLag(signal.SymbolId);
        if (!_missions.TryTake(signal.SignalId, expiresAt))
        {
            return false;
        }

        // What is the same for every user is worked out once per signal: the news blackout and the fallback spec.
        var facts = FactsOf(signal, now);
        // The signal's events are held until its fires have left: the outbox queues their one commit ahead of the
        // thousand mission events, and sends while the observers (the event log's JSON among them) are still at work
        // on this thread. An answer from an EA reaches this thread only after this call, so none precedes its fire.
        _holding = true;
        _heldEvents ??= [];
        try
        {
            List<(Trader Trader, string MissionId)>? autoFire = null;
            foreach (var trader in _inUserOrder)
            {
                if (trader.User.Tier.Allows(signal.SignalClass))
                {
                    var mission = _missions.Create(trader, signal, now, expiresAt);
                    Emit(new MissionCreated(now, trader.UserId, mission.MissionId, signal.SignalId, signal.Symbol, signal.Confidence));
                    if (AutoFire.Wants(trader.User, signal))
                    {
                        (autoFire ??= []).Add((trader, mission.MissionId));
                    }
                }
            }

            // Auto-fire after every mission exists, in user order, the orders gathered into one batch.
            if (autoFire is not null)
            {
                _heldOrders = new List<EaOrder>(autoFire.Count);
                foreach (var (trader, missionId) in autoFire)
                {
                    Fire(trader, missionId, FireSource.Auto, now, facts);
                }
            }
        }
        finally
        {
            Release();
        }

        return true;
    }

    /// <summary>Hands the held fires to the outbox in one piece, then tells the held events, in the order they happened.</summary>
    private void Release()
    {
        if (_heldOrders is { Count: > 0 } orders)
        {
            _outbox.Send(orders);
        }

        _heldOrders = null;

        var events = _heldEvents!;
        _holding = false;
        foreach (var e in events)
        {
            _observer?.OnEvent(e);
        }

        events.Clear();
    }

    /// <summary>The parts of a fire decision that depend on the signal alone.</summary>
    private SignalFacts FactsOf(Signal signal, long now)
    {
        var blackout = _news.IsBlackout(signal.Symbol, now, out var reason);
        return new SignalFacts(blackout, reason, TradingSpecs.TryFallback(signal.Symbol, signal.EntryPrice));
    }

    private readonly record struct SignalFacts(bool NewsBlackout, string? NewsReason, TradingSpec? FallbackSpec);

    /// <summary>A user fires one of their missions by hand (API, Telegram).</summary>
    public FireResult Fire(long userId, string missionId)
    {
        if (!_byUser.TryGetValue(userId, out var trader) || !trader.Missions.ContainsKey(missionId))
        {
            return new FireResult(false, FireVerdict.Refuse(FireRefusal.None, "no such mission"), null);
        }

        var now = Now;
        return Fire(trader, missionId, FireSource.Manual, now, FactsOf(trader.Missions[missionId].Signal, now));
    }

    /// <summary>
    /// What <see cref="Fire(long, string)"/> would answer now, without firing: the same context and the same decision,
    /// nothing changed, recorded or sent (the mission HUD's "can I fire?").
    /// </summary>
    public FireResult PreviewFire(long userId, string missionId)
    {
        if (!_byUser.TryGetValue(userId, out var trader) || !trader.Missions.TryGetValue(missionId, out var mission))
        {
            return new FireResult(false, FireVerdict.Refuse(FireRefusal.None, "no such mission"), null);
        }

        var now = Now;
        var context = ContextOf(trader, mission, now, FactsOf(mission.Signal, now));
        return new FireResult(true, FireDecision.Decide(in context), null);
    }

    /// <summary>
    /// The lot a fire of the mission would send for the user's balance and risk, and the money lost at its SL and won at
    /// its TP — sized by <see cref="LotSizer"/> with the spec a fire would use — or why it cannot be said yet.
    /// </summary>
    public MissionRisk RiskOf(long userId, string missionId)
    {
        if (!_byUser.TryGetValue(userId, out var trader) || !trader.Missions.TryGetValue(missionId, out var mission))
        {
            return MissionRisk.Unknown("no such mission");
        }

        var signal = mission.Signal;
        var spec = SpecOf(trader, signal, TradingSpecs.TryFallback(signal.Symbol, signal.EntryPrice));
        return MissionRisk.Of(trader.Account, trader.User.Auto.RiskPercent, signal, spec);
    }

    private static TradingSpec? SpecOf(Trader trader, Signal signal, TradingSpec? fallback) =>
        trader.Specs.TryGetValue(signal.Symbol, out var reported) ? reported : fallback;

    private FireContext ContextOf(Trader trader, Mission mission, long now, in SignalFacts facts)
    {
        var signal = mission.Signal;
        var user = trader.User;
        var account = trader.Account;
        return new FireContext(
            NowMs: now,
            MissionStatus: mission.Status,
            MissionExpiresAtMs: mission.ExpiresAtMs,
            Tier: user.Tier,
            SignalClass: signal.SignalClass,
            EaUuid: user.EaUuid,
            EaLastSeenMs: trader.EaLastSeenMs,
            SlotsUsed: trader.SlotsUsed,
            SlotLimit: trader.SlotLimit,
            Balance: account?.Balance ?? 0m,
            Equity: account?.Equity ?? 0m,
            DayStartBalance: trader.DayStartBalance,
            PeakEquity: trader.PeakEquity,
            OpenPositions: trader.Positions.Count,
            OppositePositionOpen: trader.HasOpposite(signal.Symbol, signal.Direction),
            NewsBlackout: facts.NewsBlackout,
            NewsReason: facts.NewsReason,
            EmergencyStop: EmergencyStop,
            RiskPercent: user.Auto.RiskPercent,
            StopDistance: Math.Abs(signal.EntryPrice - signal.StopLoss),
            Symbol: signal.Symbol,
            Spec: SpecOf(trader, signal, facts.FallbackSpec));
    }

    private FireResult Fire(Trader trader, string missionId, FireSource source, long now, in SignalFacts facts)
    {
        var mission = trader.Missions[missionId];
        var signal = mission.Signal;
        var user = trader.User;
        var context = ContextOf(trader, mission, now, in facts);
        var verdict = FireDecision.Decide(in context);
        if (!verdict.Fires)
        {
            // A refusal of an already fired mission changes nothing: its record is the fire's.
            if (verdict.Refusal != FireRefusal.AlreadyFired)
            {
                _missions.Change(trader, missionId, m => m with { LastRefusal = new MissionRefusal(verdict.Refusal, verdict.Message) }, now);
            }

            Emit(verdict.Refusal.IsRiskLimit()
                ? new RiskBlocked(now, trader.UserId, missionId, signal.SignalId, signal.Symbol, verdict.Refusal, verdict.Message, source)
                : new FireFailed(now, trader.UserId, missionId, signal.SignalId, null, signal.Symbol, verdict.Refusal, verdict.Message, source));
            return new FireResult(true, verdict, null);
        }

        var fireId = MissionStatuses.FireId(user.UserId, ++_fireSequence);
        var order = new FireOrder(user.EaUuid!, fireId, user.UserId, missionId, signal.SignalId, signal.Symbol, signal.Direction, verdict.Lot,
            signal.StopLoss, signal.TakeProfit, now, 1, source);
        _fires.Add(trader, order, LiveFireStatus.Sent);
        trader.Missions[missionId] = mission with { Status = MissionStatus.Fired, FireId = fireId };

        // Handed to the outbox (which stores it before it sends) ahead of its event, as a signal's batch is, so the log
        // never holds a fire_command whose fire was not stored first. Recorded before any answer to it can be heard:
        // an answer reaches this thread only after this call.
        if (_heldOrders is { } held)
        {
            held.Add(order);
        }
        else
        {
            _outbox.Send(order);
        }

        Emit(Sent(order, now));

        return new FireResult(true, verdict, fireId);
    }

    private static FireSent Sent(FireOrder order, long now) => new(now, order.UserId, order.FireId, order.MissionId, order.SignalId, order.EaUuid,
        order.Symbol, order.Direction, order.Lot, order.StopLoss, order.TakeProfit, order.Source, order.Attempt);

    /// <summary>
    /// Closes a user's position by ticket or fire id, or all of them. Returns how many close orders went out, or
    /// −1 when the ticket or fire id is not one of the user's open positions.
    /// </summary>
    public int Close(long userId, long? ticket, string? fireId, bool all)
    {
        if (!_byUser.TryGetValue(userId, out var trader) || trader.User.EaUuid is not { } uuid)
        {
            return -1;
        }

        if (all)
        {
            if (trader.Positions.Count == 0)
            {
                return 0;
            }

            foreach (var position in trader.Positions.Values)
            {
                trader.CloseRequested.Add(position.Ticket);
            }

            _outbox.Send(new CloseAllOrder(uuid));
            return trader.Positions.Count;
        }

        OpenPosition? target = null;
        foreach (var position in trader.Positions.Values)
        {
            if ((ticket is { } t && position.Ticket == t) || (fireId is not null && position.FireId == fireId))
            {
                target = position;
                break;
            }
        }

        if (target is null)
        {
            return -1;
        }

        trader.CloseRequested.Add(target.Ticket);
        _outbox.Send(new CloseTicketOrder(uuid, target.FireId, target.Ticket));
        return 1;
    }

    /// <summary>
    /// SOFT stops new fires; HARD also closes every open position (close_all to each EA holding one, and each fire still
    /// in flight is closed as it fills); None resumes.
    /// </summary>
    public void SetEmergencyStop(EmergencyStop stop)
    {
        EmergencyStop = stop;
        Emit(new EmergencyStopChanged(Now, stop));
        if (stop != EmergencyStop.Hard)
        {
            return;
        }

        foreach (var trader in _inUserOrder)
        {
            if (trader.Positions.Count > 0 || trader.InFlight > 0)
            {
                Close(trader.UserId, null, null, all: true);
            }
        }
    }

    /// <summary>
    /// An EA's HELLO or HEARTBEAT: it is alive, its account and specs are current, its positions are reconciled with
    /// ours, and — on HELLO, i.e. a (re)connect — every fire it never confirmed is sent again with the same fire_id;
    /// on a heartbeat, those unconfirmed for <see cref="ExecutionOptions.ResendAfterSeconds"/> (lost with a dropped
    /// connection the EA redialled without a HELLO).
    /// Returns false when the UUID belongs to no user (the gateway refuses such an EA).
    /// </summary>
    public bool OnCheckIn(EaCheckIn checkIn)
    {
        ArgumentNullException.ThrowIfNull(checkIn);
        if (!_byEa.TryGetValue(checkIn.EaUuid, out var trader))
        {
            return false;
        }

        var now = Now;
        trader.EaLastSeenMs = now;
        UpdateAccount(trader, checkIn.Account, now);
        foreach (var spec in checkIn.Specs)
        {
            trader.Specs[spec.Symbol] = spec;
        }

        Apply(trader, Reconciler.Plan(trader.Positions.Values, checkIn.Positions, checkIn.RecentFireIds,
            id => trader.Fires.TryGetValue(id, out var f) && f.Status == LiveFireStatus.Sent, _fires.IsKnown, now,
            _options.HeartbeatGraceSeconds * 1000L), now);

        // The first check-in this process sees counts as a reconnect: after a restart the EA's connection came back
        // on its own, and it may never say HELLO again.
        var first = !trader.SeenThisRun;
        trader.SeenThisRun = true;
        var reconnected = checkIn.IsHello || first;
        if (reconnected)
        {
            Emit(new EaConnected(now, trader.UserId, checkIn.EaUuid, checkIn.IsHello));
        }

        if (reconnected || (_options.ResendAfterSeconds > 0 && trader.InFlight > 0))
        {
            var before = reconnected ? long.MaxValue : now - (_options.ResendAfterSeconds * 1000L);
            foreach (var fire in _fires.InFlightOf(trader))
            {
                if (fire.LastSentMs <= before)
                {
                    fire.Order = fire.Order with { Attempt = fire.Order.Attempt + 1 };
                    fire.LastSentMs = now;
                    _outbox.Send(fire.Order);
                    Emit(Sent(fire.Order, now));
                }
            }
        }

        return true;
    }

    private void Apply(Trader trader, CheckInPlan plan, long now)
    {
        foreach (var held in plan.Missing)
        {
            CloseHeld(trader, held, PositionCloseReason.Missing, SlotReleaseReason.MissingFromHeartbeat, null, null, now);
        }

        foreach (var position in plan.ProvenFills)
        {
            // The fill confirmation was lost or is late: the heartbeat proves the fill.
            var fire = trader.Fires[position.FireId!];
            _outbox.Completed(fire.Order.FireId, true, position.Ticket, position.OpenPrice, "fill seen in a heartbeat");
            Open(trader, fire, position.Ticket, position.OpenPrice, position.Lot, FillEvidence.Heartbeat, now);
        }

        foreach (var position in plan.Adopted)
        {
            // Our order comment, but a fire we do not know (lost state, or placed by another server): adopt it so its
            // slot is held and it can be closed, and flag it.
            trader.Positions[position.Ticket] = new OpenPosition(position.Ticket, position.FireId!, trader.UserId, position.Symbol,
                position.Direction, position.Lot, position.OpenPrice, position.StopLoss, position.TakeProfit, now, Adopted: true);
            Emit(new PositionAdopted(now, trader.UserId, position.FireId!, position.Ticket, position.Symbol, position.Direction, position.Lot,
                position.OpenPrice));
        }

        foreach (var fireId in plan.ClosedAway)
        {
            var fire = trader.Fires[fireId];
            var order = fire.Order;
            _outbox.Completed(fireId, true, null, null, "executed and closed while the server was away");
            _fires.End(fire, now);
            _missions.Change(trader, order.MissionId, m => m with { Status = MissionStatus.Closed, CloseReason = PositionCloseReason.ClosedAway }, now);
            Emit(new PositionClosed(now, trader.UserId, order.MissionId, fireId, 0, order.Symbol, order.Direction, order.Lot,
                PositionCloseReason.ClosedAway, null, null));
            Release(trader, fireId, SlotReleaseReason.Closed, now);
        }
    }

    /// <summary>A fire confirmation: FILLED opens the position; FAILED gives the slot back.</summary>
    public void OnFill(FillReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var now = Now;
        if (!_fires.TryGet(report.FireId, out var fire))
        {
            if (_fires.HasEnded(report.FireId))
            {
                Totals.CountDuplicate();
                return;
            }

            Emit(new ConfirmationRejected(now, report.FireId, null, report.EaUuid));
            return;
        }

        var trader = fire.Trader;
        if (report.EaUuid is { } uuid && uuid != trader.User.EaUuid)
        {
            // A confirmation from an EA the fire was not sent to: never trusted.
            Emit(new ConfirmationRejected(now, report.FireId, null, report.EaUuid));
            return;
        }

        if (fire.Status != LiveFireStatus.Sent)
        {
            Totals.CountDuplicate();
            return;
        }

        trader.EaLastSeenMs = now;
        UpdateAccount(trader, report.Account, now);
        _outbox.Completed(fire.Order.FireId, report.Success, report.Success ? report.Ticket : null, report.Success ? report.Price : null, report.Message);
        Settle(fire, report.Success, report.Ticket, report.Price, report.Lot > 0 ? report.Lot : fire.Order.Lot, report.Message, now);
    }

    /// <summary>A fire in flight ends: filled opens its position, failed gives its slot back. The journal is told by the caller.</summary>
    internal void Settle(LiveFire fire, bool filled, long ticket, double price, decimal lot, string? message, long now)
    {
        var trader = fire.Trader;
        if (filled)
        {
            Open(trader, fire, ticket, price, lot, FillEvidence.Confirmation, now);
            return;
        }

        Fail(fire, FireRefusal.EaRefused, string.IsNullOrWhiteSpace(message) ? "the EA refused the order" : message, now);
    }

    /// <summary>
    /// A new fire the outbox did not send because the store would not keep it: its mission's one-time fire lock is
    /// held by another fire (<see cref="FireRefusal.AlreadyFired"/>), or its commit failed (<see cref="FireRefusal.NotStored"/>).
    /// It fails like a refused fire and gives its slot back; the journal is told nothing, since it has no row for it.
    /// A fire already settled, or unknown, is left alone.
    /// </summary>
    public void OnNotSent(string fireId, FireRefusal refusal, string message)
    {
        ArgumentException.ThrowIfNullOrEmpty(fireId);
        if (_fires.TryGet(fireId, out var fire) && fire.Status == LiveFireStatus.Sent)
        {
            Fail(fire, refusal, message, Now);
        }
    }

    private void Fail(LiveFire fire, FireRefusal refusal, string text, long now)
    {
        var trader = fire.Trader;
        var order = fire.Order;
        _fires.End(fire, now);
        _missions.Change(trader, order.MissionId, m => m with
        {
            Status = MissionStatus.Failed,
            LastRefusal = new MissionRefusal(refusal, text),
        }, now);
        Emit(new FireFailed(now, trader.UserId, order.MissionId, order.SignalId, order.FireId, order.Symbol, refusal, text, order.Source));
        Release(trader, order.FireId, SlotReleaseReason.FireFailed, now);
    }

    /// <summary>A close confirmation: the position closes, its mission closes (TP, SL or MANUAL) and its slot is released.</summary>
    public void OnClose(CloseReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var now = Now;
        var trader = report.EaUuid is { } uuid && _byEa.TryGetValue(uuid, out var byEa) ? byEa
            : report.FireId is { } id && _fires.TryGet(id, out var byFire) ? byFire.Trader
            : null;
        if (trader is null || !trader.Positions.TryGetValue(report.Ticket, out var position))
        {
            Emit(new ConfirmationRejected(now, report.FireId, report.Ticket, report.EaUuid));
            return;
        }

        trader.EaLastSeenMs = now;
        UpdateAccount(trader, report.Account, now);
        var reason = trader.CloseRequested.Remove(report.Ticket) ? PositionCloseReason.Manual
            : Math.Abs(report.ClosePrice - position.TakeProfit) <= Math.Abs(report.ClosePrice - position.StopLoss) ? PositionCloseReason.TakeProfit
            : PositionCloseReason.StopLoss;
        CloseHeld(trader, position, reason, SlotReleaseReason.Closed, report.ClosePrice, report.Profit, now);
    }

    /// <summary>Expires pending missions whose time has passed, gives back the slots of fires never confirmed, lets go of old finished state.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void OnClock(long nowMs)
    {
        // Asked first so the clock's every step does not allocate an enumerator for nothing.
        if (_missions.AnyDue(nowMs))
        {
            foreach (var (trader, mission) in _missions.DueAt(nowMs))
            {
                _missions.Change(trader, mission.MissionId, m => m with { Status = MissionStatus.Expired }, nowMs);
                Emit(new MissionExpired(nowMs, trader.UserId, mission.MissionId, mission.Signal.SignalId));
            }
        }

        var orphanMs = _options.OrphanTimeoutMinutes * 60_000L;
        foreach (var trader in _inUserOrder)
        {
            if (trader.InFlight == 0 || _fires.InFlightSince(trader, nowMs - orphanMs) is not { } orphans)
            {
                continue;
            }

            foreach (var fire in orphans)
            {
                var order = fire.Order;
                _outbox.Completed(order.FireId, false, null, null, "never confirmed");
                _fires.End(fire, nowMs);
                _missions.Change(trader, order.MissionId, m => m with { Status = MissionStatus.Failed }, nowMs);
                Release(trader, order.FireId, SlotReleaseReason.OrphanTimeout, nowMs);
            }
        }

        if (nowMs - _purgedAtMs >= PurgeEveryMs)
        {
            _purgedAtMs = nowMs;
            _missions.Purge(nowMs, _inUserOrder);
            _fires.Purge(nowMs);
        }
    }

    /// <summary>
    /// Everything the desk must get back after a restart: live missions, fires in flight or open, positions, accounts
    /// and limits, the emergency stop and the fire sequence. Closed, failed and expired missions are history (the
    /// event log keeps them), so a snapshot stays the size of what is live.
    /// </summary>
    public DeskSnapshot Snapshot()
    {
        var traders = new List<TraderSnapshot>(_byUser.Count);
        foreach (var trader in _inUserOrder)
        {
            traders.Add(new TraderSnapshot(
                trader.UserId,
                trader.Account,
                trader.DayStartBalance,
                trader.DayStartDay,
                trader.PeakEquity,
                [.. trader.Missions.Values.Where(m => m.Status is MissionStatus.Pending or MissionStatus.Fired or MissionStatus.Filled)],
                [.. trader.Fires.Values.Where(f => f.Status == LiveFireStatus.Sent).Select(f => f.Order)],
                [.. trader.Fires.Values.Where(f => f.Status == LiveFireStatus.Filled).Select(f => f.Order)],
                [.. trader.Positions.Values]));
        }

        return new DeskSnapshot(_fireSequence, EmergencyStop, traders);
    }

    /// <summary>
    /// Puts a snapshot back (users must be upserted first; unknown users are skipped), then what the store saw after
    /// it. Start-up after a crash and a normal start both come through here; see <see cref="DeskRestore"/>.
    /// </summary>
    public void Restore(DeskSnapshot snapshot, IEnumerable<FireOrder> unconfirmed, Func<Signal, Signal> remap,
        IEnumerable<FireEnding>? endings = null, IEnumerable<OpenPosition>? storedPositions = null)
    {
        new DeskRestore(this).Apply(snapshot, unconfirmed, remap, endings ?? [], storedPositions ?? []);
        Version++;
    }

    public IReadOnlyList<Mission> MissionsOf(long userId) =>
        _byUser.TryGetValue(userId, out var trader) ? [.. trader.Missions.Values.OrderByDescending(m => m.CreatedAtMs).ThenBy(m => m.MissionId, StringComparer.Ordinal)] : [];

    public Mission? MissionOf(long userId, string missionId) =>
        _byUser.TryGetValue(userId, out var trader) && trader.Missions.TryGetValue(missionId, out var mission) ? mission : null;

    public IReadOnlyList<OpenPosition> PositionsOf(long userId) =>
        _byUser.TryGetValue(userId, out var trader) ? [.. trader.Positions.Values.OrderBy(p => p.Ticket)] : [];

    public AccountView? AccountOf(long userId) => _byUser.TryGetValue(userId, out var trader) ? ViewOf(trader, Now) : null;

    /// <summary>Every user with their account as it stands, in user order: an immutable snapshot for the admin's overview.</summary>
    public IReadOnlyList<TraderView> Traders()
    {
        var now = Now;
        return [.. _inUserOrder.Select(t => new TraderView(t.User, ViewOf(t, now)))];
    }

    public TraderView? TraderOf(long userId) => _byUser.TryGetValue(userId, out var trader) ? new TraderView(trader.User, ViewOf(trader, Now)) : null;

    private AccountView ViewOf(Trader trader, long now) =>
        new(trader.UserId, trader.User.EaUuid, trader.EaAliveAt(now), trader.EaLastSeenMs, trader.Account?.Balance, trader.Account?.Equity,
            trader.DayStartBalance, trader.SlotsUsed, trader.SlotLimit, trader.Positions.Count, EmergencyStop);

    // --- the pieces DeskRestore puts state back through ---

    internal long FireSequence
    {
        get => _fireSequence;
        set => _fireSequence = Math.Max(_fireSequence, value);
    }

    internal void RestoreEmergencyStop(EmergencyStop stop) => EmergencyStop = stop;

    internal bool TryGetTrader(long userId, out Trader trader) => _byUser.TryGetValue(userId, out trader!);

    internal MissionBook Missions => _missions;

    internal FireBook Fires => _fires;

    internal IExecutionOutbox Outbox => _outbox;

    internal long ClockNow => Now;

    private void Open(Trader trader, LiveFire fire, long ticket, double price, decimal lot, FillEvidence evidence, long now)
    {
        _fires.Filled(fire);
        var order = fire.Order;
        trader.Positions[ticket] = new OpenPosition(ticket, order.FireId, trader.UserId, order.Symbol, order.Direction, lot, price,
            order.StopLoss, order.TakeProfit, now, Adopted: false);
        _missions.Change(trader, order.MissionId, m => m with { Status = MissionStatus.Filled }, now);
        Emit(new FireFilled(now, trader.UserId, order.FireId, order.MissionId, order.Symbol, order.Direction, lot, ticket, price,
            order.StopLoss, order.TakeProfit, evidence));
        if (EmergencyStop == EmergencyStop.Hard && trader.User.EaUuid is { } uuid)
        {
            // A fire in flight when the HARD stop was set fills afterwards: the stop means nothing stays open.
            trader.CloseRequested.Add(ticket);
            _outbox.Send(new CloseTicketOrder(uuid, order.FireId, ticket));
        }
    }

    private void CloseHeld(Trader trader, OpenPosition position, PositionCloseReason reason, SlotReleaseReason release, double? closePrice,
        decimal? profit, long now)
    {
        trader.Positions.Remove(position.Ticket);
        trader.CloseRequested.Remove(position.Ticket);
        string? missionId = null;
        if (trader.Fires.TryGetValue(position.FireId, out var fire))
        {
            missionId = fire.Order.MissionId;
            _fires.End(fire, now);
            _missions.Change(trader, missionId, m => m with { Status = MissionStatus.Closed, CloseReason = reason }, now);
        }

        Emit(new PositionClosed(now, trader.UserId, missionId, position.FireId, position.Ticket, position.Symbol, position.Direction, position.Lot,
            reason, closePrice, profit));
        Release(trader, position.FireId, release, now);
    }

    private void Release(Trader trader, string fireId, SlotReleaseReason reason, long now) =>
        Emit(new SlotReleased(now, trader.UserId, fireId, reason, trader.SlotsUsed, trader.SlotLimit));

    private void UpdateAccount(Trader trader, AccountSnapshot account, long now)
    {
        var previous = trader.Account;
        trader.Account = account;
        if (previous is null || previous.Balance != account.Balance)
        {
            // On a balance change only (a close settled, a deposit): equity moves on every heartbeat, and the live
            // figure is in AccountOf; the event keeps the history of what was realised.
            Emit(new BalanceUpdated(now, trader.UserId, trader.User.EaUuid, account.Balance, account.Equity));
        }

        var day = now / 86_400_000;
        if (trader.DayStartDay != day)
        {
            // The daily loss limit counts from the first balance seen each UTC day.
            trader.DayStartDay = day;
            trader.DayStartBalance = account.Balance;
        }

        trader.PeakEquity = Math.Max(trader.PeakEquity, account.Equity);
    }

    internal void Emit(TradingEvent e)
    {
        Version++;
        Totals.Count(e);
        if (_holding)
        {
            _heldEvents!.Add(e);
            return;
        }

        _observer?.OnEvent(e);
    }

    internal static long SequenceOf(string fireId) =>
        fireId.LastIndexOf('-') is var dash and > 0 && long.TryParse(fireId.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;

    private sealed class TraderOrder : IComparer<Trader>
    {
        public static readonly TraderOrder Instance = new();

        public int Compare(Trader? x, Trader? y) => (x?.UserId ?? 0).CompareTo(y?.UserId ?? 0);
    }
}
