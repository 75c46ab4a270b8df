namespace Bitten.Telegram;

/// <summary>
/// One button under a message: a callback (<see cref="CallbackData"/>, at most 64 bytes, answered by the bot), a
/// Mini App (<see cref="WebAppUrl"/>, private chats only) or a plain link (<see cref="Url"/>, what groups get). Exactly
/// one of the three is set.
/// </summary>
public sealed record BotButton(string Text, string? CallbackData = null, string? WebAppUrl = null, string? Url = null)
{
    public static BotButton Callback(string text, string data) => new(text, CallbackData: data);

    public static BotButton WebApp(string text, string url) => new(text, WebAppUrl: url);

    public static BotButton Link(string text, string url) => new(text, Url: url);
}

/// <summary>
/// A message the bot sends: to one chat, <see cref="Text"/> in Telegram's HTML parse mode (escape what users typed with
/// <see cref="BotText.Escape"/>), with rows of inline buttons.
/// </summary>
public sealed record BotMessage(long ChatId, string Text, IReadOnlyList<IReadOnlyList<BotButton>>? Buttons = null);

/// <summary>
/// Where every outgoing message goes: stored before it is sent, sent once by the flood-safe sender. <paramref name="key"/>
/// names the message's cause (<c>mission:{mission_id}</c>, <c>fill:{fire_id}</c>…): enqueuing a key already stored
/// does nothing and returns false, so an event seen twice (a replay, a restart) never sends twice.
/// </summary>
public interface IBotOutbox
{
    bool Enqueue(string key, BotMessage message);

    /// <summary>Many messages at once (a signal's alerts to every user); returns how many were new. A store does it in one go.</summary>
    int EnqueueMany(IReadOnlyList<OutboxItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var added = 0;
        foreach (var item in items)
        {
            added += Enqueue(item.Key, item.Message) ? 1 : 0;
        }

        return added;
    }
}

/// <summary>One message for the outbox: the key of its cause and the message.</summary>
public sealed record OutboxItem(string Key, BotMessage Message);

/// <summary>Text for Telegram's HTML parse mode.</summary>
public static class BotText
{
    /// <summary>Escapes the three characters Telegram's HTML mode reads as markup.</summary>
    public static string Escape(string? text) =>
        string.IsNullOrEmpty(text) ? string.Empty : text.Replace("&", "&amp;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
