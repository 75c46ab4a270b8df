using System.Text.Json.Nodes;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace Bitten.Telegram.Tests;

public sealed class BotApiTestServerTests
{
    [Fact]
    public async Task TheRealClientTalksToItAsToTelegram()
    {
        await using var server = await BotApiTestServer.StartAsync();
        var client = server.Client();

        var me = await client.GetMe();
        await client.SetMyCommands([new BotCommand("start", "Start")]);
        await client.DeleteWebhook();
        var edited = await client.EditMessageText(5, 77, "changed");

        Assert.Equal(server.BotId, me.Id);
        Assert.True(me.IsBot);
        Assert.Equal("changed", edited.Text);
        Assert.Equal(["getMe", "setMyCommands", "deleteWebhook", "editMessageText"], server.Calls.Select(c => c.Method));
        Assert.Contains("start", server.Calls[1].Parameters["commands"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetUpdatesLongPollsForPushedUpdatesAndDropsThoseBelowTheOffset()
    {
        await using var server = await BotApiTestServer.StartAsync();
        var client = server.Client();

        var waiting = client.GetUpdates(offset: 0, timeout: 20);
        var id = server.PushUpdate(new JsonObject { ["message"] = Message("/start") });
        var first = await waiting.WaitAsync(OutboxRig.Timeout);
        server.PushUpdate(new JsonObject { ["message"] = Message("/me") });
        var next = await client.GetUpdates(offset: (int)id + 1, timeout: 0);

        Assert.Equal("/start", Assert.Single(first).Message!.Text);
        Assert.Equal("/me", Assert.Single(next).Message!.Text);
        Assert.Empty(await client.GetUpdates(offset: next[0].Id + 1, timeout: 0));
    }

    [Fact]
    public async Task AWrongTokenIsUnauthorized()
    {
        await using var server = await BotApiTestServer.StartAsync();
        using var http = new HttpClient();
        var stranger = new TelegramBotClient(new TelegramBotClientOptions("1:" + new string('x', 35), server.BaseUrl), http);

        var refused = await Assert.ThrowsAsync<global::Telegram.Bot.Exceptions.ApiRequestException>(() => stranger.GetMe());

        Assert.Equal(401, refused.ErrorCode);
    }

    [Fact]
    public async Task AFormPostIsReadLikeAJsonOne()
    {
        await using var server = await BotApiTestServer.StartAsync();
        using var http = new HttpClient();

        using var answer = await http.PostAsync(new Uri($"{server.BaseUrl}/bot{server.Token}/sendMessage"),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["chat_id"] = "-100", ["text"] = "hello", ["parse_mode"] = "HTML" }));

        var message = Assert.Single(server.Messages);
        Assert.Equal((-100L, "hello", "HTML"), (message.ChatId, message.Text, message.ParseMode));
        Assert.Contains("\"ok\":true", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static JsonObject Message(string text) => new()
    {
        ["message_id"] = 1,
        ["date"] = 1_772_442_000,
        ["chat"] = new JsonObject { ["id"] = 5, ["type"] = "private" },
        ["from"] = new JsonObject { ["id"] = 5, ["is_bot"] = false, ["first_name"] = "Ann" },
        ["text"] = text,
    };
}
