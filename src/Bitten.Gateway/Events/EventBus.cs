using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using Bitten.Domain.Events;
using Bitten.Engine.Kernel;
using Bitten.Wire.Events;
using Bitten.Zmq;
using Microsoft.Extensions.Logging;

namespace Bitten.Gateway.Events;

/// <summary>
/// The event bus of PRODUCT.md §7: PUB on the event port (5570) carrying every event as <c>[bitten.&lt;event_type&gt;, json]</c>,
/// and PULL on the event-in port (5571) for external producers, whose events are validated (<see cref="EventJson.Parse"/>),
/// appended to the log and republished; invalid ones are refused, counted by reason and logged. One thread owns both
/// sockets (ZeroMQ sockets are single-threaded); other threads hand it events through a bounded channel and a wake-up.
/// </summary>
public sealed class EventBus : IEventSink, IAsyncDisposable
{
    public const string ComponentName = "event-bus";
    public const string Source = "event_bus";
    public const int MaxFrameBytes = 65_536;

    private const int PollMilliseconds = 250;
    private const int DrainBatch = 4096;
    private const long HeartbeatMilliseconds = 30_000;

    private static readonly Dictionary<string, byte[]> Topics = EventTypes.All.ToDictionary(t => t, t => Encoding.UTF8.GetBytes("bitten." + t));

    private readonly ZmqOptions _zmq;
    private readonly IEventSink? _log;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly ComponentHealth? _health;
    private readonly Channel<EventEnvelope> _outbox = Channel.CreateBounded<EventEnvelope>(new BoundedChannelOptions(100_000)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly ConcurrentDictionary<string, long> _rejected = new(StringComparer.Ordinal);
    private readonly ZmqContext _context = new();
    private readonly string _wakeEndpoint = $"inproc://bitten-events-wake-{Guid.NewGuid():N}";
    private readonly Lock _wakeLock = new();
    private readonly Stopwatch _uptime = new();
    private ZmqSocket? _pub;
    private ZmqSocket? _pull;
    private ZmqSocket? _wake;
    private ZmqSocket? _wakeSender;
    private Thread? _thread;
    private volatile bool _stopping;
    private int _wakePending;
    private long _published;
    private long _received;
    private long _accepted;
    private long _dropped;
    private long _lastHeartbeatMs;

    /// <param name="log">Where accepted external events and <see cref="Append"/>ed ones are kept (the event log); null to only publish.</param>
    public EventBus(ZmqOptions zmq, IEventSink? log, ILogger logger, ComponentHealth? health = null, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(zmq);
        ArgumentNullException.ThrowIfNull(logger);
        _zmq = zmq;
        _log = log;
        _logger = logger;
        _health = health;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>The bound PUB port (the configured one, or the random one when configured as 0).</summary>
    public int EventPort { get; private set; }

    /// <summary>The bound PULL port for external producers.</summary>
    public int EventInPort { get; private set; }

    /// <summary>Events sent on the PUB (ours and accepted external ones).</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Messages received on the PULL, valid or not.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>External events that passed validation.</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Events refused by <see cref="Publish"/> because the outbox was full (or the bus stopped).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>External messages refused, all reasons together.</summary>
    public long Rejected
    {
        get
        {
            long total = 0;
            foreach (var count in _rejected.Values)
            {
                total += count;
            }

            return total;
        }
    }

    /// <summary>External messages refused for <paramref name="reason"/> (a code of <see cref="EventJson.Parse"/>, or <c>multipart</c>, <c>too_large</c>).</summary>
    public long RejectedFor(string reason) => _rejected.TryGetValue(reason, out var count) ? count : 0;

    /// <summary>Every refusal reason seen so far and its count.</summary>
    public IReadOnlyDictionary<string, long> RejectedByReason() => new Dictionary<string, long>(_rejected, StringComparer.Ordinal);

    /// <summary>Binds both ports (failing here, loudly, if one is taken) and starts the bus thread.</summary>
    public void Start()
    {
        _pub = _context.CreateSocket(ZmqSocketType.Pub);
        _pub.SendHighWatermark = 100_000;
        _pub.Linger = 100;
        _zmq.Serve(_pub);
        _pub.Bind(_zmq.BindEndpoint(_zmq.EventPort));
        _pull = _context.CreateSocket(ZmqSocketType.Pull);
        _pull.ReceiveHighWatermark = 100_000;
        _zmq.Serve(_pull);
        _pull.Bind(_zmq.BindEndpoint(_zmq.EventInPort));
        _wake = _context.CreateSocket(ZmqSocketType.Pull);
        _wake.Bind(_wakeEndpoint);
        _wakeSender = _context.CreateSocket(ZmqSocketType.Push);
        _wakeSender.Linger = 0;
        _wakeSender.Connect(_wakeEndpoint);
        EventPort = _pub.BoundPort;
        EventInPort = _pull.BoundPort;
        _uptime.Start();
        _health?.Report(ComponentName, ComponentState.Running, $"pub :{EventPort} in :{EventInPort}");
        _logger.LogInformation("Event bus: PUB {Pub}, external events PULL {Pull}", _pub.LastEndpoint, _pull.LastEndpoint);
        _thread = new Thread(Run) { Name = "bitten-event-bus", IsBackground = true };
        _thread.Start();
        Heartbeat("running");
    }

    /// <summary>Keeps the event (in the log given at construction) and publishes it. Any thread; never blocks.</summary>
    public void Append(EventEnvelope e)
    {
        ArgumentNullException.ThrowIfNull(e);
        _log?.Append(e);
        Publish(e);
    }

    /// <summary>Publishes the event on the PUB without keeping it. Any thread; never blocks: a full outbox drops and counts.</summary>
    public void Publish(EventEnvelope e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (_stopping || !_outbox.Writer.TryWrite(e))
        {
            var dropped = Interlocked.Increment(ref _dropped);
            if (dropped <= 10 || dropped % 1000 == 0)
            {
                _logger.LogWarning("Event bus: dropped {Type} ({Count} so far): the outbox is full or the bus is stopped", e.EventType, dropped);
                _health?.Report(ComponentName, ComponentState.Degraded, $"{dropped} events dropped: the outbox is full");
            }

            return;
        }

        // One wake-up per burst: the bus thread clears the flag before it drains, so no event is left waiting.
        if (Interlocked.Exchange(ref _wakePending, 1) == 0)
        {
            lock (_wakeLock)
            {
                if (!_stopping && _wakeSender is not null)
                {
                    _wakeSender.TrySend([1], dontWait: true);
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_thread is not null)
        {
            Heartbeat("stopping");
        }

        lock (_wakeLock)
        {
            _stopping = true;
            _wakeSender?.Dispose();
        }

        _outbox.Writer.TryComplete();
        if (_thread is not null)
        {
            await Task.Run(_thread.Join).ConfigureAwait(false);
        }

        _pub?.Dispose();
        _pull?.Dispose();
        _wake?.Dispose();
        _context.Dispose();
        _health?.Report(ComponentName, ComponentState.Stopped);
    }

    private void Run()
    {
        Span<ZmqPollItem> poll = [new ZmqPollItem(_pull!), new ZmqPollItem(_wake!)];
        while (!_stopping)
        {
            try
            {
                ZmqPoller.Poll(poll, PollMilliseconds);
                if (poll[0].IsReadable)
                {
                    DrainInbound();
                }

                if (poll[1].IsReadable)
                {
                    while (_wake!.TryReceiveFrame(out _, dontWait: true))
                    {
                    }
                }

                Volatile.Write(ref _wakePending, 0);
                DrainOutbox();
                MaybeHeartbeat();
            }
            catch (Exception e) when (e is not ZmqException || !_stopping)
            {
                // A bad message or a failing sink must not take the bus down: count it, show it, go on.
                _logger.LogError(e, "Event bus: fault handling an event; the bus goes on");
                _health?.Report(ComponentName, ComponentState.Degraded, e.Message);
            }
        }

        // What was published before the stop still goes out (the PUB lingers briefly for it).
        try
        {
            DrainOutbox();
        }
        catch (ZmqException)
        {
        }
    }

    private void DrainInbound()
    {
        for (var i = 0; i < DrainBatch && _pull!.TryReceiveFrame(out var frame, dontWait: true); i++)
        {
            Interlocked.Increment(ref _received);
            if (_pull.HasMore)
            {
                // An event is one frame: drop the whole multipart message, reading its remaining parts.
                while (_pull.HasMore && _pull.TryReceiveFrame(out _, dontWait: true))
                {
                }

                Reject("multipart", frame);
                continue;
            }

            if (frame.Length > MaxFrameBytes)
            {
                Reject("too_large", frame);
                continue;
            }

            var envelope = EventJson.Parse(frame, out var error);
            if (envelope is null)
            {
                Reject(error, frame);
                continue;
            }

            Interlocked.Increment(ref _accepted);
            _log?.Append(envelope);
            Send(envelope);
        }
    }

    private void DrainOutbox()
    {
        var reader = _outbox.Reader;
        for (var i = 0; i < DrainBatch && reader.TryRead(out var e); i++)
        {
            Send(e);
        }

        if (reader.TryPeek(out _))
        {
            // More than a batch waiting: come straight back rather than sleeping in the poll.
            Interlocked.Exchange(ref _wakePending, 1);
            lock (_wakeLock)
            {
                if (!_stopping)
                {
                    _wakeSender?.TrySend([1], dontWait: true);
                }
            }
        }
    }

    private void Send(EventEnvelope e)
    {
        var topic = Topics.TryGetValue(e.EventType, out var known) ? known : Encoding.UTF8.GetBytes("bitten." + e.EventType);
        var json = EventJson.Write(e);
        if (_pub!.TrySend(topic, more: true, dontWait: true))
        {
            _pub.TrySend(json, dontWait: true);
            Interlocked.Increment(ref _published);
        }
    }

    private void Reject(string reason, byte[] frame)
    {
        var count = _rejected.AddOrUpdate(reason, 1, static (_, c) => c + 1);
        if (count <= 10 || count % 1000 == 0)
        {
            // The first few of each reason in full, then one in a thousand, so a flood cannot drown the log.
            var sample = Encoding.UTF8.GetString(frame, 0, Math.Min(frame.Length, 160)) + (frame.Length > 160 ? "…" : "");
            _logger.LogWarning("Event bus: rejected an external event ({Reason}, {Count} so far): {Frame}", reason, count, sample);
        }
    }

    private void MaybeHeartbeat()
    {
        var now = _uptime.ElapsedMilliseconds;
        if (now - _lastHeartbeatMs >= HeartbeatMilliseconds)
        {
            Heartbeat("running");
        }
    }

    /// <summary>The original broker's own system_health beat, with a status its validation accepts.</summary>
    private void Heartbeat(string status)
    {
        _lastHeartbeatMs = _uptime.ElapsedMilliseconds;
        var data = EventJson.Data(json =>
        {
            json.WriteString("component"u8, ComponentName);
            json.WriteString("status"u8, status);
            json.WriteNumber("uptime"u8, Math.Round(_uptime.Elapsed.TotalSeconds, 1));
            json.WriteNumber("events_published"u8, Published);
            json.WriteNumber("events_received"u8, Received);
            json.WriteNumber("pub_port"u8, EventPort);
            json.WriteNumber("pull_port"u8, EventInPort);
        });
        Append(new EventEnvelope(EventTypes.SystemHealth, _clock.GetUtcNow().ToUnixTimeMilliseconds(), Source, data));
    }
}
