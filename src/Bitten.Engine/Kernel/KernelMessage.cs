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

    public static KernelMessage ForClock() => new(KernelMessageKind.Clock, default, null);

    public static KernelMessage ForFlush(TaskCompletionSource done) => new(KernelMessageKind.Flush, default, done);
}

public enum KernelMessageKind
{
    Tick,
    Clock,
    Flush,
}

/// <summary>Where adapters hand validated ticks to the kernel.</summary>
public interface ITickSink
{
    /// <summary>Queues a tick, waiting while the inbox is full: back-pressure reaches the EA instead of losing ticks.</summary>
    void Post(in Tick tick);
}
