using Bitten.Telegram.Outbox;

namespace Bitten.Telegram.Tests;

public sealed class OutboxSenderTests
{
    private static readonly TimeSpan Timeout = OutboxRig.Timeout;

    [Fact]
    public async Task MessagesArriveWithTheirTextHtmlModeAndInlineKeyboard()
    {
        await using var server = await BotApiTestServer.StartAsync();
        await using var rig = await OutboxRig.StartAsync(server: server);
        rig.Run();

        rig.Outbox.Enqueue("mission:M1", new BotMessage(1001, "<b>EURUSD</b> BUY &amp; go",
        [
            [BotButton.Callback("Fire", "fire:M1"), BotButton.WebApp("Brief", "https://bitten.example/hud/M1")],
            [BotButton.Link("Site", "https://bitten.example")],
        ]));

        var message = Assert.Single(await server.WaitForMessagesAsync(1, Timeout));
        Assert.Equal(1001, message.ChatId);
        Assert.Equal("<b>EURUSD</b> BUY &amp; go", message.Text);
        // Telegram reads parse_mode regardless of case; Telegram.Bot writes its enum's name, "Html".
        Assert.Equal("HTML", message.ParseMode, ignoreCase: true);
        var rows = message.ReplyMarkup!.Value.GetProperty("inline_keyboard");
        Assert.Equal("Fire", rows[0][0].GetProperty("text").GetString());
        Assert.Equal("fire:M1", rows[0][0].GetProperty("callback_data").GetString());
        Assert.Equal("https://bitten.example/hud/M1", rows[0][1].GetProperty("web_app").GetProperty("url").GetString());
        Assert.Equal("https://bitten.example", rows[1][0].GetProperty("url").GetString());
    }

    [Fact]
    public async Task WithAStorePollMessagesAnotherProcessStoredAreSentWithoutAnEnqueueHere()
    {
        var store = new MemoryOutboxStore();
        await using var rig = await OutboxRig.StartAsync(store, storePoll: TimeSpan.FromMilliseconds(250));
        rig.Run();

        // As the engine's process stores them for a bot edge: straight into the store, no signal to this sender.
        store.Add([new NewOutboxMessage("alert:S1", 7, OutboxPayload.Write(new BotMessage(7, "first"))),
            new NewOutboxMessage("alert:S2", 7, OutboxPayload.Write(new BotMessage(7, "second")))], JumpingClock.Start.ToUnixTimeMilliseconds());

        await rig.Server.WaitForMessagesAsync(2, Timeout);
        await rig.StopAsync();
        Assert.Equal(["first", "second"], rig.Server.Messages.Select(m => m.Text));
        Assert.Equal(0, store.PendingCount());
    }

    [Fact]
    public async Task AKnownKeyEnqueuesNothingNew()
    {
        var store = new MemoryOutboxStore();
        await using var rig = await OutboxRig.StartAsync(store);

        Assert.True(rig.Outbox.Enqueue("fill:F1", new BotMessage(5, "filled")));
        Assert.False(rig.Outbox.Enqueue("fill:F1", new BotMessage(5, "filled again")));
        rig.Run();
        rig.Outbox.Enqueue("fill:F2", new BotMessage(5, "second"));

        var messages = await rig.Server.WaitForMessagesAsync(2, Timeout);
        await rig.StopAsync();
        Assert.Equal(["filled", "second"], rig.Server.Messages.Select(m => m.Text));
        Assert.Equal(0, store.PendingCount());
        Assert.Equal(2, messages.Count);
    }

    [Fact]
    public async Task A429PausesAllSendingForItsRetryAfterOnTheClockAndTheSameMessageGoesAgain()
    {
        await using var rig = await OutboxRig.StartAsync();
        rig.Server.FailNextSends(1, 429, "Too Many Requests: retry after 7", retryAfterSeconds: 7);
        rig.Outbox.EnqueueMany([new OutboxItem("a", new BotMessage(1, "first")), new OutboxItem("b", new BotMessage(2, "other chat"))]);
        rig.Run();

        var messages = await rig.Server.WaitForMessagesAsync(2, Timeout);
        await rig.StopAsync();

        var refusedAt = rig.Server.Calls.First(c => c.Method == "sendMessage").At;
        Assert.Equal(["first", "other chat"], messages.Select(m => m.Text));
        // Not only the refused chat: every chat waits out the pause.
        Assert.All(messages, m => Assert.True(m.At - refusedAt >= TimeSpan.FromSeconds(7), $"{m.Text} went {m.At - refusedAt} after the 429"));
        var figures = rig.Sender.Figures();
        Assert.Equal((1, 1, 2L), (figures.FloodWaits, figures.Retries, figures.Sent));
    }

    [Fact]
    public async Task AServerErrorRetriesThatMessageAfterOneTwoThenFourSeconds()
    {
        await using var rig = await OutboxRig.StartAsync();
        rig.Server.FailNextSends(3, 502, "Bad Gateway");
        rig.Outbox.Enqueue("a", new BotMessage(1, "eventually"));
        rig.Run();

        await rig.Server.WaitForMessagesAsync(1, Timeout);
        await rig.StopAsync();

        var at = rig.Server.Calls.Where(c => c.Method == "sendMessage").Select(c => c.At).ToList();
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)], at.Zip(at.Skip(1), (a, b) => b - a));
        Assert.Equal(3, rig.Sender.Figures().Retries);
    }

    [Fact]
    public async Task ARefusalMarksTheMessageFailedWithItsReasonAndTheNextStillGoes()
    {
        var store = new MemoryOutboxStore();
        await using var rig = await OutboxRig.StartAsync(store);
        rig.Server.FailChat(7);
        rig.Outbox.EnqueueMany([new OutboxItem("a", new BotMessage(7, "to a blocker")), new OutboxItem("b", new BotMessage(8, "to a fan"))]);
        rig.Run();

        var message = Assert.Single(await rig.Server.WaitForMessagesAsync(1, Timeout));
        await rig.StopAsync();

        Assert.Equal(8, message.ChatId);
        Assert.Equal(["403 Forbidden: bot was blocked by the user"], store.FailedReasons);
        var figures = rig.Sender.Figures();
        Assert.Equal(1, figures.Failed);
        Assert.Equal(1, figures.FailedByReason["403 Forbidden: bot was blocked by the user"]);
        Assert.Equal(0, figures.QueueDepth);
        Assert.Single(rig.Server.Calls, c => c.Method == "sendMessage" && c.Parameters["chat_id"] == "7");
    }

    [Fact]
    public async Task APrivateChatGetsOneMessageASecondWithoutHoldingUpOtherChats()
    {
        await using var rig = await OutboxRig.StartAsync();
        rig.Outbox.EnqueueMany([.. Enumerable.Range(1, 5).Select(i => new OutboxItem($"a{i}", new BotMessage(1, $"a{i}"))),
            new OutboxItem("b1", new BotMessage(2, "b1"))]);
        rig.Run();

        var messages = await rig.Server.WaitForMessagesAsync(6, Timeout);

        var toOne = messages.Where(m => m.ChatId == 1).ToList();
        Assert.Equal(["a1", "a2", "a3", "a4", "a5"], toOne.Select(m => m.Text));
        Assert.All(toOne.Zip(toOne.Skip(1)), pair => Assert.True(pair.Second.At - pair.First.At >= TimeSpan.FromSeconds(1)));
        // b1 was queued after all of chat 1's, yet went before chat 1's second.
        Assert.True(messages.Single(m => m.Text == "b1").At < toOne[1].At);
    }

    [Fact]
    public async Task AGroupGetsAtMostTwentyMessagesInAnyMinute()
    {
        const long group = -1001234567890;
        await using var rig = await OutboxRig.StartAsync();
        rig.Outbox.EnqueueMany([.. Enumerable.Range(1, 45).Select(i => new OutboxItem($"g{i}", new BotMessage(group, $"g{i}")))]);
        rig.Run();

        var messages = await rig.Server.WaitForMessagesAsync(45, Timeout);

        Assert.Equal(Enumerable.Range(1, 45).Select(i => $"g{i}"), messages.Select(m => m.Text));
        for (var i = 0; i + 20 < messages.Count; i++)
        {
            Assert.True(messages[i + 20].At - messages[i].At >= TimeSpan.FromMinutes(1), $"21 messages within a minute from {i}");
        }
    }

    [Fact]
    public async Task ABadMessageIsRefusedWhenEnqueuedNotStored()
    {
        var store = new MemoryOutboxStore();
        await using var rig = await OutboxRig.StartAsync(store);

        Assert.Throws<ArgumentException>(() => rig.Outbox.Enqueue("a", new BotMessage(1, " ")));
        Assert.Throws<ArgumentException>(() => rig.Outbox.Enqueue("b", new BotMessage(1, "x", [[new BotButton("none")]])));
        Assert.Throws<ArgumentException>(() => rig.Outbox.Enqueue("c", new BotMessage(1, "x", [[BotButton.Callback("long", new string('x', 65))]])));
        Assert.Equal(0, store.PendingCount());
    }

    [Fact]
    public void APayloadReadsBackAsTheMessageItStores()
    {
        var message = new BotMessage(42, "hi", [[BotButton.Callback("a", "b"), BotButton.WebApp("c", "https://d")], [BotButton.Link("e", "https://f")]]);

        var back = OutboxPayload.Read(42, OutboxPayload.Write(message));

        Assert.Equal(message.Text, back.Text);
        Assert.Equal(message.Buttons!.SelectMany(r => r), back.Buttons!.SelectMany(r => r));
        Assert.Equal([2, 1], back.Buttons!.Select(r => r.Count));
        Assert.Null(OutboxPayload.Read(1, OutboxPayload.Write(new BotMessage(1, "plain"))).Buttons);
    }
}
