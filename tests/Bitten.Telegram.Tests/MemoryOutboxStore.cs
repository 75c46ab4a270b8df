using Bitten.Telegram.Outbox;

namespace Bitten.Telegram.Tests;

/// <summary>An <see cref="IOutboxStore"/> in memory, for tests that do not need the database.</summary>
public sealed class MemoryOutboxStore : IOutboxStore
{
    private readonly Lock _gate = new();
    private readonly List<Row> _rows = [];

    public IReadOnlyList<string> FailedReasons
    {
        get
        {
            lock (_gate)
            {
                return [.. _rows.Where(r => r.FailedReason is not null).Select(r => r.FailedReason!)];
            }
        }
    }

    public int Add(IReadOnlyList<NewOutboxMessage> messages, long nowMs)
    {
        lock (_gate)
        {
            var added = 0;
            foreach (var message in messages)
            {
                if (_rows.All(r => r.Message.Key != message.Key))
                {
                    _rows.Add(new Row(new QueuedMessage(_rows.Count + 1, message.Key, message.ChatId, message.Payload, 0, 0)));
                    added++;
                }
            }

            return added;
        }
    }

    public IReadOnlyList<QueuedMessage> Pending(int max, long afterId)
    {
        lock (_gate)
        {
            return [.. _rows.Where(r => r.IsPending && r.Message.Id > afterId).Take(max).Select(r => r.Message)];
        }
    }

    public void MarkSent(long id, long sentMs, long telegramMessageId) => Change(id, r => r.SentMs = sentMs);

    public void Reschedule(long id, long notBeforeMs, int attempts, string error) =>
        Change(id, r => r.Message = r.Message with { NotBeforeMs = notBeforeMs, Attempts = attempts });

    public void MarkFailed(long id, string reason) => Change(id, r => r.FailedReason = reason);

    public long PendingCount()
    {
        lock (_gate)
        {
            return _rows.Count(r => r.IsPending);
        }
    }

    private void Change(long id, Action<Row> change)
    {
        lock (_gate)
        {
            var row = _rows.SingleOrDefault(r => r.Message.Id == id && r.IsPending)
                ?? throw new InvalidOperationException($"no unsent outbox message {id}");
            change(row);
        }
    }

    private sealed class Row(QueuedMessage message)
    {
        public QueuedMessage Message { get; set; } = message;

        public long? SentMs { get; set; }

        public string? FailedReason { get; set; }

        public bool IsPending => SentMs is null && FailedReason is null;
    }
}
