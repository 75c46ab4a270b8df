using Bitten.Gateway.Curve;
using Bitten.Domain.Market;
using Bitten.Domain.Primitives;
using Bitten.Engine.Kernel;
using Bitten.Engine.Market;
using Bitten.Wire.Ea;
using Bitten.Zmq;
using Microsoft.Extensions.Logging;

namespace Bitten.Gateway.Market;

/// <summary>
/// The EA market-data bridge: PULL on the market-in port, parse and validate every frame, republish each valid
/// one unchanged (less an MQL5 NUL terminator) on the market-out PUB and hand ticks to the kernel. Bad frames, and
/// ticks or bars for new symbols past Market:MaxSymbols, are refused with a reason and counted; nothing an EA sends
/// can stop it. One thread owns both sockets (ZeroMQ sockets are single-threaded).
/// </summary>
public sealed class MarketBridge : IAsyncDisposable
{
    public const string ComponentName = "bridge";

    private const int PollMilliseconds = 200;
    private const int DrainBatch = 4096;

    private readonly ZmqOptions _zmq;
    private readonly BridgeOptions _options;
    private readonly SymbolRegistry _symbols;
    private readonly ITickSink? _kernel;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly ComponentHealth? _health;
    private readonly TickValidator _validator;
    private readonly int _maxSymbols;
    private readonly EaSources _sources = new();
    private readonly ZmqContext _context = new();
    private readonly byte[] _buffer;
    private readonly byte[] _scratch = new byte[MarketFrameParser.ScratchBytes];
    private ZmqSocket? _pull;
    private ZmqSocket? _pub;
    private Thread? _thread;
    private volatile bool _stopping;
    private long _lastSilenceCheckMs;
    private TickBatch? _batch;
    private readonly CurveRefusals? _refusals;
    private HandshakeMonitor? _handshakes;

    public MarketBridge(ZmqOptions zmq, BridgeOptions options, MarketOptions market, SymbolRegistry symbols, ITickSink? kernel,
        TimeProvider clock, ILogger logger, ComponentHealth? health = null, CurveRefusals? refusals = null)
    {
        _zmq = zmq;
        _refusals = refusals;
        _options = options;
        _symbols = symbols;
        _kernel = kernel;
        _clock = clock;
        _logger = logger;
        _health = health;
        _validator = new TickValidator(market);
        _maxSymbols = market.MaxSymbols;
        _buffer = new byte[options.MaxFrameBytes];
    }

    public BridgeStats Stats { get; } = new();

    public EaSources Sources => _sources;

    /// <summary>The bound market-in port (the configured one, or the random one when configured as 0).</summary>
    public int MarketInPort { get; private set; }

    public int MarketOutPort { get; private set; }

    /// <summary>
    /// For an engine apart from its bridge: subscribes to the bridge's market-out port at <paramref name="upstream"/> and
    /// feeds the kernel from it, binding nothing. What arrives was validated there, and is validated again here (the
    /// symbols must be registered in this process anyway, and a frame that fails here fails for a reason of this side's).
    /// </summary>
    public void StartFromUpstream(string upstream)
    {
        ArgumentException.ThrowIfNullOrEmpty(upstream);
        var sub = _context.CreateSocket(ZmqSocketType.Sub);
        sub.ReceiveHighWatermark = 100_000;
        _zmq.Dial(sub);
        sub.Subscribe([]);
        sub.Connect(upstream);
        _pull = sub;
        _health?.Report(ComponentName, ComponentState.Running, $"from {upstream}");
        _logger.LogInformation("Market feed: SUB {Upstream} (the bridge runs elsewhere)", upstream);
        _thread = new Thread(Run) { Name = "bitten-bridge", IsBackground = true };
        _thread.Start();
    }

    /// <summary>Binds both ports (failing here, loudly, if a port is taken) and starts the bridge thread.</summary>
    public void Start()
    {
        _pull = _context.CreateSocket(ZmqSocketType.Pull);
        _pull.ReceiveHighWatermark = 100_000;
        _zmq.Serve(_pull);
        _pull.Bind(_zmq.BindEndpoint(_zmq.MarketInPort));
        _pub = _context.CreateSocket(ZmqSocketType.Pub);
        _pub.SendHighWatermark = _options.PublishHighWatermark;
        _zmq.Serve(_pub);
        _pub.Bind(_zmq.BindEndpoint(_zmq.MarketOutPort));
        MarketInPort = _pull.BoundPort;
        MarketOutPort = _pub.BoundPort;
        if (_zmq.CurveEnabled && _refusals is not null)
        {
            _handshakes = new HandshakeMonitor(_context, [(_pull, "market_in"), (_pub, "market_out")], _refusals, _logger);
        }

        _health?.Report(ComponentName, ComponentState.Running, $"in :{MarketInPort} out :{MarketOutPort}");
        _logger.LogInformation("Market bridge: PULL {In} → PUB {Out}", _pull.LastEndpoint, _pub.LastEndpoint);
        _thread = new Thread(Run) { Name = "bitten-bridge", IsBackground = true };
        _thread.Start();
    }

    public async ValueTask DisposeAsync()
    {
        _stopping = true;
        if (_thread is not null)
        {
            await Task.Run(() => _thread.Join());
        }

        _handshakes?.Dispose();
        _pull?.Dispose();
        _pub?.Dispose();
        _context.Dispose();
        _health?.Report(ComponentName, ComponentState.Stopped);
    }

    private void Run()
    {
        Span<ZmqPollItem> poll = [new ZmqPollItem(_pull!)];
        try
        {
            while (!_stopping)
            {
                if (ZmqPoller.Poll(poll, PollMilliseconds) > 0)
                {
                    for (var i = 0; i < DrainBatch && _pull!.TryReceive(_buffer, out var size, out var more, dontWait: true); i++)
                    {
                        try
                        {
                            OnFrame(size, more);
                        }
                        catch (Exception e) when (e is not ZmqException)
                        {
                            OnFault(e);
                        }
                    }

                    // The socket ran dry (or the batch limit was hit): hand the burst to the kernel now.
                    try
                    {
                        PostBatch();
                    }
                    catch (Exception e) when (e is not ZmqException)
                    {
                        _batch = null;
                        OnFault(e);
                    }
                }

                CheckSilence();
            }
        }
        catch (Exception e) when (!_stopping)
        {
            _health?.Report(ComponentName, ComponentState.Faulted, e.Message);
            _logger.LogCritical(e, "Market bridge stopped by an unexpected error");
        }
    }

    private void OnFault(Exception e)
    {
        // A bug met by one frame must not stop the market feed: count it, show it, go on.
        Stats.CountFault();
        _health?.Report(ComponentName, ComponentState.Degraded, $"frame handling fault: {e.Message}");
        _logger.LogError(e, "Market frame handling failed; the bridge goes on");
    }

    private void OnFrame(int size, bool more)
    {
        var now = UnixMs.Now(_clock);
        Stats.CountReceived();
        if (more)
        {
            // A market message is one frame: drop the whole multipart message, reading its remaining parts.
            while (more && _pull!.TryReceive(_buffer, out _, out more, dontWait: true))
            {
            }

            Reject(RejectReason.Multipart, default);
            return;
        }

        if (size > _buffer.Length)
        {
            Reject(RejectReason.FrameTooLarge, default);
            return;
        }

        // MQL5's StringToCharArray leaves a NUL terminator behind: the parser tolerates it, subscribers' parsers do not.
        var frameBytes = _buffer.AsSpan(0, size).TrimEnd((byte)0);
        var reason = MarketFrameParser.Parse(frameBytes, _scratch, out var frame);
        if (reason != RejectReason.None)
        {
            Reject(reason, frameBytes);
            return;
        }

        if (!frame.Type.IsMarketPortType())
        {
            Reject(RejectReason.UnexpectedType, frameBytes);
            return;
        }

        var symbol = SymbolId.None;
        if (frame.Type is EaMessageType.Tick or EaMessageType.Ohlc)
        {
            // Before any per-EA state: a frame refused for its symbol costs nothing but its counter.
            reason = _symbols.Admit(frame.Symbol, _maxSymbols, out symbol);
            if (reason != RejectReason.None)
            {
                Reject(reason, frameBytes);
                return;
            }
        }

        var sourceIndex = _sources.IndexOf(frame.Source);
        ref var source = ref _sources[sourceIndex];
        if (source.Silent)
        {
            _logger.LogInformation("EA {Source} is back after {Seconds:F0} s of silence", _sources.NameOf(sourceIndex), (now - source.LastSeenMs) / 1000.0);
            source.Silent = false;
            ReportSilence();
        }

        source.LastSeenMs = now;
        source.Messages++;
        source.Disconnected = frame.Type == EaMessageType.Disconnect;
        if (frame.HasUtcOffset)
        {
            source.HasUtcOffset = true;
            source.UtcOffsetSeconds = frame.UtcOffsetSeconds;
        }

        if (frame.Type == EaMessageType.Tick)
        {
            var eventTime = frame.TimestampMs;
            if (frame.TimestampKind == TimestampKind.BrokerTime)
            {
                eventTime -= (source.HasUtcOffset ? source.UtcOffsetSeconds : _options.DefaultBrokerUtcOffsetSeconds) * UnixMs.Second;
            }

            var tick = new Tick(symbol, frame.Bid, frame.Ask, eventTime, now, frame.Volume);
            reason = _validator.Validate(in tick);
            if (reason != RejectReason.None)
            {
                Reject(reason, frameBytes);
                return;
            }

            Publish(frameBytes);
            Stats.CountTick(symbol, tick.Bid, tick.Ask, tick.EventTimeMs);
            if (_kernel is not null)
            {
                _batch ??= _kernel.RentBatch();
                _batch.Add(in tick);
                if (_batch.IsFull)
                {
                    PostBatch();
                }
            }

            return;
        }

        if (frame.Type == EaMessageType.Ohlc)
        {
            OnBar(symbol, in frame, now, frameBytes);
            return;
        }

        Publish(frameBytes);
    }

    /// <summary>
    /// An EA's history bar. M5 bars warm the detectors' look-back (the engine builds the other periods itself and no
    /// detector reads them, so those are republished and counted, not applied). MT5 bars are bid bars: the ask is
    /// the bid plus the symbol's last spread seen on a tick, or the bid itself before any tick — a spread we
    /// have not seen would be one we made up.
    /// </summary>
    private void OnBar(SymbolId symbol, in MarketFrame frame, long now, ReadOnlySpan<byte> frameBytes)
    {
        var last = Stats.Symbol(symbol);
        var spread = last.Ticks > 0 ? last.LastAsk - last.LastBid : 0;
        var bid = new Ohlc(frame.Open, frame.High, frame.Low, frame.Close);
        var ask = new Ohlc(frame.Open + spread, frame.High + spread, frame.Low + spread, frame.Close + spread);
        var half = spread / 2;
        var mid = new Ohlc(frame.Open + half, frame.High + half, frame.Low + half, frame.Close + half);
        var bar = new Candle(symbol, frame.Timeframe, frame.BarOpenTimeMs, bid, ask, mid, (int)Math.Clamp(frame.TickVolume, 0, int.MaxValue));
        var reason = _validator.ValidateBar(in bar, now);
        if (reason != RejectReason.None)
        {
            Reject(reason, frameBytes);
            return;
        }

        Publish(frameBytes);
        if (bar.Timeframe != Timeframe.M5)
        {
            Stats.CountBar(applied: false);
            return;
        }

        Stats.CountBar(applied: true);
        if (_kernel is not null)
        {
            // Behind the ticks already read, so the kernel sees the feed in the order the EA sent it.
            PostBatch();
            _kernel.PostHistoryBar(in bar);
        }
    }

    private void PostBatch()
    {
        if (_batch is { Count: > 0 })
        {
            _kernel!.Post(_batch);
            _batch = null;
        }
    }

    private void Publish(ReadOnlySpan<byte> frame)
    {
        // Republished byte for byte: subscribers see exactly what the EA sent (less a NUL terminator), minus everything refused.
        if (_pub is not null)
        {
            _pub.TrySend(frame, dontWait: true);
            Stats.CountPublished();
        }
    }

    private void Reject(RejectReason reason, ReadOnlySpan<byte> frame)
    {
        Stats.CountRejected(reason);
        var count = Stats.Rejected(reason);
        if (count <= 10 || count % 1000 == 0)
        {
            // The first few of each reason in full, then one in a thousand, so a flood cannot drown the log.
            var sample = frame.Length > 120 ? System.Text.Encoding.UTF8.GetString(frame[..120]) + "…" : System.Text.Encoding.UTF8.GetString(frame);
            _logger.LogWarning("Rejected market frame ({Reason}, {Count} so far): {Frame}", reason.Code(), count, sample);
        }
    }

    private void CheckSilence()
    {
        var now = UnixMs.Now(_clock);
        if (now - _lastSilenceCheckMs < 1000)
        {
            return;
        }

        _lastSilenceCheckMs = now;
        var limit = _options.SilenceSeconds * UnixMs.Second;
        var changed = false;
        for (var i = 0; i < _sources.Count; i++)
        {
            ref var source = ref _sources[i];
            if (!source.Silent && !source.Disconnected && source.LastSeenMs > 0 && now - source.LastSeenMs >= limit)
            {
                source.Silent = true;
                changed = true;
                _logger.LogWarning("EA {Source} silent for {Seconds} s (last message {Last}); still listening",
                    _sources.NameOf(i), (now - source.LastSeenMs) / 1000, UnixMs.Format(source.LastSeenMs));
            }
        }

        if (changed)
        {
            ReportSilence();
        }
    }

    private void ReportSilence()
    {
        var silent = _sources.Snapshot().Where(s => s.Silent).Select(s => s.Source).ToList();
        _health?.Report(ComponentName, silent.Count == 0 ? ComponentState.Running : ComponentState.Degraded,
            silent.Count == 0 ? $"in :{MarketInPort} out :{MarketOutPort}" : $"silent EA: {string.Join(", ", silent)}");
    }
}
