using System.Globalization;
using Bitten.Domain.Market;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Domain.Trading;
using Bitten.Domain.Users;
using Bitten.Engine.Kernel;
using Bitten.Engine.Signals;

namespace Bitten.Engine.Execution;

/// <summary>
/// Missions, fires, positions, slots and accounts of every user, owned by the kernel thread. Each signal becomes one
/// mission per eligible user; AUTO users inside their band fire at once; every fire goes through
/// <see cref="FireDecision"/> and, when it fires, to that user's own EA only. EA reports (check-ins, fills, closes)
/// move fires and positions on and hold or release slots, each release with its reason.
/// </summary>
/// <remarks>
/// Every method runs on the kernel thread: adapters call in through <see cref="TradingKernel.Post(Action)"/> and
/// <see cref="TradingKernel.AskAsync{T}"/>. Nothing here does I/O; orders leave through <see cref="IExecutionOutbox"/>.
/// </remarks>
public sealed class ExecutionDesk : ISignalSink, IClockObserver, ITickObserver
{
    private readonly TimeProvider _clock;
    private readonly ExecutionOptions _options;
    private readonly IExecutionOutbox _outbox;
    private readonly IExecutionObserver? _observer;
    private readonly NewsCalendar _news;
    private readonly Dictionary<long, Trader> _byUser = [];
    private readonly Dictionary<string, Trader> _byEa = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (Trader Trader, LiveFire Fire)> _fires = new(StringComparer.Ordinal);
    private readonly HashSet<string> _signals = new(StringComparer.Ordinal);
    private readonly PriorityQueue<(long UserId, string MissionId), long> _expiries = new();
    private long[] _feedLagMs = [];
    private long _fireSequence;
    private long _missions;
    private long _firesSent;
    private long _refused;
    private long _filled;
    private long _failed;
    private long _closed;
    private long _resent;
    private long _unmatched;
    private long _duplicates;

    public ExecutionDesk(TimeProvider clock, ExecutionOptions options, IExecutionOutbox outbox, IExecutionObserver? observer = null,
        NewsCalendar? news = null)
    {
        _clock = clock;
        _options = options;
        _outbox = outbox;
        _observer = observer;
        _news = news ?? NewsCalendar.Empty;

        // Fire ids must never repeat across restarts: the sequence starts at the start time in ms, which passes any
        // sequence an earlier run could have reached unless it fired more than once per millisecond of its life.
        _fireSequence = UnixMs.Now(clock);
    }

    public EmergencyStop EmergencyStop { get; private set; }

    public ExecutionCounts Counts => new(_byUser.Count, _byUser.Values.Count(t => EaAlive(t, Now)), _missions, _firesSent, _refused,
        _filled, _failed, _closed, _byUser.Values.Sum(t => t.Positions.Count), _resent, _unmatched, _duplicates,
        _byUser.Values.Sum(t => t.SlotsUsed), _byUser.Values.Sum(t => SlotLimit(t.User)));

    private long Now => UnixMs.Now(_clock);

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
    public bool HasSignal(string signalId) => _signals.Contains(signalId);

    /// <summary>A signal from Elite Guard: missions for every eligible user, then auto-fire.</summary>
    public void OnSignal(Signal signal) => Accept(signal);

    /// <summary>
    /// Takes a signal (Elite Guard's or one injected through the API) unless one with its id was already taken:
    /// one signal never makes two missions for a user. Returns whether it was new.
    /// </summary>
    public bool Accept(Signal signal)
    {
        ArgumentNullException.ThrowIfNull(signal);
        if (!_signals.Add(signal.SignalId))
        {
            return false;
        }

        var now = Now;
        var detail = string.Create(CultureInfo.InvariantCulture, $"{signal.Symbol} {signal.Direction.WireName()} {signal.Confidence}%");

        // A signal's window is in feed time; missions count down on our clock. The feed's lag (receive minus event
        // time of the symbol's last tick) turns one into the other: nothing for a live EA, years for a replay of
        // recorded ticks, which would otherwise make every replayed mission expire at birth.
        var expiresAt = signal.ExpiresAtMs + FeedLag(signal.SymbolId);
        foreach (var trader in _byUser.Values)
        {
            if (!trader.User.Tier.Allows(signal.SignalClass))
            {
                continue;
            }

            var mission = new Mission(MissionStatuses.MissionId(signal.SignalId, trader.User.UserId), trader.User.UserId, signal, now,
                expiresAt, MissionStatus.Pending, null, null);
            trader.Missions[mission.MissionId] = mission;
            _expiries.Enqueue((trader.User.UserId, mission.MissionId), mission.ExpiresAtMs);
            _missions++;
            Emit(now, "mission_created", trader, mission.MissionId, null, detail, new ExecutionDetails(SignalId: signal.SignalId, Symbol: signal.Symbol));
        }

        // Auto-fire after every mission exists, in user order, so the outcome does not depend on dictionary order.
        foreach (var trader in _byUser.Values.OrderBy(t => t.User.UserId))
        {
            var user = trader.User;
            if (user.Mode == FireMode.Auto && user.Tier.AllowsAutoFire() && user.Auto.Contains(signal.Confidence)
                && trader.Missions.ContainsKey(MissionStatuses.MissionId(signal.SignalId, user.UserId)))
            {
                Fire(trader, MissionStatuses.MissionId(signal.SignalId, user.UserId), FireSource.Auto, now);
            }
        }

        return true;
    }

    /// <summary>A user fires one of their missions by hand (API, Telegram).</summary>
    public FireResult Fire(long userId, string missionId)
    {
        if (!_byUser.TryGetValue(userId, out var trader) || !trader.Missions.ContainsKey(missionId))
        {
            return new FireResult(false, FireVerdict.Refuse(FireRefusal.None, "no such mission"), null);
        }

        return Fire(trader, missionId, FireSource.Manual, Now);
    }

    private FireResult Fire(Trader trader, string missionId, FireSource source, long now)
    {
        var mission = trader.Missions[missionId];
        var signal = mission.Signal;
        var user = trader.User;
        var spec = trader.Specs.TryGetValue(signal.Symbol, out var reported) ? reported : TradingSpecs.Fallback(signal.Symbol, signal.EntryPrice);
        var account = trader.Account;
        var context = new FireContext(
            NowMs: now,
            MissionStatus: mission.Status,
            MissionExpiresAtMs: mission.ExpiresAtMs,
            Tier: user.Tier,
            SignalClass: signal.SignalClass,
            EaUuid: user.EaUuid,
            EaLastSeenMs: trader.EaLastSeenMs,
            SlotsUsed: trader.SlotsUsed,
            SlotLimit: SlotLimit(user),
            Balance: account?.Balance ?? 0m,
            Equity: account?.Equity ?? 0m,
            DayStartBalance: trader.DayStartBalance,
            PeakEquity: trader.PeakEquity,
            OpenPositions: trader.Positions.Count,
            OppositePositionOpen: trader.HasOpposite(signal.Symbol, signal.Direction),
            NewsBlackout: _news.IsBlackout(signal.Symbol, now, out var newsReason),
            NewsReason: newsReason,
            EmergencyStop: EmergencyStop,
            RiskPercent: user.Auto.RiskPercent,
            StopDistance: Math.Abs(signal.EntryPrice - signal.StopLoss),
            Spec: spec);
        var verdict = FireDecision.Decide(in context);
        if (!verdict.Fires)
        {
            _refused++;
            var type = verdict.Refusal is FireRefusal.DailyLoss or FireRefusal.Drawdown or FireRefusal.PositionsPerBalance
                or FireRefusal.OppositePosition or FireRefusal.NewsBlackout or FireRefusal.EmergencyStop ? "risk_blocked" : "fire_failed";
            Emit(now, type, trader, missionId, null, $"{source.ToString().ToLowerInvariant()} fire refused: {verdict.Refusal.Code()}: {verdict.Message}",
                new ExecutionDetails(SignalId: signal.SignalId, Symbol: signal.Symbol, Reason: verdict.Refusal.Code()));
            return new FireResult(true, verdict, null);
        }

        var fireId = MissionStatuses.FireId(user.UserId, ++_fireSequence);
        var order = new FireOrder(user.EaUuid!, fireId, user.UserId, missionId, signal.SignalId, signal.Symbol, signal.Direction, verdict.Lot,
            signal.StopLoss, signal.TakeProfit, now, 1);
        var fire = new LiveFire(order, source);
        trader.Fires[fireId] = fire;
        trader.InFlight++;
        _fires[fireId] = (trader, fire);
        trader.Missions[missionId] = mission with { Status = MissionStatus.Fired, FireId = fireId };
        _firesSent++;
        Emit(now, "fire_command", trader, missionId, fireId, details: Details(order) with { Mode = source == FireSource.Auto ? "AUTO" : "MANUAL" }, detail:
            string.Create(CultureInfo.InvariantCulture, $"{source.ToString().ToLowerInvariant()} {signal.Symbol} {signal.Direction.WireName()} {verdict.Lot} lot to {user.EaUuid}"));

        // Recorded before it leaves, so the event log always has the order before any answer to it.
        _outbox.Send(order);
        return new FireResult(true, verdict, fireId);
    }

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

        var target = trader.Positions.Values.FirstOrDefault(p => (ticket is { } t && p.Ticket == t) || (fireId is not null && p.FireId == fireId));
        if (target is null)
        {
            return -1;
        }

        trader.CloseRequested.Add(target.Ticket);
        _outbox.Send(new CloseTicketOrder(uuid, target.FireId, target.Ticket));
        return 1;
    }

    /// <summary>SOFT stops new fires; HARD also closes every open position; None resumes.</summary>
    public void SetEmergencyStop(EmergencyStop stop)
    {
        EmergencyStop = stop;
        Emit(Now, "system_health", null, null, null, $"emergency stop: {stop.ToString().ToUpperInvariant()}");
        if (stop != EmergencyStop.Hard)
        {
            return;
        }

        foreach (var trader in _byUser.Values.OrderBy(t => t.User.UserId))
        {
            if (trader.Positions.Count > 0 || trader.Fires.Values.Any(f => f.Status == FireStatus.Sent))
            {
                Close(trader.User.UserId, null, null, all: true);
            }
        }
    }

    /// <summary>
    /// An EA's HELLO or HEARTBEAT: it is alive, its account and specs are current, its positions are reconciled with
    /// ours, and — on HELLO, i.e. a (re)connect — every fire it never confirmed is sent again with the same fire_id.
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

        if (checkIn.Positions is { } reported)
        {
            Reconcile(trader, reported, now);
        }

        if (checkIn.RecentFireIds is { Count: > 0 } recent)
        {
            SettleExecutedAway(trader, recent, checkIn.Positions is not null, now);
        }

        // The first check-in this process sees counts as a reconnect: after a restart the EA's connection came back
        // on its own, and it may never say HELLO again.
        var first = !trader.SeenThisRun;
        trader.SeenThisRun = true;
        if (checkIn.IsHello || first)
        {
            Emit(now, "system_health", trader, null, null, $"EA {checkIn.EaUuid} connected ({(checkIn.IsHello ? "HELLO" : "first heartbeat since this start")})");
            foreach (var fire in trader.Fires.Values.Where(f => f.Status == FireStatus.Sent).OrderBy(f => f.Order.CreatedAtMs).ToList())
            {
                fire.Order = fire.Order with { Attempt = fire.Order.Attempt + 1 };
                _resent++;
                _outbox.Send(fire.Order);
                Emit(now, "fire_command", trader, fire.Order.MissionId, fire.Order.FireId, $"resent (attempt {fire.Order.Attempt}) after the EA reconnected",
                    Details(fire.Order) with { Mode = fire.Source == FireSource.Auto ? "AUTO" : "MANUAL" });
            }
        }

        return true;
    }

    /// <summary>
    /// Fires still in flight that the EA says it executed, when their position is not (or no longer) open there: the
    /// confirmation and the close happened while we could not hear them (a crash). They are settled here — never sent
    /// again — and their slots released.
    /// </summary>
    private void SettleExecutedAway(Trader trader, IReadOnlyList<string> recent, bool positionsReported, long now)
    {
        if (trader.InFlight == 0 || !positionsReported)
        {
            return;
        }

        foreach (var fireId in recent)
        {
            if (!trader.Fires.TryGetValue(fireId, out var fire) || fire.Status != FireStatus.Sent)
            {
                continue;
            }

            trader.InFlight--;
            trader.Fires.Remove(fireId);
            fire.Status = FireStatus.Closed;
            _filled++;
            _closed++;
            _outbox.Completed(fireId, true, null, null, "executed and closed while the server was away");
            trader.Update(fire.Order.MissionId, m => m with { Status = MissionStatus.Closed, CloseReason = "CLOSED_AWAY" });
            Emit(now, "position_closed", trader, fire.Order.MissionId, fireId, "executed and closed while the server was away", Details(fire.Order));
            Release(trader, fireId, SlotReleaseReason.Closed, now);
        }
    }

    /// <summary>A fire confirmation: FILLED opens the position; FAILED gives the slot back.</summary>
    public void OnFill(FillReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var now = Now;
        if (!_fires.TryGetValue(report.FireId, out var entry) || (report.EaUuid is { } uuid && uuid != entry.Trader.User.EaUuid))
        {
            // Unknown fire_id, or a confirmation from an EA the fire was not sent to: never trusted.
            _unmatched++;
            Emit(now, "ea_refused", null, null, report.FireId, $"confirmation for an unknown fire or from the wrong EA ({report.EaUuid})");
            return;
        }

        var (trader, fire) = entry;
        if (fire.Status != FireStatus.Sent)
        {
            _duplicates++;
            return;
        }

        trader.EaLastSeenMs = now;
        UpdateAccount(trader, report.Account, now);
        _outbox.Completed(fire.Order.FireId, report.Success, report.Success ? report.Ticket : null, report.Success ? report.Price : null, report.Message);
        Settle(trader, fire, report.Success, report.Ticket, report.Price, report.Lot > 0 ? report.Lot : fire.Order.Lot, report.Message, now);
    }

    /// <summary>A fire in flight ends: filled opens its position, failed gives its slot back. The journal is told by the caller.</summary>
    private void Settle(Trader trader, LiveFire fire, bool filled, long ticket, double price, decimal lot, string? message, long now)
    {
        trader.InFlight--;
        var missionId = fire.Order.MissionId;
        if (filled)
        {
            Open(trader, fire, ticket, price, lot, adopted: false, now);
            trader.Update(missionId, m => m with { Status = MissionStatus.Filled });
            Emit(now, "trade_executed", trader, missionId, fire.Order.FireId, details: Details(fire.Order) with { Ticket = ticket, Price = price }, detail:
                string.Create(CultureInfo.InvariantCulture, $"filled {fire.Order.Symbol} ticket {ticket} at {price}"));
        }
        else
        {
            fire.Status = FireStatus.Failed;
            trader.Fires.Remove(fire.Order.FireId);
            _failed++;
            trader.Update(missionId, m => m with { Status = MissionStatus.Failed, CloseReason = message });
            Emit(now, "fire_failed", trader, missionId, fire.Order.FireId, $"the EA refused: {message}",
                Details(fire.Order) with { Reason = "ea_refused" });
            Release(trader, fire.Order.FireId, SlotReleaseReason.FireFailed, now);
        }
    }

    /// <summary>A close confirmation: the position closes, its mission closes (TP, SL or MANUAL) and its slot is released.</summary>
    public void OnClose(CloseReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var now = Now;
        var trader = report.EaUuid is { } uuid && _byEa.TryGetValue(uuid, out var byEa) ? byEa
            : report.FireId is { } id && _fires.TryGetValue(id, out var byFire) ? byFire.Trader
            : null;
        if (trader is null || !trader.Positions.TryGetValue(report.Ticket, out var position))
        {
            _unmatched++;
            return;
        }

        trader.EaLastSeenMs = now;
        UpdateAccount(trader, report.Account, now);
        var reason = trader.CloseRequested.Remove(report.Ticket) ? "MANUAL"
            : Math.Abs(report.ClosePrice - position.TakeProfit) <= Math.Abs(report.ClosePrice - position.StopLoss) ? "TP" : "SL";
        CloseHeld(trader, position, reason, SlotReleaseReason.Closed,
            string.Create(CultureInfo.InvariantCulture, $"closed {position.Symbol} ticket {position.Ticket} at {report.ClosePrice} ({reason}), profit {report.Profit}"), now);
    }

    /// <summary>Expires pending missions whose time has passed and gives back the slots of fires never confirmed.</summary>
    public void OnClock(long nowMs)
    {
        while (_expiries.TryPeek(out var due, out var at) && at <= nowMs)
        {
            _expiries.Dequeue();
            if (_byUser.TryGetValue(due.UserId, out var trader) && trader.Missions.TryGetValue(due.MissionId, out var mission)
                && mission.Status == MissionStatus.Pending)
            {
                trader.Missions[due.MissionId] = mission with { Status = MissionStatus.Expired };
                Emit(nowMs, "signal_expired", trader, due.MissionId, null, "mission expired unfired", new ExecutionDetails(SignalId: mission.Signal.SignalId));
            }
        }

        var orphanMs = _options.OrphanTimeoutMinutes * 60_000L;
        foreach (var trader in _byUser.Values)
        {
            if (trader.Fires.Count == 0)
            {
                continue;
            }

            foreach (var fire in trader.Fires.Values.Where(f => f.Status == FireStatus.Sent && nowMs - f.Order.CreatedAtMs >= orphanMs).ToList())
            {
                fire.Status = FireStatus.Failed;
                trader.InFlight--;
                trader.Fires.Remove(fire.Order.FireId);
                _failed++;
                _outbox.Completed(fire.Order.FireId, false, null, null, "never confirmed");
                trader.Update(fire.Order.MissionId, m => m with { Status = MissionStatus.Failed, CloseReason = "never confirmed" });
                Release(trader, fire.Order.FireId, SlotReleaseReason.OrphanTimeout, nowMs);
            }
        }
    }

    /// <summary>Bumped by every change (every change emits an event): a checkpoint is only taken when it moved.</summary>
    public long Version { get; private set; }

    /// <summary>
    /// Everything the desk must get back after a restart: live missions, fires in flight or open, positions, accounts
    /// and limits, the emergency stop and the fire sequence. Closed, failed and expired missions are history (the
    /// event log keeps them), so a snapshot stays the size of what is live.
    /// </summary>
    public DeskSnapshot Snapshot()
    {
        var traders = new List<TraderSnapshot>(_byUser.Count);
        foreach (var trader in _byUser.Values.OrderBy(t => t.User.UserId))
        {
            traders.Add(new TraderSnapshot(
                trader.User.UserId,
                trader.Account,
                trader.DayStartBalance,
                trader.DayStartDay,
                trader.PeakEquity,
                [.. trader.Missions.Values.Where(m => m.Status is MissionStatus.Pending or MissionStatus.Fired or MissionStatus.Filled)],
                [.. trader.Fires.Values.Where(f => f.Status == FireStatus.Sent).Select(f => f.Order)],
                [.. trader.Fires.Values.Where(f => f.Status == FireStatus.Filled).Select(f => f.Order)],
                [.. trader.Positions.Values]));
        }

        return new DeskSnapshot(_fireSequence, EmergencyStop, traders);
    }

    /// <summary>
    /// Puts a snapshot back (users must be upserted first; unknown users are skipped). <paramref name="unconfirmed"/>
    /// are the fires the store holds as sent and unconfirmed: a fire committed after the snapshot was taken is still
    /// known, held against its slot, and resent when its EA says HELLO. Start-up after a crash and a normal start
    /// both come through here.
    /// </summary>
    public void Restore(DeskSnapshot snapshot, IEnumerable<FireOrder> unconfirmed, Func<Signal, Signal> remap,
        IEnumerable<FireEnding>? endings = null, IEnumerable<OpenPosition>? storedPositions = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(unconfirmed);
        ArgumentNullException.ThrowIfNull(remap);
        _fireSequence = Math.Max(_fireSequence, snapshot.FireSequence);
        EmergencyStop = snapshot.EmergencyStop;
        foreach (var saved in snapshot.Traders)
        {
            if (!_byUser.TryGetValue(saved.UserId, out var trader))
            {
                continue;
            }

            trader.Account = saved.Account;
            trader.DayStartBalance = saved.DayStartBalance;
            trader.DayStartDay = saved.DayStartDay;
            trader.PeakEquity = saved.PeakEquity;
            foreach (var mission in saved.Missions)
            {
                var restored = mission with { Signal = remap(mission.Signal) };
                trader.Missions[mission.MissionId] = restored;
                _signals.Add(mission.Signal.SignalId);
                if (mission.Status == MissionStatus.Pending)
                {
                    _expiries.Enqueue((trader.User.UserId, mission.MissionId), mission.ExpiresAtMs);
                }
            }

            foreach (var order in saved.InFlight)
            {
                AddFire(trader, order, FireStatus.Sent);
            }

            foreach (var order in saved.Filled)
            {
                AddFire(trader, order, FireStatus.Filled);
            }

            foreach (var position in saved.Positions)
            {
                trader.Positions[position.Ticket] = position;
            }
        }

        foreach (var order in unconfirmed)
        {
            if (_fires.TryGetValue(order.FireId, out var known))
            {
                // The checkpoint saw its fill, the journal never recorded it (the crash came between): record it now.
                if (known.Fire.Status != FireStatus.Sent)
                {
                    _outbox.Completed(order.FireId, true, null, null, "filled before the restart");
                }

                continue;
            }

            if (_byUser.TryGetValue(order.UserId, out var trader))
            {
                AddFire(trader, order, FireStatus.Sent);
                _fireSequence = Math.Max(_fireSequence, SequenceOf(order.FireId));
                trader.Update(order.MissionId, m => m with { Status = MissionStatus.Fired, FireId = order.FireId });
            }
        }

        // The checkpoint can be older than the store: what the store saw after it wins. A fire the journal records as
        // ended is settled now (its position opened or its slot released, with their events), never sent again.
        var now = Now;
        foreach (var ending in endings ?? [])
        {
            if (_fires.TryGetValue(ending.FireId, out var known) && known.Fire.Status == FireStatus.Sent
                && (!ending.Filled || ending.Ticket is > 0))
            {
                Settle(known.Trader, known.Fire, ending.Filled, ending.Ticket ?? 0, ending.Price ?? 0, known.Fire.Order.Lot, ending.Message, now);
            }
        }

        // Positions the store's projection holds open that the checkpoint never saw: held again (with their slots),
        // so the next heartbeat either confirms them or closes them, with events, as missing.
        foreach (var position in storedPositions ?? [])
        {
            if (!_byUser.TryGetValue(position.UserId, out var trader) || trader.Positions.ContainsKey(position.Ticket))
            {
                continue;
            }

            if (_fires.TryGetValue(position.FireId, out var known) && known.Fire.Status == FireStatus.Sent)
            {
                // Filled before the restart, its confirmation never journalled: record it now, or a later start would
                // find it unconfirmed and send it again.
                known.Trader.InFlight--;
                known.Fire.Status = FireStatus.Filled;
                _outbox.Completed(position.FireId, true, position.Ticket, position.OpenPrice, "filled before the restart");
            }

            trader.Positions[position.Ticket] = position;
        }

        Version++;
    }

    private void AddFire(Trader trader, FireOrder order, FireStatus status)
    {
        var fire = new LiveFire(order, FireSource.Auto) { Status = status };
        trader.Fires[order.FireId] = fire;
        _fires[order.FireId] = (trader, fire);
        if (status == FireStatus.Sent)
        {
            trader.InFlight++;
        }
    }

    private static long SequenceOf(string fireId) =>
        fireId.LastIndexOf('-') is var dash and > 0 && long.TryParse(fireId.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;

    public IReadOnlyList<Mission> MissionsOf(long userId) =>
        _byUser.TryGetValue(userId, out var trader) ? [.. trader.Missions.Values.OrderByDescending(m => m.CreatedAtMs).ThenBy(m => m.MissionId, StringComparer.Ordinal)] : [];

    public IReadOnlyList<OpenPosition> PositionsOf(long userId) =>
        _byUser.TryGetValue(userId, out var trader) ? [.. trader.Positions.Values.OrderBy(p => p.Ticket)] : [];

    public AccountView? AccountOf(long userId)
    {
        if (!_byUser.TryGetValue(userId, out var trader))
        {
            return null;
        }

        var now = Now;
        return new AccountView(userId, trader.User.EaUuid, EaAlive(trader, now), trader.EaLastSeenMs, trader.Account?.Balance, trader.Account?.Equity,
            trader.DayStartBalance, trader.SlotsUsed, SlotLimit(trader.User), trader.Positions.Count, EmergencyStop);
    }

    /// <summary>The slot limit: the auto band's slots in AUTO mode, the tier's manual slots otherwise.</summary>
    public static int SlotLimit(User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Mode == FireMode.Auto ? user.Auto.MaxSlots : user.Tier.Slots();
    }

    private static bool EaAlive(Trader trader, long now) => trader.EaLastSeenMs is { } seen && now - seen <= FireDecision.EaSilenceLimitMs;

    private void Reconcile(Trader trader, IReadOnlyList<ReportedPosition> reported, long now)
    {
        var graceMs = _options.HeartbeatGraceSeconds * 1000L;
        var tickets = reported.Select(p => p.Ticket).ToHashSet();
        foreach (var held in trader.Positions.Values.Where(p => !tickets.Contains(p.Ticket) && now - p.OpenedAtMs >= graceMs).ToList())
        {
            CloseHeld(trader, held, "MISSING", SlotReleaseReason.MissingFromHeartbeat,
                $"ticket {held.Ticket} no longer in the EA's positions", now);
        }

        foreach (var position in reported.Where(p => !trader.Positions.ContainsKey(p.Ticket)))
        {
            if (position.FireId is { } fireId && trader.Fires.TryGetValue(fireId, out var fire) && fire.Status == FireStatus.Sent)
            {
                trader.InFlight--;
                // The fill confirmation was lost or is late: the heartbeat proves the fill.
                Open(trader, fire, position.Ticket, position.OpenPrice, position.Lot, adopted: false, now);
                _outbox.Completed(fireId, true, position.Ticket, position.OpenPrice, "fill seen in a heartbeat");
                trader.Update(fire.Order.MissionId, m => m with { Status = MissionStatus.Filled });
                Emit(now, "trade_executed", trader, fire.Order.MissionId, fireId, $"fill seen in a heartbeat: ticket {position.Ticket}",
                    Details(fire.Order) with { Ticket = position.Ticket, Price = position.OpenPrice });
                continue;
            }

            if (position.FireId is { } ours && ours.StartsWith('F') && !_fires.ContainsKey(ours))
            {
                // Our order comment, but a fire we do not know (lost state, or placed by another server): adopt it
                // so its slot is held and it can be closed, and flag it.
                var adopted = new OpenPosition(position.Ticket, ours, trader.User.UserId, position.Symbol, position.Direction, position.Lot,
                    position.OpenPrice, position.StopLoss, position.TakeProfit, now, Adopted: true);
                trader.Positions[position.Ticket] = adopted;
                Emit(now, "trade_executed", trader, null, ours, $"adopted unknown position ticket {position.Ticket} ({position.Symbol})",
                    new ExecutionDetails(Symbol: position.Symbol, Direction: position.Direction, Lot: position.Lot, Ticket: position.Ticket, Price: position.OpenPrice));
            }
        }
    }

    private void Open(Trader trader, LiveFire fire, long ticket, double price, decimal lot, bool adopted, long now)
    {
        fire.Status = FireStatus.Filled;
        _filled++;
        var order = fire.Order;
        trader.Positions[ticket] = new OpenPosition(ticket, order.FireId, trader.User.UserId, order.Symbol, order.Direction, lot, price,
            order.StopLoss, order.TakeProfit, now, adopted);
    }

    private void CloseHeld(Trader trader, OpenPosition position, string reason, SlotReleaseReason release, string detail, long now)
    {
        trader.Positions.Remove(position.Ticket);
        trader.CloseRequested.Remove(position.Ticket);
        _closed++;
        string? missionId = null;
        if (trader.Fires.Remove(position.FireId, out var fire))
        {
            // Only live fires stay with the trader; the desk-wide index keeps every id to spot repeated confirmations.
            fire.Status = FireStatus.Closed;
            missionId = fire.Order.MissionId;
            trader.Update(missionId, m => m with { Status = MissionStatus.Closed, CloseReason = reason });
        }

        Emit(now, "position_closed", trader, missionId, position.FireId, detail,
            new ExecutionDetails(Symbol: position.Symbol, Direction: position.Direction, Lot: position.Lot, Ticket: position.Ticket, Reason: reason));
        Release(trader, position.FireId, release, now);
    }

    private void Release(Trader trader, string fireId, SlotReleaseReason reason, long now) =>
        Emit(now, "slot_released", trader, null, fireId, $"slot released: {reason.Code()} ({trader.SlotsUsed}/{SlotLimit(trader.User)} used)",
            new ExecutionDetails(Reason: reason.Code()));

    private void UpdateAccount(Trader trader, AccountSnapshot account, long now)
    {
        var previous = trader.Account;
        trader.Account = account;
        if (previous is null || previous.Balance != account.Balance)
        {
            // On a balance change only (a close settled, a deposit): equity moves on every heartbeat, and the live
            // figure is in AccountOf; the event keeps the history of what was realised.
            Emit(now, "balance_update", trader, null, null, $"balance {account.Balance} equity {account.Equity}",
                new ExecutionDetails(Balance: account.Balance, Equity: account.Equity, Account: trader.User.EaUuid));
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

    private void Emit(long now, string type, Trader? trader, string? missionId, string? fireId, string detail, ExecutionDetails? details = null)
    {
        Version++;
        _observer?.OnEvent(new ExecutionEvent(now, type, trader?.User.UserId, missionId, fireId, detail, details));
    }

    private static ExecutionDetails Details(FireOrder order) =>
        new(order.SignalId, order.Symbol, order.Direction, order.Lot, null, null, null, order.StopLoss, order.TakeProfit, null);

    private enum FireStatus
    {
        Sent,
        Filled,
        Failed,
        Closed,
    }

    private sealed class LiveFire(FireOrder order, FireSource source)
    {
        public FireOrder Order { get; set; } = order;

        public FireSource Source { get; } = source;

        public FireStatus Status { get; set; } = FireStatus.Sent;
    }

    /// <summary>One user's execution state.</summary>
    private sealed class Trader(User user)
    {
        public User User { get; set; } = user;

        public long? EaLastSeenMs { get; set; }

        public AccountSnapshot? Account { get; set; }

        public decimal DayStartBalance { get; set; }

        public long DayStartDay { get; set; } = -1;

        public decimal PeakEquity { get; set; }

        public Dictionary<string, TradingSpec> Specs { get; } = new(StringComparer.OrdinalIgnoreCase);

        public Dictionary<string, Mission> Missions { get; } = new(StringComparer.Ordinal);

        /// <summary>Live fires: in flight or filled and open. Failed and closed ones leave (the desk-wide index keeps their ids).</summary>
        public Dictionary<string, LiveFire> Fires { get; } = new(StringComparer.Ordinal);

        public Dictionary<long, OpenPosition> Positions { get; } = [];

        public HashSet<long> CloseRequested { get; } = [];

        /// <summary>Whether this process has heard from the user's EA yet.</summary>
        public bool SeenThisRun { get; set; }

        /// <summary>Changes a mission if the user still has it (a fire restored after a crash may outlive its mission).</summary>
        public void Update(string missionId, Func<Mission, Mission> change)
        {
            if (Missions.TryGetValue(missionId, out var mission))
            {
                Missions[missionId] = change(mission);
            }
        }

        /// <summary>Fires sent and not yet confirmed.</summary>
        public int InFlight { get; set; }

        /// <summary>A slot is held from fire until the position closes: fires in flight plus open positions.</summary>
        public int SlotsUsed => InFlight + Positions.Count;

        public bool HasOpposite(string symbol, Direction direction) =>
            Positions.Values.Any(p => p.Direction != direction && string.Equals(p.Symbol, symbol, StringComparison.OrdinalIgnoreCase))
            || Fires.Values.Any(f => f.Status == FireStatus.Sent && f.Order.Direction != direction
                && string.Equals(f.Order.Symbol, symbol, StringComparison.OrdinalIgnoreCase));
    }
}
