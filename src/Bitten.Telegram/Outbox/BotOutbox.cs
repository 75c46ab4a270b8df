namespace Bitten.Telegram.Outbox;

/// <summary>
/// The bot's outbox: stores each message (once per key) and wakes the <see cref="OutboxSender"/>. Storing is the whole
/// of enqueuing, so a message enqueued is a message that will be sent, even across a restart.
/// </summary>
public sealed class BotOutbox : IBotOutbox
{
    private const int MaxCallbackBytes = 64;

    private readonly TimeProvider _time;
    private TaskCompletionSource _nextEnqueue = NewSignal();

    public BotOutbox(IOutboxStore store, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        Store = store;
        _time = time;
    }

    public IOutboxStore Store { get; }

    /// <summary>Completes when messages are next stored. Read it before reading the store, then nothing stored in between is missed.</summary>
    public Task NextEnqueue => Volatile.Read(ref _nextEnqueue).Task;

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">An empty key or text.</exception>
    public bool Enqueue(string key, BotMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return EnqueueMany([new OutboxItem(key, message)]) == 1;
    }

    /// <summary>Stores every new message in one go (a signal's alert to every user); returns how many were new.</summary>
    /// <exception cref="ArgumentException">An empty key or text.</exception>
    public int EnqueueMany(IReadOnlyList<OutboxItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var messages = new NewOutboxMessage[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            var (key, message) = items[i];
            ArgumentException.ThrowIfNullOrWhiteSpace(key);
            ArgumentNullException.ThrowIfNull(message);
            Validate(message);
            messages[i] = new NewOutboxMessage(key, message.ChatId, OutboxPayload.Write(message));
        }

        var added = Store.Add(messages, _time.GetUtcNow().ToUnixTimeMilliseconds());
        if (added > 0)
        {
            Interlocked.Exchange(ref _nextEnqueue, NewSignal()).TrySetResult();
        }

        return added;
    }

    /// <summary>
    /// What Telegram would answer with a 400 is refused here, where the caller can still see why, rather than stored
    /// and failed later: an empty text, a button without exactly one action, callback data over 64 bytes.
    /// </summary>
    private static void Validate(BotMessage message)
    {
        if (string.IsNullOrWhiteSpace(message.Text))
        {
            throw new ArgumentException($"the message to chat {message.ChatId} has no text", nameof(message));
        }

        foreach (var button in message.Buttons?.SelectMany(row => row) ?? [])
        {
            var actions = new[] { button.CallbackData, button.WebAppUrl, button.Url }.Count(a => !string.IsNullOrEmpty(a));
            if (string.IsNullOrWhiteSpace(button.Text) || actions != 1)
            {
                throw new ArgumentException($"button '{button.Text}' needs a text and exactly one of callback data, Mini App URL or link", nameof(message));
            }

            if (button.CallbackData is { } data && System.Text.Encoding.UTF8.GetByteCount(data) > MaxCallbackBytes)
            {
                throw new ArgumentException($"button '{button.Text}' has callback data over {MaxCallbackBytes} bytes", nameof(message));
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
