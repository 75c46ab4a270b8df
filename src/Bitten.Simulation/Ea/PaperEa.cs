using System.Text;
using Bitten.Domain.Primitives;
using Bitten.Wire.Ea;
using Bitten.Zmq;
using Microsoft.Extensions.Logging;

namespace Bitten.Simulation.Ea;

/// <summary>
/// A simulated account that trades the live feed: it sends no ticks of its own, but connects to the command and
/// confirmation ports exactly as a user's EA does (HELLO, heartbeats with its balance and positions, confirmations)
/// and prices its fills and SL/TP on the ticks the market bridge republishes on its market-data PUB — only ones the
/// bridge validated. The press pass trades on one, so a trial needs no broker account and no shared credentials.
/// </summary>
public sealed class PaperEa
{
    private readonly SimulatedEaOptions _options;
    private readonly int _marketDataPort;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly CurveClient _curve;
    private readonly EaCommandLink _link;
    private readonly TaskCompletionSource _firstQuote = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _ticksSeen;

    /// <param name="options">Its uuid, the server's host, command and confirmation ports, CURVE key, balance and heartbeat.</param>
    /// <param name="marketDataPort">The bridge's market-data PUB (Zmq:MarketOutPort, 5560 by default).</param>
    /// <param name="symbols">The symbols whose specs its HELLO reports.</param>
    public PaperEa(SimulatedEaOptions options, int marketDataPort, IReadOnlyList<string> symbols, TimeProvider clock, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(symbols);
        _options = options;
        _marketDataPort = marketDataPort;
        _clock = clock;
        _logger = logger;
        Broker = new PaperBroker(options);
        _curve = new CurveClient(options.CurveServerKey, options.PingSeconds, options.PingTimeoutSeconds);
        _link = new EaCommandLink(options, Broker, symbols, () => TicksSeen, _curve, clock, logger);
    }

    /// <summary>The symbols of the built-in catalogue, for a HELLO that reports every symbol the engine may signal.</summary>
    public static IReadOnlyList<string> CatalogueSymbols { get; } = [.. SymbolCatalogue.Default.All.Select(s => s.Symbol)];

    public string Uuid => _options.Uuid;

    public PaperBroker Broker { get; }

    /// <summary>Validated ticks it has priced its positions on.</summary>
    public long TicksSeen => Interlocked.Read(ref _ticksSeen);

    /// <summary>Completes when the first validated tick has priced the account: from then on it can fill a fire.</summary>
    public Task FirstQuote => _firstQuote.Task;

    public long CommandsReceived => _link.CommandsReceived;

    /// <summary>Runs until <paramref name="cancel"/> fires.</summary>
    public async Task RunAsync(CancellationToken cancel)
    {
        using var context = new ZmqContext();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        // Prices first, so a fire answered right after HELLO finds a quote.
        var prices = Task.Factory.StartNew(() => RunPrices(context, stop.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            await Task.Factory.StartNew(() => _link.Run(context, stop.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        finally
        {
            await stop.CancelAsync();
            await prices;
        }

        _logger.LogInformation("Paper EA {Uuid}: stopped after {Ticks} ticks, balance {Balance}", Uuid, TicksSeen, Broker.Account.Balance);
    }

    private void RunPrices(ZmqContext context, CancellationToken cancel)
    {
        using var sub = context.CreateSocket(ZmqSocketType.Sub);
        _curve.Secure(sub);
        sub.Subscribe([]);
        sub.Connect(EaCommandLink.Endpoint(_options, _marketDataPort));
        var scratch = new byte[MarketFrameParser.ScratchBytes];
        Span<ZmqPollItem> poll = [new ZmqPollItem(sub)];
        while (!cancel.IsCancellationRequested)
        {
            if (ZmqPoller.Poll(poll, 50) <= 0)
            {
                continue;
            }

            while (sub.TryReceiveFrame(out var frame, dontWait: true))
            {
                OnFrame(frame, scratch);
            }
        }
    }

    private void OnFrame(byte[] frame, byte[] scratch)
    {
        if (MarketFrameParser.Parse(frame, scratch, out var parsed) != RejectReason.None || parsed.Type != EaMessageType.Tick)
        {
            return; // history bars, heartbeats and the rest price nothing
        }

        // Our clock, not the tick's: the bridge republishes the EA's own stamp, which may be broker time.
        Broker.OnPrice(Encoding.UTF8.GetString(parsed.Symbol), parsed.Bid, parsed.Ask, UnixMs.Now(_clock));
        Interlocked.Increment(ref _ticksSeen);
        _firstQuote.TrySetResult();
    }
}
