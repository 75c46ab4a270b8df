namespace Bitten.Telegram.Tests;

/// <summary>An outbox that keeps what it is given, once per key, as the stored one does.</summary>
public sealed class RecordingOutbox : IBotOutbox
{
    private readonly Dictionary<string, BotMessage> _byKey = new(StringComparer.Ordinal);
    private readonly List<(int Count, TaskCompletionSource Done)> _waiters = [];

    public List<(string Key, BotMessage Message)> Messages { get; } = [];

    /// <summary>Each message by its key, as stored.</summary>
    public IReadOnlyDictionary<string, BotMessage> Sent
    {
        get
        {
            lock (_byKey)
            {
                return new Dictionary<string, BotMessage>(_byKey, StringComparer.Ordinal);
            }
        }
    }

    public bool Enqueue(string key, BotMessage message)
    {
        lock (_byKey)
        {
            if (!_byKey.TryAdd(key, message))
            {
                return false;
            }

            Messages.Add((key, message));
            foreach (var waiter in _waiters.Where(w => w.Count <= Messages.Count).ToList())
            {
                waiter.Done.TrySetResult();
                _waiters.Remove(waiter);
            }

            return true;
        }
    }

    /// <summary>Returns once at least <paramref name="count"/> messages are kept (waiting on enqueues, not on a timer).</summary>
    public Task WaitForAsync(int count, TimeSpan timeout)
    {
        lock (_byKey)
        {
            if (Messages.Count >= count)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, done));
            return done.Task.WaitAsync(timeout);
        }
    }
}
