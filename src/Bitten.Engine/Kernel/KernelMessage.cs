using Bitten.Domain.Market;

namespace Bitten.Engine.Kernel;

/// <summary>
/// What crosses the kernel inbox. A struct, so a tick travels without allocating; rarer messages carry a payload.
/// </summary>
public readonly struct KernelMessage
{
    private KernelMessage(KernelMessageKind kind, in Tick tick, object? payload)
    {
        Kind = kind;
        Tick = tick;
        Payload = payload;
    }

    public KernelMessageKind Kind { get; }

    public Tick Tick { get; }

    public object? Payload { get; }

    public static KernelMessage ForTick(in Tick tick) => new(KernelMessageKind.Tick, tick, null);

    public static KernelMessage ForBatch(TickBatch batch) => new(KernelMessageKind.TickBatch, default, batch);

    /// <summary>An EA's history bar (boxed: a few hundred on connect and one per bar after, never per tick).</summary>
    public static KernelMessage ForHistoryBar(in Candle bar) => new(KernelMessageKind.HistoryBar, default, bar);

    public static KernelMessage ForClock() => new(KernelMessageKind.Clock, default, null);

    public static KernelMessage ForFlush(TaskCompletionSource done) => new(KernelMessageKind.Flush, default, done);

    /// <summary>Work from an adapter (an EA report, an API request) to run on the kernel thread.</summary>
    public static KernelMessage ForWork(Action work) => new(KernelMessageKind.Work, default, work);
}

public enum KernelMessageKind
{
    Tick,
    TickBatch,
    HistoryBar,
    Clock,
    Flush,
    Work,
}

/// <summary>
/// Ticks handed to the kernel in one message. Waking the kernel thread costs far more than a candle update, so
/// an adapter fills a batch while its socket has frames and posts it when the socket runs dry or the batch is
/// full: one wake-up per burst instead of one per tick. Batches are pooled, so this allocates nothing.
/// </summary>
public sealed class TickBatch
{
    public const int Capacity = 1024;

    public Tick[] Ticks { get; } = new Tick[Capacity];

    public int Count { get; set; }

    public bool IsFull => Count == Capacity;

    public void Add(in Tick tick) => Ticks[Count++] = tick;
}

/// <summary>Sees every tick the kernel applies, after the candles (so a bar a tick closes is already published).</summary>
public interface ITickObserver
{
    void OnTick(in Tick tick);
}

/// <summary>Runs on each clock message (every 250 ms of the kernel's clock) with the clock's time in Unix ms.</summary>
public interface IClockObserver
{
    void OnClock(long nowMs);
}

/// <summary>Where adapters hand validated ticks to the kernel.</summary>
public interface ITickSink
{
    /// <summary>Queues a tick, waiting while the inbox is full: back-pressure reaches the EA instead of losing ticks.</summary>
    void Post(in Tick tick);

    /// <summary>An empty batch to fill and <see cref="Post(TickBatch)"/>.</summary>
    TickBatch RentBatch();

    /// <summary>Queues a filled batch; the kernel returns it to the pool once handled.</summary>
    void Post(TickBatch batch);

    /// <summary>Queues a validated history bar (OHLC) behind the ticks posted before it, waiting while the inbox is full.</summary>
    void PostHistoryBar(in Candle bar);
}
