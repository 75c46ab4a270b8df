using Bitten.Gateway.Curve;
using System.Collections.Concurrent;
using System.Text;
using System.Threading.Channels;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Domain.Trading;
using Bitten.Engine.Execution;
using Bitten.Engine.Kernel;
using Bitten.Wire.Ea;
using Bitten.Zmq;
using Microsoft.Extensions.Logging;

namespace Bitten.Gateway.Execution;

/// <summary>
/// The EAs' execution ports, on one thread that owns their sockets: ROUTER on Zmq:CommandPort (HELLO and HEARTBEAT
/// in; fire, close and ping out, addressed by the EA's identity = its UUID) and PULL on Zmq:ConfirmPort
/// (confirmations). Reports go to the <see cref="ExecutionDesk"/> on the kernel thread; outgoing commands arrive from
/// the <see cref="CommandOutbox"/> over an in-process socket, so only this thread ever touches the ROUTER.
/// </summary>
/// <remarks>
/// A HELLO with a pairing code waits for a worker of its own to redeem the code (a database transaction), so a slow
/// store never holds up the other EAs on this thread; that EA's later messages queue behind its HELLO, and the
/// check-in reaches the desk only once the code is redeemed (or refused).
/// A message whose claimed UUID differs from its connection's identity is refused and alerted. A second connection
/// with the identity of a live EA never reaches us at all: libzmq's ROUTER ignores a duplicate routing id unless
/// handover is enabled, which we leave off — the original let an impostor take over a live EA's route.
/// </remarks>
public sealed class EaGateway : IAsyncDisposable
{
    public const string ComponentName = "ea-gateway";

    private const int PollMilliseconds = 250;
    private const int MaxFrameBytes = 1 << 20;
    private const int MaxPendingPairings = 256;

    private readonly ZmqOptions _zmq;
    private readonly TradingKernel _kernel;
    private readonly ExecutionDesk _desk;
    private readonly IEaPairing? _pairing;
    private readonly SymbolRegistry? _symbols;
    private readonly Channel<PendingCheckIn> _pairings = Channel.CreateBounded<PendingCheckIn>(
        new BoundedChannelOptions(MaxPendingPairings) { SingleReader = true, SingleWriter = true });

    // Check-ins queued for the pairing worker, per EA: while an EA has any, its later ones join the queue behind them.
    private readonly ConcurrentDictionary<string, int> _queued = new(StringComparer.Ordinal);
    private readonly ILogger _logger;
    private readonly ComponentHealth? _health;
    private readonly ZmqContext _context = new();
    private readonly string _outboundEndpoint = $"inproc://bitten-ea-outbound-{Guid.NewGuid():N}";
    private ZmqSocket? _router;
    private ZmqSocket? _confirm;
    // The outbox's wake-ups arrive here; the commands themselves wait in the queue.
    private ZmqSocket? _outbound;
    private static readonly byte[] WakeFrame = [1];
    private readonly ConcurrentQueue<(byte[] Target, byte[] Command)> _outboundCommands = new();
    private Thread? _thread;
    private Task? _pairingWorker;
    private volatile bool _stopping;
    private Func<ValueTask>? _stopSender;
    private readonly CurveRefusals? _refusals;
    private HandshakeMonitor? _handshakes;

    /// <param name="symbols">Where the symbols a known EA declares in its HELLO are registered (they are always taken).</param>
    public EaGateway(ZmqOptions zmq, TradingKernel kernel, ExecutionDesk desk, IEaPairing? pairing, ILogger logger, ComponentHealth? health = null,
        SymbolRegistry? symbols = null, CurveRefusals? refusals = null)
    {
        _refusals = refusals;
        _zmq = zmq;
        _kernel = kernel;
        _desk = desk;
        _pairing = pairing;
        _logger = logger;
        _health = health;
        _symbols = symbols;
    }

    public EaGatewayStats Stats { get; } = new();

    public int CommandPort { get; private set; }

    public int ConfirmPort { get; private set; }

    public void Start()
    {
        _router = _context.CreateSocket(ZmqSocketType.Router);
        // An unknown identity must fail the send, not vanish: the fire then stays unconfirmed and is resent on HELLO.
        _router.RouterMandatory = true;
        _router.Linger = 0;
        _zmq.Serve(_router);
        _router.Bind(_zmq.BindEndpoint(_zmq.CommandPort));
        _confirm = _context.CreateSocket(ZmqSocketType.Pull);
        _zmq.Serve(_confirm);
        _confirm.Bind(_zmq.BindEndpoint(_zmq.ConfirmPort));
        _outbound = _context.CreateSocket(ZmqSocketType.Pull);
        _outbound.Bind(_outboundEndpoint);
        CommandPort = _router.BoundPort;
        ConfirmPort = _confirm.BoundPort;
        if (_zmq.CurveEnabled && _refusals is not null)
        {
            _handshakes = new HandshakeMonitor(_context, [(_router, "command"), (_confirm, "confirm")], _refusals, _logger);
        }

        _health?.Report(ComponentName, ComponentState.Running, $"commands :{CommandPort} confirmations :{ConfirmPort}");
        _logger.LogInformation("EA gateway: ROUTER {Commands}, confirmations PULL {Confirm}", _router.LastEndpoint, _confirm.LastEndpoint);
        _pairingWorker = Task.Run(RedeemPairingsAsync);
        _thread = new Thread(Run) { Name = "bitten-ea-gateway", IsBackground = true };
        _thread.Start();
    }

    /// <summary>
    /// The wake-up socket for <see cref="CommandOutbox"/> (see <see cref="WakeToSend"/>): a PUSH into this gateway, for one thread's use only.
    /// <paramref name="stop"/> closes it: the ZeroMQ context cannot end while it is open, so disposing the gateway
    /// stops the sender first, whatever order the owners are disposed in.
    /// </summary>
    internal ZmqSocket CreateOutboundSender(Func<ValueTask> stop)
    {
        _stopSender = stop;
        var push = _context.CreateSocket(ZmqSocketType.Push);
        push.Linger = 0;
        push.Connect(_outboundEndpoint);
        return push;
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopSender is not null)
        {
            await _stopSender();
        }

        _stopping = true;
        if (_thread is not null)
        {
            await Task.Run(() => _thread.Join());
        }

        _pairings.Writer.TryComplete();
        if (_pairingWorker is not null)
        {
            await _pairingWorker;
        }

        _handshakes?.Dispose();
        _router?.Dispose();
        _confirm?.Dispose();
        _outbound?.Dispose();
        _context.Dispose();
        _health?.Report(ComponentName, ComponentState.Stopped);
    }

    private void Run()
    {
        Span<ZmqPollItem> poll = [new ZmqPollItem(_router!), new ZmqPollItem(_confirm!), new ZmqPollItem(_outbound!)];
        while (!_stopping)
        {
            try
            {
                if (ZmqPoller.Poll(poll, PollMilliseconds) <= 0)
                {
                    continue;
                }

                if (poll[0].IsReadable)
                {
                    DrainRouter();
                }

                if (poll[1].IsReadable)
                {
                    DrainConfirmations();
                }

                if (poll[2].IsReadable)
                {
                    DrainOutbound();
                }
            }
            catch (Exception e) when (e is not ZmqException || !_stopping)
            {
                // A bad message or a failing handler must not take the EAs' ports down.
                Stats.Reject();
                _logger.LogError(e, "EA gateway: fault handling a message");
                _health?.Report(ComponentName, ComponentState.Degraded, e.Message);
            }
        }
    }

    private void DrainRouter()
    {
        while (_router!.TryReceiveFrame(out var identity, dontWait: true))
        {
            var frames = new List<byte[]> { identity };
            while (_router.HasMore && _router.TryReceiveFrame(out var next, dontWait: true))
            {
                frames.Add(next);
            }

            if (frames.Count != 2 || frames[1].Length > MaxFrameBytes)
            {
                Stats.Reject();
                continue;
            }

            OnCommandPortMessage(Encoding.UTF8.GetString(identity), frames[1]);
        }
    }

    private void OnCommandPortMessage(string identity, byte[] payload)
    {
        var parsed = EaMessageParser.Parse(payload);
        if (parsed.Message is not (EaHello or EaHeartbeat))
        {
            Stats.Reject();
            _logger.LogWarning("EA gateway: refused a message from {Identity}: {Reason}", identity,
                parsed.Message is null ? parsed.Reason.Code() : $"{parsed.Message.Type} does not belong on the command port");
            return;
        }

        var uuid = parsed.Message.Uuid;
        if (uuid != identity)
        {
            // The connection says one EA, the message another: never act on it (the original's impostor).
            Stats.Impostor();
            _logger.LogWarning("EA gateway: ALERT: connection {Identity} claims to be EA {Uuid}; refused", identity, uuid);
            return;
        }

        var checkIn = parsed.Message switch
        {
            EaHello hello => new EaCheckIn(identity, true, Account(hello.Account), Positions(hello.Positions), Specs(hello.Symbols), hello.RecentFireIds),
            EaHeartbeat beat => new EaCheckIn(identity, false, Account(beat.Account), beat.Positions is null ? null : Positions(beat.Positions), [], beat.RecentFireIds),
            _ => throw new InvalidOperationException("unreachable"),
        };
        Stats.CheckIn();
        var code = parsed.Message is EaHello { PairingCode: { Length: > 0 } c } && _pairing is not null ? c : null;
        if (code is null && !_queued.ContainsKey(identity))
        {
            PostCheckIn(checkIn);
            return;
        }

        _queued.AddOrUpdate(identity, 1, (_, n) => n + 1);
        if (!_pairings.Writer.TryWrite(new PendingCheckIn(code, checkIn)))
        {
            Dequeued(identity);
            Stats.Reject();
            _logger.LogWarning("EA gateway: {Pending} pairings are being redeemed; refused the HELLO of EA {Uuid}, which will send it again",
                MaxPendingPairings, identity);
        }
    }

    /// <summary>A new fire the outbox did not send (the store would not keep it): the kernel fails it with the reason.</summary>
    internal void NotSent(FireOrder fire, FireRefusal refusal, string message) => _kernel.Post(() => _desk.OnNotSent(fire.FireId, refusal, message));

    private void PostCheckIn(EaCheckIn checkIn) => _kernel.Post(() =>
    {
        if (!_desk.OnCheckIn(checkIn))
        {
            Stats.UnknownEa();
            _logger.LogWarning("EA gateway: EA {Uuid} belongs to no user; pair it (`bitten user pair`) or set it (`bitten user set --uuid`)", checkIn.EaUuid);
            return;
        }

        foreach (var spec in checkIn.Specs)
        {
            // A known EA's own instruments: registered whatever the allowance for symbols first seen in ticks.
            if (SymbolRegistry.IsValidName(spec.Symbol))
            {
                _symbols?.GetOrAdd(spec.Symbol);
            }
        }
    });

    /// <summary>The pairing worker: redeems one code at a time, then hands that EA's check-ins to the kernel in order.</summary>
    private async Task RedeemPairingsAsync()
    {
        await foreach (var pending in _pairings.Reader.ReadAllAsync())
        {
            var identity = pending.CheckIn.EaUuid;
            try
            {
                if (pending.Code is { } code && _pairing!.Redeem(code, identity) is { } user)
                {
                    Stats.Pair();
                    _logger.LogInformation("EA gateway: EA {Uuid} paired to user {User}", identity, user.TelegramId);
                    _kernel.Post(() => _desk.UpsertUser(user));
                }

                PostCheckIn(pending.CheckIn);
            }
            catch (Exception e)
            {
                // The store failed: this HELLO is refused (the EA sends another); the EAs already paired go on.
                Stats.Reject();
                _logger.LogError(e, "EA gateway: redeeming the pairing code of EA {Uuid} failed", identity);
                _health?.Report(ComponentName, ComponentState.Degraded, $"pairing failed: {e.Message}");
            }
            finally
            {
                Dequeued(identity);
            }
        }
    }

    private void Dequeued(string identity)
    {
        // Removed only at zero, atomically: a check-in the socket thread queues meanwhile keeps the entry alive.
        if (_queued.AddOrUpdate(identity, 0, (_, n) => n - 1) == 0)
        {
            _queued.TryRemove(new KeyValuePair<string, int>(identity, 0));
        }
    }

    private void DrainConfirmations()
    {
        while (_confirm!.TryReceiveFrame(out var frame, dontWait: true))
        {
            while (_confirm.HasMore && _confirm.TryReceiveFrame(out _, dontWait: true))
            {
                // Confirmations are single frames; the rest of a multipart message is dropped with it.
            }

            var parsed = frame.Length > MaxFrameBytes ? EaParseResult.Reject(RejectReason.FrameTooLarge) : EaMessageParser.Parse(frame);
            switch (parsed.Message)
            {
                case FireConfirmation c:
                    Stats.Fill();
                    var fill = new FillReport(c.FireId, c.Uuid, c.Success, c.Ticket, c.Price, c.Lot, c.Message, Account(c.Account));
                    _kernel.Post(() => _desk.OnFill(fill));
                    break;
                case CloseConfirmation c:
                    Stats.Close();
                    var close = new CloseReport(c.FireId, c.Uuid, c.Ticket, c.ClosePrice, c.Profit, c.Message, Account(c.Account));
                    _kernel.Post(() => _desk.OnClose(close));
                    break;
                case EaPong:
                    Stats.Pong();
                    break;
                default:
                    Stats.Reject();
                    _logger.LogWarning("EA gateway: refused a frame on the confirmation port: {Reason}",
                        parsed.Message is null ? parsed.Reason.Code() : $"{parsed.Message.Type} does not belong there");
                    break;
            }
        }
    }

    /// <summary>
    /// Called by the outbox thread: the command waits here for the ROUTER, which only this gateway's thread may use.
    /// The outbox wakes the gateway (<see cref="WakeToSend"/>) after the first command of a batch and every few dozen
    /// after: a signal's thousand fires cross threads as a handful of wake-ups, not as two thousand inproc frames.
    /// </summary>
    internal void QueueCommand(byte[] target, byte[] command) => _outboundCommands.Enqueue((target, command));

    /// <summary>Wakes the gateway thread to send what <see cref="QueueCommand"/> queued (on the outbox's own socket).</summary>
    internal static void WakeToSend(ZmqSocket sender) => sender.TrySend(WakeFrame, dontWait: true);

    private void DrainOutbound()
    {
        // The wake-ups carry nothing: however many there are, one drain of the queue sends everything behind them.
        while (_outbound!.TryReceiveFrame(out _, dontWait: true))
        {
        }

        while (_outboundCommands.TryDequeue(out var next))
        {
            try
            {
                _router!.Send(next.Target, more: true);
                _router.Send(next.Command);
                Stats.Send();
            }
            catch (ZmqException)
            {
                // EHOSTUNREACH: that EA is not connected now. Its fire stays unconfirmed and goes again on its HELLO.
                Stats.NotDelivered();
                _logger.LogWarning("EA gateway: EA {Uuid} is not connected; command held until it reconnects", Encoding.UTF8.GetString(next.Target));
            }
        }
    }

    private sealed record PendingCheckIn(string? Code, EaCheckIn CheckIn);

    private static AccountSnapshot Account(AccountReport report) => new(report.Balance, report.Equity, report.FreeMargin, report.Currency);

    private static List<ReportedPosition> Positions(IReadOnlyList<EaPosition> positions)
    {
        var result = new List<ReportedPosition>(positions.Count);
        foreach (var p in positions)
        {
            if (Directions.TryParse(p.Direction, out var direction))
            {
                result.Add(new ReportedPosition(p.Ticket, p.FireId, p.Symbol, direction, p.Volume, p.OpenPrice, p.StopLoss, p.TakeProfit));
            }
        }

        return result;
    }

    private static List<TradingSpec> Specs(IReadOnlyList<SymbolSpecReport> symbols)
    {
        var result = new List<TradingSpec>(symbols.Count);
        foreach (var s in symbols)
        {
            if (TradingSpecs.FromReport(s.Symbol, s.Digits, s.TickValue, s.TickSize, s.VolumeMin, s.VolumeStep, s.VolumeMax) is { } spec)
            {
                result.Add(spec);
            }
        }

        return result;
    }
}
