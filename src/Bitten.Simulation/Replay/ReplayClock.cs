namespace Bitten.Simulation.Replay;

/// <summary>
/// The replay's clock: replay time in Unix ms, moved only by the replay on its one thread. It stands where
/// <see cref="Bitten.Engine.Kernel.ManualClock"/> would, without its locks and timer list: the replay posts the
/// kernel's clock messages itself, at the times the manual clock's timer would fire them (see ReplayRunner), so
/// millions of clock steps cost a field write each.
/// </summary>
internal sealed class ReplayClock(long startMs) : TimeProvider
{
    public long NowMs { get; set; } = startMs;

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(NowMs);

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <summary>Nothing in a replay makes timers; one that did would never fire, so it is refused out loud.</summary>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        throw new NotSupportedException("the replay clock has no timers: ReplayRunner posts the clock messages itself");
}
