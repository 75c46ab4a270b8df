using System.Text.Json.Nodes;

namespace Bitten.Simulation.Telegram;

/// <summary>
/// Telegram updates as the Bot API sends them, for <see cref="SimulatedBotApi.PushUpdate"/> or a webhook's body: a text
/// message in a user's private chat, and a press of an inline button under one of the bot's messages.
/// </summary>
public static class SimulatedUpdates
{
    /// <summary>A text message from <paramref name="from"/> in its private chat; without <paramref name="updateId"/> the simulator numbers it.</summary>
    public static JsonObject Message(long from, string text, long? updateId = null) => WithId(updateId, new JsonObject
    {
        ["message"] = new JsonObject { ["message_id"] = 1, ["date"] = 1_700_000_000, ["chat"] = Chat(from), ["from"] = User(from), ["text"] = text },
    });

    /// <summary>A press of the button carrying <paramref name="data"/> under the bot's message <paramref name="messageId"/>; its query id is <c>q{messageId}</c>.</summary>
    public static JsonObject Callback(long from, string data, long messageId, long? updateId = null) => WithId(updateId, new JsonObject
    {
        ["callback_query"] = new JsonObject
        {
            ["id"] = $"q{messageId}", ["from"] = User(from), ["chat_instance"] = "1", ["data"] = data,
            ["message"] = new JsonObject { ["message_id"] = messageId, ["date"] = 1_700_000_000, ["chat"] = Chat(from), ["text"] = "mission" },
        },
    });

    private static JsonObject WithId(long? updateId, JsonObject update)
    {
        if (updateId is { } id)
        {
            update["update_id"] = id;
        }

        return update;
    }

    private static JsonObject User(long id) => new() { ["id"] = id, ["is_bot"] = false, ["first_name"] = "Trader" };

    private static JsonObject Chat(long id) => new() { ["id"] = id, ["type"] = "private" };
}
