using System.Net.Http.Json;
using System.Text.Json;
using Bitten.Browser.Tests;
using Bitten.Simulation.Telegram;

namespace Bitten.Telegram.Tests.WholeSystem;

/// <summary>
/// The whole system as <c>bitten run</c> starts it, with the bot polling a local Bot API: a trader's whole loop in
/// Telegram — settings by command, a mission alert with FIRE and brief buttons, a FIRE press that becomes a real fire
/// to the simulated EA, and the fill notice — and the group's announcement of the signal.
/// </summary>
public sealed class BotSystemTests
{
    private const long Group = -100_777;

    [Fact]
    public async Task AFireButtonInTelegramBecomesARealFireAtTheEaAndAFillNotice()
    {
        await using var telegram = await BotApiTestServer.StartAsync();
        await using var system = await BittenSystem.StartAsync(
            $"--Telegram:BotToken={telegram.Token}", $"--Telegram:ApiBaseUrl={telegram.BaseUrl}", $"--Telegram:GroupChatId={Group}",
            "--Telegram:WebAppUrl=https://bitten.example");
        using var api = system.Api();
        var trader = (await api.GetFromJsonAsync<JsonElement>(new Uri("/api/users/me", UriKind.Relative))).GetProperty("telegram_id").GetInt64();

        telegram.PushUpdate(SimulatedUpdates.Message(trader, "/mode MANUAL"));
        telegram.PushUpdate(SimulatedUpdates.Message(trader, "/alerts on"));
        var manual = await telegram.WaitForMessageAsync(m => m.ChatId == trader && m.Text.Contains("MANUAL", StringComparison.Ordinal), BittenSystem.Patience);
        await telegram.WaitForMessageAsync(m => m.ChatId == trader && m.MessageId > manual.MessageId, BittenSystem.Patience);
        Assert.Contains(telegram.Calls, c => c.Method == "setMyCommands");

        var prices = await system.LivePricesAsync("EURUSD");
        var signal = await BittenSystem.InjectAsync(api, "TELEGRAM_FIRE", "EURUSD", prices["EURUSD"], 0.0030);
        var group = await telegram.WaitForMessageAsync(m => m.ChatId == Group && m.Text.Contains("EURUSD BUY", StringComparison.Ordinal), BittenSystem.Patience);
        var alert = await telegram.WaitForMessageAsync(m => m.ChatId == trader && m.Text.Contains($"Mission {signal}", StringComparison.Ordinal), BittenSystem.Patience);

        Assert.Contains("SNIPER SIGNAL", group.Text, StringComparison.Ordinal);
        Assert.EndsWith($"?start=brief_{signal}", Button(group, 0, 0).GetProperty("url").GetString(), StringComparison.Ordinal);
        var fire = Button(alert, 0, 0).GetProperty("callback_data").GetString()!;
        var missionId = fire["fire:".Length..];
        Assert.Equal($"https://bitten.example/hud/{missionId}", Button(alert, 0, 1).GetProperty("web_app").GetProperty("url").GetString());
        Assert.Equal("HTML", alert.ParseMode, ignoreCase: true);

        telegram.PushUpdate(SimulatedUpdates.Callback(trader, fire, alert.MessageId));
        var filled = await telegram.WaitForMessageAsync(m => m.ChatId == trader && m.Text.Contains("Filled", StringComparison.Ordinal), BittenSystem.Patience);

        Assert.Contains("EURUSD BUY", filled.Text, StringComparison.Ordinal);
        Assert.Contains(telegram.Calls, c => c.Method == "answerCallbackQuery");
        using var missions = JsonDocument.Parse(await api.GetStringAsync(new Uri("/api/missions", UriKind.Relative)));
        var mission = missions.RootElement.EnumerateArray().Single(m => m.GetProperty("mission_id").GetString() == missionId);
        Assert.Equal("FILLED", mission.GetProperty("status").GetString());
        var health = await api.GetFromJsonAsync<JsonElement>(new Uri("/healthz", UriKind.Relative));
        Assert.Equal("running", health.GetProperty("components").GetProperty("telegram").GetString());
        var metrics = await api.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var sent = metrics.Split('\n').Single(l => l.StartsWith("bitten_telegram_messages_total{result=\"sent\"}", StringComparison.Ordinal));
        Assert.True(double.Parse(sent[(sent.LastIndexOf(' ') + 1)..], global::System.Globalization.CultureInfo.InvariantCulture) >= 4, sent);
        Assert.Contains("bitten_telegram_updates_total{kind=\"callback\"} 1", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WebhookModeRegistersItsUrlAndSecretAndTheSiteRefusesUpdatesWithoutIt()
    {
        const string secret = "webhook-secret-for-tests_0123";
        await using var telegram = await BotApiTestServer.StartAsync();
        await using var system = await BittenSystem.StartAsync(
            $"--Telegram:BotToken={telegram.Token}", $"--Telegram:ApiBaseUrl={telegram.BaseUrl}", "--Telegram:Mode=webhook",
            $"--Telegram:WebhookSecret={secret}", "--Telegram:WebhookUrl=https://bitten.example/telegram/webhook");
        using var web = new HttpClient { BaseAddress = new Uri(system.Web) };

        var registered = await telegram.WaitForCallAsync("setWebhook", BittenSystem.Patience);
        using var refused = await web.PostAsync(new Uri("/telegram/webhook", UriKind.Relative), new StringContent("{\"update_id\":1}"));
        using var wrong = new HttpRequestMessage(HttpMethod.Post, "/telegram/webhook") { Content = new StringContent("{\"update_id\":2}") };
        wrong.Headers.Add("X-Telegram-Bot-Api-Secret-Token", "not-the-secret");
        using var refusedWrong = await web.SendAsync(wrong);
        using var right = new HttpRequestMessage(HttpMethod.Post, "/telegram/webhook") { Content = new StringContent(SimulatedUpdates.Message(4242, "/help").ToJsonString()) };
        right.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);
        using var accepted = await web.SendAsync(right);
        var answer = await telegram.WaitForMessageAsync(m => m.ChatId == 4242, BittenSystem.Patience);

        Assert.Equal(("https://bitten.example/telegram/webhook", secret), (registered.Parameters["url"], registered.Parameters["secret_token"]));
        Assert.Equal((401, 401, 200), ((int)refused.StatusCode, (int)refusedWrong.StatusCode, (int)accepted.StatusCode));
        Assert.Contains("/start", answer.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(telegram.Calls, c => c.Method == "getUpdates");
    }

    private static JsonElement Button(SimulatedMessage message, int row, int column)
    {
        Assert.True(message.ReplyMarkup is not null, $"no buttons under: {message.Text}");
        return message.ReplyMarkup.Value.GetProperty("inline_keyboard")[row][column];
    }
}
