using Bitten.Host.Execution;
using Bitten.Persistence;
using Bitten.Telegram.Outbox;
using Microsoft.Data.Sqlite;

namespace Bitten.Telegram.Tests;

public sealed class OutboxRestartTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("bitten-outbox-");

    private string ConnectionString => $"Data Source={Path.Combine(_folder.FullName, "bitten.db")}";

    [Fact]
    public async Task ARestartMidQueueLosesAndRepeatsNothing()
    {
        var clock = new JumpingClock();
        await using var server = await BotApiTestServer.StartAsync(clock);
        var expected = Enumerable.Range(0, 50).Select(i => (Chat: 100L + (i % 5), Text: $"m{i:D2}")).ToList();
        var items = expected.Select(e => new OutboxItem($"alert:{e.Text}", new BotMessage(e.Chat, e.Text))).ToList();

        using (var database = new SqliteDatabase(ConnectionString, clock))
        {
            await using var first = await OutboxRig.StartAsync(new StoreOutbox(new OutboxStore(database)), server, clock);
            first.Outbox.EnqueueMany(items);
            first.Run();
            await server.WaitForMessagesAsync(20, OutboxRig.Timeout);
            await first.StopAsync();
        }

        var beforeRestart = server.Messages.Count;
        using (var database = new SqliteDatabase(ConnectionString, clock))
        {
            var store = new OutboxStore(database);
            Assert.Equal(50 - beforeRestart, store.Counts().Pending);
            await using var second = await OutboxRig.StartAsync(new StoreOutbox(store), server, clock);
            // Enqueued again as a replay would: the keys are known, nothing new.
            Assert.Equal(0, second.Outbox.EnqueueMany(items));
            second.Run();
            await server.WaitForMessagesAsync(50, OutboxRig.Timeout);
            await second.StopAsync();
            Assert.Equal(new OutboxCounts(0, 50, 0), store.Counts());
        }

        var messages = server.Messages;
        Assert.InRange(beforeRestart, 20, 49);
        Assert.Equal(expected.Select(e => e.Text).Order(), messages.Select(m => m.Text).Order());
        foreach (var chat in expected.GroupBy(e => e.Chat))
        {
            Assert.Equal(chat.Select(e => e.Text), messages.Where(m => m.ChatId == chat.Key).Select(m => m.Text));
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }
}
