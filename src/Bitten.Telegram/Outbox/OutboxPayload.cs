using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bitten.Telegram.Outbox;

/// <summary>
/// A <see cref="BotMessage"/> as the outbox stores it: its text and buttons as JSON (the chat is a column of its own),
/// <c>{"text":"…","buttons":[[{"text":"…","callback_data":"…"}]]}</c> with absent fields left out.
/// </summary>
public static class OutboxPayload
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Write(BotMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return JsonSerializer.Serialize(new Stored(message.Text, message.Buttons), Json);
    }

    /// <summary>The message to <paramref name="chatId"/> the payload holds.</summary>
    /// <exception cref="JsonException">Not a payload this class wrote.</exception>
    public static BotMessage Read(long chatId, string payload)
    {
        var stored = JsonSerializer.Deserialize<Stored>(payload, Json);
        return stored?.Text is { } text
            ? new BotMessage(chatId, text, stored.Buttons)
            : throw new JsonException("an outbox payload needs a text");
    }

    private sealed record Stored(string Text, IReadOnlyList<IReadOnlyList<BotButton>>? Buttons);
}
