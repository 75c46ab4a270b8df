using System.Threading.Channels;
using Bitten.Domain.Signals;
using Bitten.Engine.Kernel;
using Bitten.Engine.Signals;
using Bitten.Wire.Signals;
using Bitten.Zmq;
using Microsoft.Extensions.Logging;

namespace Bitten.Gateway.Signals;

/// <summary>
/// Publishes raised signals on the signal port (PUB 5557) as <c>ELITE_GUARD_SIGNAL &lt;json&gt;</c>. The kernel hands
/// signals over without waiting (a bounded channel); this publisher's own thread owns the socket.
/// </summary>
public sealed class SignalPublisher : ISignalSink, IAsyncDisposable
{
    public const string ComponentName = "signal-publisher";

    private readonly ZmqOptions _zmq;
    private readonly ILogger _logger;
    private readonly ComponentHealth? _health;
    private readonly Channel<Signal> _outbox = Channel.CreateBounded<Signal>(new BoundedChannelOptions(10_000)
    {
        // The reader is a dedicated thread blocked on the wait: waking it inline is a Set, not a thread-pool hop.
        AllowSynchronousContinuations = true,
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly ZmqContext _context = new();
    private ZmqSocket? _pub;
    private Thread? _thread;
    private long _published;
    private long _dropped;

    public SignalPublisher(ZmqOptions zmq, ILogger logger, ComponentHealth? health = null)
    {
        _zmq = zmq;
        _logger = logger;
        _health = health;
    }

    public int Port { get; private set; }

    public long Published => Interlocked.Read(ref _published);

    public long Dropped => Interlocked.Read(ref _dropped);

    public void Start()
    {
        _pub = _context.CreateSocket(ZmqSocketType.Pub);
        _zmq.Serve(_pub);
        _pub.Bind(_zmq.BindEndpoint(_zmq.SignalPort));
        Port = _pub.BoundPort;
        _thread = new Thread(Run) { Name = "bitten-signals", IsBackground = true };
        _thread.Start();
        _health?.Report(ComponentName, ComponentState.Running, $"PUB :{Port}");
    }

    /// <summary>Called on the kernel thread: never blocks. A full outbox (10,000 unsent) drops and counts.</summary>
    public void OnSignal(Signal signal)
    {
        if (!_outbox.Writer.TryWrite(signal))
        {
            Interlocked.Increment(ref _dropped);
            _health?.Report(ComponentName, ComponentState.Degraded, $"{Dropped} signals dropped: the outbox is full");
        }
    }

    public async ValueTask DisposeAsync()
    {
        _outbox.Writer.TryComplete();
        if (_thread is not null)
        {
            await Task.Run(() => _thread.Join());
        }

        _pub?.Dispose();
        _context.Dispose();
        _health?.Report(ComponentName, ComponentState.Stopped);
    }

    private void Run()
    {
        var reader = _outbox.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (reader.TryRead(out var signal))
            {
                _pub!.Send(SignalJson.Frame(signal));
                Interlocked.Increment(ref _published);
                _logger.LogInformation("Signal {Id}: {Direction} {Symbol} @ {Entry} SL {Sl} TP {Tp} confidence {Confidence}",
                    signal.SignalId, signal.Direction.WireName(), signal.Symbol, signal.EntryPrice, signal.StopLoss, signal.TakeProfit, signal.Confidence);
            }
        }
    }
}
