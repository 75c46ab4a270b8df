using Bitten.Engine.Kernel;

namespace Bitten.Telegram.Tests;

/// <summary>
/// A manual clock that jumps to each timer's due time as soon as the timer is made: the sender's waits take no wall
/// time, yet each send happens at the instant its wait says, so tests assert the flood limits on this clock's times.
/// Only the sender makes timers on it; a timer disposed before its jump (a wait a new message cut short) jumps nothing.
/// </summary>
public sealed class JumpingClock : TimeProvider
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly ManualClock _clock = new(Start);
    private readonly Lock _jump = new();

    public override DateTimeOffset GetUtcNow() => _clock.GetUtcNow();

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new Jumping(_clock.CreateTimer(callback, state, dueTime, period));
        if (dueTime > TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan)
        {
            var dueAt = _clock.GetUtcNow() + dueTime;
            ThreadPool.QueueUserWorkItem(_ =>
            {
                lock (_jump)
                {
                    if (!timer.Disposed && _clock.GetUtcNow() < dueAt)
                    {
                        _clock.SetUtcNow(dueAt);
                    }
                }
            });
        }

        return timer;
    }

    private sealed class Jumping(ITimer inner) : ITimer
    {
        private volatile bool _disposed;

        public bool Disposed => _disposed;

        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(dueTime, period);

        public void Dispose()
        {
            _disposed = true;
            inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
