using Bitten.Domain.Primitives;
using Bitten.Simulation.Replay;
using Bitten.Wire.Ea;
using Bitten.Zmq;
using Microsoft.Extensions.Logging;

namespace Bitten.Simulation.Ea;

/// <summary>
/// An EA that connects exactly as BITTEN_Bridge.mq5 does — PUSH ticks to the market port, DEALER (identity =
/// UUID) to the command port with HELLO and a HEARTBEAT every 30 s, PUSH to the confirmation port — and replays
/// recorded ticks at a chosen speed. Orders go to a <see cref="PaperBroker"/> fed with every tick the EA sends,
/// through the <see cref="EaCommandLink"/> every paper EA shares.
/// </summary>
public sealed class SimulatedEa
{
    private const int SendTimeoutMs = 200;
    private const long M5Ms = 5 * 60_000;

    private readonly SimulatedEaOptions _options;
    private readonly TickReplay _replay;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly CurveClient _curve;
    private readonly EaCommandLink _link;
    private long _ticksSent;
    private long _historySent;
    private int _passes;

    public SimulatedEa(SimulatedEaOptions options, TickReplay replay, TimeProvider clock, ILogger logger)
    {
        _options = options;
        _replay = replay;
        _clock = clock;
        _logger = logger;
        Broker = new PaperBroker(options);
        _curve = new CurveClient(options.CurveServerKey, options.PingSeconds, options.PingTimeoutSeconds);
        _link = new EaCommandLink(options, Broker, replay.Symbols, () => TicksSent, _curve, clock, logger);
    }

    public PaperBroker Broker { get; }

    public long TicksSent => Interlocked.Read(ref _ticksSent);

    /// <summary>OHLC history bars sent on connect.</summary>
    public long HistoryBarsSent => Interlocked.Read(ref _historySent);

    public long CommandsReceived => _link.CommandsReceived;

    /// <summary>How many times the replay has run through all its files.</summary>
    public int Passes => Volatile.Read(ref _passes);

    public AccountReport Account => Broker.Account;

    /// <summary>Runs until the replay ends (unless looping) or <paramref name="cancel"/> fires.</summary>
    public async Task RunAsync(CancellationToken cancel)
    {
        using var context = new ZmqContext();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var commands = Task.Factory.StartNew(() => _link.Run(context, stop.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            await Task.Factory.StartNew(() => RunMarket(context, stop.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        finally
        {
            await stop.CancelAsync();
            await commands;
        }
    }

    private void RunMarket(ZmqContext context, CancellationToken cancel)
    {
        using var push = context.CreateSocket(ZmqSocketType.Push);
        push.SendHighWatermark = 100_000;
        push.Linger = 2000; // let the last ticks and DISCONNECT leave before the socket closes
        push.SendTimeout = SendTimeoutMs;
        _curve.Secure(push);
        push.Connect($"tcp://{_options.MarketHost ?? _options.Host}:{_options.MarketPort}");
        var writer = new EaMessageWriter();
        var symbols = _replay.Symbols;
        Send(push, writer.Handshake(_options.Uuid, _options.NodeId, Account, 0, symbols, UnixMs.Now(_clock)), cancel);
        _logger.LogInformation("Simulated EA {Uuid}: replaying {Files} file(s) of {Symbols} at {Speed}", _options.Uuid, _replay.Files.Count,
            string.Join(",", symbols), _options.Speed == 0 ? "max speed" : $"{_options.Speed}x");
        var lastHeartbeat = _clock.GetTimestamp();
        var stampNow = _options.EffectiveTimestamps == TickTimestamps.Now;
        // Each further pass of a loop is shifted later by whole days, so recorded times keep moving forward
        // (a market never goes back in time) and sessions stay where they were.
        long passShiftMs = 0;
        long lastRecorded = 0;
        var chart = _options.HistoryBars > 0 && _options.StartTimeOfDay is not null ? new ChartHistory(_options.HistoryBars) : null;
        var opening = new List<ReplayTick>();
        do
        {
            var started = _clock.GetTimestamp();
            long first = 0;
            long skipUntil = 0;
            double skippedMs = 0;
            foreach (var (symbol, tick) in _replay.Read())
            {
                if (cancel.IsCancellationRequested)
                {
                    break;
                }

                if (first == 0)
                {
                    if (skipUntil == 0 && _options.StartTimeOfDay is { } startAt && Passes == 0)
                    {
                        // Stamped with our clock, the replay starts as far into its M5 bar as our clock is into its
                        // own, so the bars the engine builds are the recorded bars (moved by whole bars) and the
                        // history below joins them without a seam.
                        var phase = stampNow ? UnixMs.Now(_clock) % M5Ms : 0;
                        skipUntil = UnixMs.Floor(tick.TimeMs, 86_400_000) + (long)startAt.TotalMilliseconds + phase;
                    }

                    if (tick.TimeMs < skipUntil)
                    {
                        chart?.Add(symbol, tick);
                        if (chart is not null && tick.TimeMs >= UnixMs.Floor(skipUntil, M5Ms))
                        {
                            opening.Add(new ReplayTick(symbol, tick));
                        }

                        continue;
                    }

                    first = tick.TimeMs;
                    if (chart is not null)
                    {
                        SendHistory(push, writer, chart, first, stampNow, cancel);
                        chart = null;

                        // The bar it connects in is on the terminal's chart too: its ticks so far go at once, so the
                        // engine's first bar is the whole recorded bar, not the part after the start.
                        var forming = UnixMs.Floor(first, M5Ms);
                        foreach (var (openingSymbol, openingTick) in opening)
                        {
                            if (openingTick.TimeMs >= forming)
                            {
                                SendTick(push, writer, openingSymbol, openingTick, stampNow ? UnixMs.Now(_clock) : openingTick.TimeMs, cancel);
                            }
                        }

                        opening.Clear();
                    }
                }

                if (_options.Speed > 0)
                {
                    var dueMs = ((tick.TimeMs - first) / _options.Speed) - skippedMs;
                    var waitMs = dueMs - _clock.GetElapsedTime(started).TotalMilliseconds;
                    if (waitMs > _options.MaxPauseSeconds * 1000)
                    {
                        skippedMs += waitMs - (_options.MaxPauseSeconds * 1000);
                        waitMs = _options.MaxPauseSeconds * 1000;
                    }

                    if (waitMs >= 2 && !Wait(TimeSpan.FromMilliseconds(waitMs), cancel))
                    {
                        break;
                    }
                }

                lastRecorded = tick.TimeMs;
                SendTick(push, writer, symbol, tick, stampNow ? UnixMs.Now(_clock) : tick.TimeMs + passShiftMs, cancel);
                if (_clock.GetElapsedTime(lastHeartbeat).TotalSeconds >= _options.HeartbeatSeconds)
                {
                    Send(push, writer.TelemetryHeartbeat(_options.Uuid, _options.NodeId, Account, symbols.Count, TicksSent, UnixMs.Now(_clock)), cancel);
                    lastHeartbeat = _clock.GetTimestamp();
                }
            }

            Interlocked.Increment(ref _passes);
            if (first != 0)
            {
                passShiftMs += UnixMs.Floor(lastRecorded - first, 86_400_000) + 86_400_000;
            }
        }
        while (_options.Loop && !cancel.IsCancellationRequested);

        // One try: a stopping EA with no server left must not wait for one.
        push.TrySend(writer.Disconnect(_options.Uuid, _options.NodeId, symbols.Count, TicksSent, UnixMs.Now(_clock)));
        _logger.LogInformation("Simulated EA {Uuid}: sent {Ticks} ticks", _options.Uuid, TicksSent);
    }

    private static void Send(ZmqSocket socket, ReadOnlySpan<byte> frame, CancellationToken cancel) => EaCommandLink.Send(socket, frame, cancel);

    private bool Wait(TimeSpan delay, CancellationToken cancel) => EaCommandLink.Wait(_clock, delay, cancel);

    private void SendTick(ZmqSocket push, EaMessageWriter writer, string symbol, in RecordedTick tick, long stamp, CancellationToken cancel)
    {
        // The broker sees the quote before the server does, so a fire answering this tick finds its price.
        Broker.OnPrice(symbol, tick.Bid, tick.Ask, stamp);
        var spread = Math.Round((tick.Ask - tick.Bid) / PointOf(symbol), 1);
        Send(push, writer.Tick(_options.Uuid, _options.NodeId, symbol, tick.Bid, tick.Ask, spread, stamp), cancel);
        Interlocked.Increment(ref _ticksSent);
    }

    /// <summary>
    /// The chart a terminal sends when it connects: the M5 bars that closed before the bar the first live tick falls
    /// in. Stamped with our clock, the bars move by the whole bars between that recorded bar and ours, as the ticks do.
    /// </summary>
    private void SendHistory(ZmqSocket push, EaMessageWriter writer, ChartHistory chart, long firstTickMs, bool stampNow, CancellationToken cancel)
    {
        var forming = UnixMs.Floor(firstTickMs, M5Ms);
        var shift = stampNow ? UnixMs.Floor(UnixMs.Now(_clock), M5Ms) - forming : 0;
        var bars = chart.Before(forming);
        foreach (var (symbol, bar) in bars)
        {
            var bid = bar.Bid;
            Send(push, writer.Ohlc(_options.Uuid, _options.NodeId, symbol, "M5", bar.OpenTimeMs + shift, bid.Open, bid.High, bid.Low, bid.Close, bar.TickCount),
                cancel);
        }

        Interlocked.Add(ref _historySent, bars.Count);
        _logger.LogInformation("Simulated EA {Uuid}: sent {Bars} M5 bars of history", _options.Uuid, bars.Count);
    }

    /// <summary>The MT5 point of a symbol, from the symbol catalogue's digits (5-digit FX, 3-digit JPY, 2-digit gold).</summary>
    public static double PointOf(string symbol) => Math.Pow(10, -DigitsOf(symbol));

    private static int DigitsOf(string symbol) =>
        SymbolCatalogue.Default.TryGet(symbol, out var spec) ? spec.Digits
        : symbol.Contains("JPY", StringComparison.OrdinalIgnoreCase) ? 3
        : 5; // outside the catalogue: assume a 5-digit FX pair

    internal static SymbolSpecReport SpecOf(string symbol)
    {
        var point = PointOf(symbol);
        var contract = SymbolCatalogue.Default.TryGet(symbol, out var spec) ? (decimal)spec.ContractSize : 100_000m;
        // The value of one tick is only exact without a price when the quote currency is the account's (USD);
        // otherwise 0 tells the server to use its fallback table.
        var tickValue = symbol.EndsWith("USD", StringComparison.OrdinalIgnoreCase) ? contract * (decimal)point : 0m;
        return new SymbolSpecReport(symbol, DigitsOf(symbol), point, tickValue, point, 0.01m, 0.01m, 100m, 0);
    }
}
