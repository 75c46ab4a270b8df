using Bitten.Persistence;
using Bitten.Telegram.Outbox;

namespace Bitten.Host.Execution;

/// <summary>The Telegram outbox on the database's <c>telegram_outbox</c> table.</summary>
public sealed class StoreOutbox(OutboxStore store) : IOutboxStore
{
    public int Add(IReadOnlyList<NewOutboxMessage> messages, long nowMs) =>
        store.EnqueueMany([.. messages.Select(m => new OutboxEntry(m.Key, m.ChatId, m.Payload))], nowMs);

    public IReadOnlyList<QueuedMessage> Pending(int max, long afterId) =>
        [.. store.Pending(max, afterId).Select(r => new QueuedMessage(r.Id, r.Key, r.ChatId, r.PayloadJson, r.Attempts, r.NotBeforeMs))];

    public void MarkSent(long id, long sentMs, long telegramMessageId) => store.MarkSent(id, sentMs, telegramMessageId);

    public void Reschedule(long id, long notBeforeMs, int attempts, string error) => store.Reschedule(id, notBeforeMs, attempts, error);

    public void MarkFailed(long id, string reason) => store.MarkFailed(id, reason);

    public long PendingCount() => store.Counts().Pending;

    /// <summary>Messages waiting, sent and given up on, all time.</summary>
    public OutboxCounts Counts() => store.Counts();
}
