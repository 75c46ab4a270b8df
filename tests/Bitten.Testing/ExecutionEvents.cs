using Bitten.Engine.Execution;

namespace Bitten.Testing;

/// <summary>
/// Records execution events (raised on the kernel thread) and lets a test await the first one matching a condition:
/// tests wait on what the system did, never on a clock.
/// </summary>
public sealed class ExecutionEvents : IExecutionObserver
{
    private readonly List<(Func<ExecutionEvent, bool> Match, TaskCompletionSource<ExecutionEvent> Done)> _waits = [];
    private readonly List<ExecutionEvent> _seen = [];
    private readonly Lock _lock = new();

    public IReadOnlyList<ExecutionEvent> Seen
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
    public Task<ExecutionEvent> WaitFor(Func<ExecutionEvent, bool> match, TimeSpan? timeout = null) => WaitForCount(match, 1, timeout);

    /// <summary>Completes once <paramref name="count"/> matching events have been seen.</summary>
    public Task<ExecutionEvent> WaitForCount(Func<ExecutionEvent, bool> match, int count, TimeSpan? timeout = null)
    {
        var done = new TaskCompletionSource<ExecutionEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        var seen = 0;
        bool Counting(ExecutionEvent e) => match(e) && ++seen >= count;
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

    public void OnEvent(ExecutionEvent e)
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
