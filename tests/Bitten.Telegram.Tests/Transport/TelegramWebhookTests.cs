using System.Net;
using System.Text;
using Bitten.Simulation.Telegram;
using Bitten.Telegram.Transport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Telegram.Bot;

namespace Bitten.Telegram.Tests.Transport;

/// <summary>The webhook on a real Kestrel: Telegram's secret header or nothing, and no update can break it.</summary>
public sealed class TelegramWebhookTests : IAsyncLifetime
{
    private const string Secret = "s3cret-token_for-tests";
    private readonly ScriptedConversation _conversation = new();
    private readonly RecordingOutbox _outbox = new();
    private WebApplication? _app;
    private HttpClient? _http;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        // The dispatcher's client only answers button presses; these tests send messages.
        var client = new TelegramBotClient(new TelegramBotClientOptions("1:" + new string('a', 35), "http://127.0.0.1:9"));
        _app.MapTelegramWebhook(TelegramWebhook.DefaultPath, Secret, new UpdateDispatcher(_conversation, _outbox, client, NullLogger.Instance));
        await _app.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private Task<HttpResponseMessage> PostAsync(string body, string? secret)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, TelegramWebhook.DefaultPath) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (secret is not null)
        {
            request.Headers.Add(TelegramWebhook.SecretHeader, secret);
        }

        return _http!.SendAsync(request);
    }

    private static string Message(int updateId, string text) => SimulatedUpdates.Message(42, text, updateId).ToJsonString();

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("wrong-secret-of-the-same-len")]
    public async Task ACallWithoutOrWithAWrongSecretIsRefusedAndNothingIsHandled(string? secret)
    {
        var before = TelegramWebhook.Refused;
        using var response = await PostAsync(Message(1, "/status"), secret);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("bad_secret", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(_conversation.Messages);
        Assert.True(TelegramWebhook.Refused > before);
    }

    [Fact]
    public async Task AnUpdateWithTheSecretIsHandledAndItsReplyQueuedUnderTheUpdate()
    {
        using var response = await PostAsync(Message(7, "/status"), Secret);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var heard = Assert.Single(_conversation.Messages);
        Assert.Equal((42L, 42L, true, "/status"), (heard.TelegramId, heard.ChatId, heard.IsPrivateChat, heard.Text));
        Assert.Equal("reply:7:0", Assert.Single(_outbox.Messages).Key);
    }

    [Fact]
    public async Task TheSameUpdateDeliveredTwiceIsAnsweredOnce()
    {
        using var first = await PostAsync(Message(8, "/help"), Secret);
        using var second = await PostAsync(Message(8, "/help"), Secret);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));
        Assert.Single(_outbox.Messages);
    }

    [Fact]
    public async Task GarbageStickersEditsAndHugeTextNeverBreakTheEndpoint()
    {
        var garbage = new string('\u00ff', 4096);
        using var notJson = await PostAsync("{not json", Secret);
        using var sticker = await PostAsync("""{"update_id":9,"message":{"message_id":2,"date":1700000000,"chat":{"id":42,"type":"private"},"from":{"id":42,"is_bot":false,"first_name":"A"},"sticker":{"file_id":"x","file_unique_id":"y","type":"regular","width":1,"height":1,"is_animated":false,"is_video":false}}}""", Secret);
        using var edited = await PostAsync("""{"update_id":10,"edited_message":{"message_id":3,"date":1700000000,"edit_date":1700000001,"chat":{"id":42,"type":"private"},"from":{"id":42,"is_bot":false,"first_name":"A"},"text":"/stop hard"}}""", Secret);
        using var huge = await PostAsync(Message(11, garbage), Secret);

        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK), (sticker.StatusCode, edited.StatusCode, huge.StatusCode));
        // The sticker reaches the conversation as a message without text; the edit is never taken as a command.
        Assert.Equal([null, garbage], _conversation.Messages.Select(m => m.Text));
    }
}
