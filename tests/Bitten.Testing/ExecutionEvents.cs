using Bitten.Domain.Events;
using Bitten.Engine.Execution;

namespace Bitten.Testing;

/// <summary>
/// Records execution events (raised on the kernel thread) and lets a test await the first one matching a condition:
/// tests wait on what the system did, never on a clock.
/// </summary>
public sealed class ExecutionEvents : IExecutionObserver
{
    private readonly List<(Func<TradingEvent, bool> Match, TaskCompletionSource<TradingEvent> Done)> _waits = [];
    private readonly List<TradingEvent> _seen = [];
    private readonly Lock _lock = new();

    public IReadOnlyList<TradingEvent> Seen
    {
        get
        {
            lock (_lock)
            {
                return [.. _seen];
            }
        }
    }

    /// <summary>Completes with the first event (already seen or still to come) that matches, or times out.</summary>
    public Task<TradingEvent> WaitFor(Func<TradingEvent, bool> match, TimeSpan? timeout = null) => WaitForCount(match, 1, timeout);

    /// <summary>Completes once <paramref name="count"/> matching events have been seen.</summary>
    public Task<TradingEvent> WaitForCount(Func<TradingEvent, bool> match, int count, TimeSpan? timeout = null)
    {
        var done = new TaskCompletionSource<TradingEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        var seen = 0;
        bool Counting(TradingEvent e) => match(e) && ++seen >= count;
        lock (_lock)
        {
            if (_seen.FirstOrDefault(Counting) is { } already)
            {
                done.TrySetResult(already);
            }
            else
            {
                _waits.Add((Counting, done));
            }
        }

        return done.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(60));
    }

    public void OnEvent(TradingEvent e)
    {
        lock (_lock)
        {
            _seen.Add(e);
            foreach (var wait in _waits.Where(w => w.Match(e)).ToList())
            {
                wait.Done.TrySetResult(e);
                _waits.Remove(wait);
            }
        }
    }
}
