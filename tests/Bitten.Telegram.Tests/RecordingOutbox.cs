namespace Bitten.Telegram.Tests;

/// <summary>An outbox that keeps what it is given, once per key, as the stored one does.</summary>
public sealed class RecordingOutbox : IBotOutbox
{
    private readonly Dictionary<string, BotMessage> _byKey = new(StringComparer.Ordinal);

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
            return true;
        }
    }
}
