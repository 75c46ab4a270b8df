namespace Bitten.Telegram.Outbox;

/// <summary>A message to store: its cause's key, its chat and the message as <see cref="OutboxPayload"/> JSON.</summary>
public sealed record NewOutboxMessage(string Key, long ChatId, string Payload);

/// <summary>A stored message not sent yet: how often it was tried and the earliest it may be tried again (Unix ms).</summary>
public sealed record QueuedMessage(long Id, string Key, long ChatId, string Payload, int Attempts, long NotBeforeMs);

/// <summary>
/// Where the outbox keeps its messages (the host's adapter puts them in the database's <c>telegram_outbox</c>). Ids
/// grow with each message stored; a sent or failed message is final.
/// </summary>
public interface IOutboxStore
{
    /// <summary>Stores the messages whose keys are new, all in one go; returns how many were new.</summary>
    int Add(IReadOnlyList<NewOutboxMessage> messages, long nowMs);

    /// <summary>Up to <paramref name="max"/> unsent, unfailed messages with an id above <paramref name="afterId"/>, by id.</summary>
    IReadOnlyList<QueuedMessage> Pending(int max, long afterId);

    void MarkSent(long id, long sentMs, long telegramMessageId);

    void Reschedule(long id, long notBeforeMs, int attempts, string error);

    void MarkFailed(long id, string reason);

    /// <summary>Messages waiting to be sent.</summary>
    long PendingCount();
}
