using System.Threading.Channels;
using Bitten.Domain.Market;
using Bitten.Domain.Primitives;
using Bitten.Engine.Market;

namespace Bitten.Engine.Kernel;

/// <summary>Kernel settings (section <c>Kernel</c>).</summary>
public sealed class KernelOptions
{
    public const string Section = "Kernel";

    /// <summary>Inbox capacity; when full, producers wait.</summary>
    public int InboxCapacity { get; set; } = 65_536;

    /// <summary>How often the clock message runs time-based work (closing bars whose end has passed).</summary>
    public int ClockIntervalMilliseconds { get; set; } = 250;
}

/// <summary>
/// The one thread that owns trading state. Adapters post to a bounded inbox; the loop drains it synchronously
/// and runs each handler to completion, so no domain state needs a lock. Handlers never block and never await.
/// </summary>
public sealed class TradingKernel : ITickSink, ICandleSink, IAsyncDisposable
{
    private readonly TimeProvider _clock;
    private readonly KernelOptions _options;
    private readonly Channel<KernelMessage> _inbox;
    private readonly CandleAggregator _candles;
    private readonly List<ICandleSink> _candleSinks = [];
    private readonly List<ITickObserver> _tickObservers = [];
    private readonly List<IClockObserver> _clockObservers = [];
    private readonly ComponentHealth? _health;
    private readonly System.Collections.Concurrent.ConcurrentQueue<TickBatch> _batches = new();
    private Thread? _thread;
    private ITimer? _timer;
    private long _faults;

    public TradingKernel(TimeProvider clock, MarketOptions market, KernelOptions options, ComponentHealth? health = null)
    {
        _clock = clock;
        _options = options;
        _health = health;
        _inbox = Channel.CreateBounded<KernelMessage>(new BoundedChannelOptions(options.InboxCapacity)
        {
            // The reader is a dedicated thread blocked on the wait: waking it inline is a Set, not a thread-pool hop.
            AllowSynchronousContinuations = true,
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _candles = new CandleAggregator(this, market);
    }

    public const string ComponentName = "kernel";

    public ComponentState State { get; private set; } = ComponentState.Stopped;

    /// <summary>Candle counters; read from other threads as a monitoring snapshot.</summary>
    public CandleAggregator Candles => _candles;

    public long Faults => Interlocked.Read(ref _faults);

    public string? LastFault { get; private set; }

    /// <summary>Subscribes a candle consumer; call before <see cref="Start"/>.</summary>
    public void Subscribe(ICandleSink sink) => _candleSinks.Add(sink);

    /// <summary>Subscribes a tick consumer (the outcome tracker); call before <see cref="Start"/>.</summary>
    public void Subscribe(ITickObserver observer) => _tickObservers.Add(observer);

    public void Start()
    {
        if (_thread is not null)
        {
            throw new InvalidOperationException("the kernel is already running");
        }

        SetState(ComponentState.Running, "");
        _thread = new Thread(Run) { Name = "bitten-kernel", IsBackground = true };
        _thread.Start();
        var interval = TimeSpan.FromMilliseconds(_options.ClockIntervalMilliseconds);
        _timer = _clock.CreateTimer(static k => ((TradingKernel)k!)._inbox.Writer.TryWrite(KernelMessage.ForClock()), this, interval, interval);
    }

    public void Post(in Tick tick)
    {
        var message = KernelMessage.ForTick(tick);
        if (!_inbox.Writer.TryWrite(message))
        {
            WaitAndWrite(message);
        }
    }

    public TickBatch RentBatch() => _batches.TryDequeue(out var batch) ? batch : new TickBatch();

    public void Post(TickBatch batch)
    {
        var message = KernelMessage.ForBatch(batch);
        if (!_inbox.Writer.TryWrite(message))
        {
            WaitAndWrite(message);
        }
    }

    public void PostHistoryBar(in Candle bar)
    {
        var message = KernelMessage.ForHistoryBar(in bar);
        if (!_inbox.Writer.TryWrite(message))
        {
            WaitAndWrite(message);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the kernel thread: how adapters (EA reports, API requests) change trading state
    /// without a lock. Waits while the inbox is full rather than dropping it: this is not the tick path.
    /// </summary>
    public void Post(Action work)
    {
        var message = KernelMessage.ForWork(work);
        if (!_inbox.Writer.TryWrite(message))
        {
            WaitAndWrite(message);
        }
    }

    /// <summary>Runs <paramref name="query"/> on the kernel thread and completes with its result (or its exception).</summary>
    public async Task<T> AskAsync<T>(Func<T> query)
    {
        var answer = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        await _inbox.Writer.WriteAsync(KernelMessage.ForWork(() =>
        {
            try
            {
                answer.TrySetResult(query());
            }
            catch (Exception e)
            {
                answer.TrySetException(e);
            }
        }));
        return await answer.Task;
    }

    /// <summary>Subscribes time-based work (mission expiry, orphan timeouts) to the clock message; call before <see cref="Start"/>.</summary>
    public void Subscribe(IClockObserver observer) => _clockObservers.Add(observer);

    /// <summary>Completes when every message posted before this call has been handled.</summary>
    public Task FlushAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_inbox.Writer.TryWrite(KernelMessage.ForFlush(done)))
        {
            return _inbox.Writer.WriteAsync(KernelMessage.ForFlush(done)).AsTask().ContinueWith(_ => done.Task, TaskScheduler.Default).Unwrap();
        }

        return done.Task;
    }

    /// <summary>
    /// For replay, which calls <see cref="Handle"/> on its own thread instead of <see cref="Start"/>: the clock
    /// message then comes from a timer on the (manual) clock, handled inline and in time order, exactly as the
    /// running kernel's timer would post it. Dispose the result to stop it.
    /// </summary>
    public ITimer HandleClockInline()
    {
        var interval = TimeSpan.FromMilliseconds(_options.ClockIntervalMilliseconds);
        return _clock.CreateTimer(static k => ((TradingKernel)k!).Handle(KernelMessage.ForClock()), this, interval, interval);
    }

    /// <summary>Handles one message on the caller's thread: replay drives the kernel this way, without the loop.</summary>
    public void Handle(in KernelMessage message)
    {
        try
        {
            switch (message.Kind)
            {
                case KernelMessageKind.Tick:
                    OnTick(message.Tick);
                    break;
                case KernelMessageKind.TickBatch:
                    var batch = (TickBatch)message.Payload!;
                    var ticks = batch.Ticks;
                    for (var i = 0; i < batch.Count; i++)
                    {
                        try
                        {
                            OnTick(in ticks[i]);
                        }
                        catch (Exception e)
                        {
                            // One failing tick must not cost the rest of its batch.
                            RecordFault(e);
                        }
                    }

                    batch.Count = 0;
                    _batches.Enqueue(batch);
                    break;
                case KernelMessageKind.HistoryBar:
                    _candles.OnHistoryBar((Candle)message.Payload!);
                    break;
                case KernelMessageKind.Clock:
                    var now = UnixMs.Now(_clock);
                    _candles.OnClock(now);
                    foreach (var observer in _clockObservers)
                    {
                        observer.OnClock(now);
                    }

                    break;
                case KernelMessageKind.Work:
                    ((Action)message.Payload!)();
                    break;
                case KernelMessageKind.Flush:
                    ((TaskCompletionSource)message.Payload!).TrySetResult();
                    break;
            }
        }
        catch (Exception e)
        {
            // One bad message must not stop the kernel: count it, show it, go on.
            RecordFault(e);
        }
    }

    private void OnTick(in Tick tick)
    {
        _candles.OnTick(in tick);
        for (var i = 0; i < _tickObservers.Count; i++)
        {
            _tickObservers[i].OnTick(in tick);
        }
    }

    private void RecordFault(Exception e)
    {
        Interlocked.Increment(ref _faults);
        LastFault = e.Message;
        SetState(ComponentState.Degraded, $"handler fault: {e.Message}");
    }

    void ICandleSink.OnCandleClosed(in Candle candle)
    {
        foreach (var sink in _candleSinks)
        {
            try
            {
                sink.OnCandleClosed(in candle);
            }
            catch (Exception e)
            {
                // A failing consumer must not cost the other consumers their candle, nor the aggregator its state.
                RecordFault(e);
            }
        }
    }

    void ICandleSink.OnHistoryBar(in Candle bar)
    {
        foreach (var sink in _candleSinks)
        {
            try
            {
                sink.OnHistoryBar(in bar);
            }
            catch (Exception e)
            {
                RecordFault(e);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_timer is not null)
        {
            await _timer.DisposeAsync();
        }

        _inbox.Writer.TryComplete();
        if (_thread is not null)
        {
            await Task.Run(() => _thread.Join());
        }

        SetState(ComponentState.Stopped, "");
    }

    private void Run()
    {
        var reader = _inbox.Reader;
        while (true)
        {
            while (reader.TryRead(out var message))
            {
                Handle(in message);
            }

            var wait = reader.WaitToReadAsync();
            var more = wait.IsCompleted ? wait.Result : wait.AsTask().GetAwaiter().GetResult();
            if (!more)
            {
                return;
            }
        }
    }

    private void WaitAndWrite(KernelMessage message)
    {
        // Slow path, kept apart so the common TryWrite stays small and allocation-free.
        _inbox.Writer.WriteAsync(message).AsTask().GetAwaiter().GetResult();
    }

    private void SetState(ComponentState state, string detail)
    {
        State = state;
        _health?.Report(ComponentName, state, detail);
    }
}
