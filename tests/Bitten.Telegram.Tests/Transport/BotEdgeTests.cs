using System.Net;
using System.Text;
using System.Text.Json;
using Bitten.Simulation.Telegram;
using Bitten.Telegram.Alerts;
using Bitten.Telegram.Transport;
using Bitten.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace Bitten.Telegram.Tests.Transport;

/// <summary>
/// A bot edge and the engine's endpoint for it, on real Kestrel and HTTP: the edge's updates are stepped once each,
/// a press is answered to Telegram by the edge, a caller without the edge's secret is refused, and an engine that is
/// away is waited for without losing the update.
/// </summary>
public sealed class BotEdgeTests : IAsyncLifetime
{
    private readonly ScriptedConversation _conversation = new();
    private readonly RecordingOutbox _outbox = new();
    private readonly AlertButtons _buttons = new("https://bitten.example");
    private readonly List<string?> _trouble = [];
    private BotApiTestServer? _telegram;
    private WebApplication? _engine;
    private HttpClient? _http;

    private string Token => _telegram!.Token;

    public async Task InitializeAsync()
    {
        _telegram = await BotApiTestServer.StartAsync();
        _http = new HttpClient();
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }

        await _telegram!.DisposeAsync();
    }

    /// <summary>The engine's web with the edge endpoint; its dispatcher's own client points nowhere (the edge answers presses).</summary>
    private async Task<Uri> StartEngineAsync(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        _engine = builder.Build();
        var nowhere = new TelegramBotClient(new TelegramBotClientOptions(Token, "http://127.0.0.1:9"));
        _engine.MapBotEdge(Token, new UpdateDispatcher(_conversation, _outbox, nowhere, NullLogger.Instance), _buttons);
        await _engine.StartAsync();
        return new Uri(_engine.Urls.First());
    }

    private EngineUpdateForwarder Forwarder(Uri engine, TimeProvider? clock = null) =>
        new(_http!, engine, Token, () => "bitten_test_bot", _telegram!.Client(), problem => { lock (_trouble) { _trouble.Add(problem); } },
            clock ?? TimeProvider.System, NullLogger.Instance);

    private static Update Parse(string json) => JsonSerializer.Deserialize<Update>(json, JsonBotAPI.Options)!;

    private static Update Message(int updateId, string text) => Parse(SimulatedUpdates.Message(42, text, updateId).ToJsonString());

    private static Update Press(int updateId, string data) => Parse(SimulatedUpdates.Callback(42, data, messageId: updateId, updateId).ToJsonString());

    [Fact]
    public async Task AnUpdateIsSteppedOnceEvenWhenForwardedTwiceAndAPressIsAnsweredByTheEdge()
    {
        var forwarder = Forwarder(await StartEngineAsync());

        await forwarder.HandleAsync(Message(5, "/status"), default);
        await forwarder.HandleAsync(Message(5, "/status"), default);
        await forwarder.HandleAsync(Press(6, "fire:M1"), default);
        var answered = await _telegram!.WaitForCallAsync("answerCallbackQuery", TimeSpan.FromSeconds(30));

        Assert.Equal("/status", Assert.Single(_conversation.Messages).Text);
        Assert.Equal("fire:M1", Assert.Single(_conversation.Callbacks).Data);
        Assert.Equal(["reply:5:0"], _outbox.Messages.Select(m => m.Key));
        Assert.Equal(("q6", "pressed fire:M1"), (answered.Parameters["callback_query_id"], answered.Parameters["text"]));
        Assert.Equal("bitten_test_bot", _buttons.BotUsername);
        Assert.Equal((3L, 0L, 0L), forwarder.Figures);
        Assert.All(_trouble, Assert.Null);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public async Task ACallerWithoutTheEdgesSecretIsRefusedBeforeAnythingIsStepped(string? secret)
    {
        var engine = await StartEngineAsync();
        var before = BotEdgeEndpoint.Refused;

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(engine, BotEdge.UpdatesPath))
        {
            Content = new StringContent(JsonSerializer.Serialize(Message(1, "/status"), JsonBotAPI.Options), Encoding.UTF8, "application/json"),
        };
        if (secret is not null)
        {
            request.Headers.Add(BotEdge.SecretHeader, secret);
        }

        using var response = await _http!.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("bad_secret", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(_conversation.Messages);
        Assert.True(BotEdgeEndpoint.Refused > before);
    }

    [Fact]
    public async Task ABodyThatIsNotAnUpdateIsA400WithTheReason()
    {
        var engine = await StartEngineAsync();

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(engine, BotEdge.UpdatesPath))
        {
            Content = new StringContent("{\"update_id\":\"nine\"", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(BotEdge.SecretHeader, BotEdge.SecretFor(Token));
        using var response = await _http!.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("invalid_update", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(_conversation.Messages);
    }

    [Fact]
    public async Task AnEngineThatIsAwayIsWaitedForAndTheUpdateReachesItOnceItIsBack()
    {
        var port = TestPorts.Next();
        var forwarder = Forwarder(new Uri($"http://127.0.0.1:{port}"), new JumpingClock());

        var forwarding = forwarder.HandleAsync(Message(9, "/help"), default);
        while (forwarder.Figures.Retries < 3)
        {
            Assert.False(forwarding.IsCompleted, "the forwarder gave up on an update while the engine was away");
            await Task.Yield();
        }

        await StartEngineAsync(port);
        await forwarding.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal("/help", Assert.Single(_conversation.Messages).Text);
        lock (_trouble)
        {
            Assert.Contains(_trouble, t => t is not null && t.StartsWith("engine unreachable", StringComparison.Ordinal));
            Assert.Null(_trouble[^1]);
        }
    }

    [Fact]
    public async Task StoppedWhileTheEngineIsAwayThePollEndsCleanlyAndTheUpdateComesAgainAtTheNextStart()
    {
        var port = TestPorts.Next();
        var away = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var forwarder = new EngineUpdateForwarder(_http!, new Uri($"http://127.0.0.1:{port}"), Token, () => null, _telegram!.Client(),
            problem =>
            {
                if (problem is not null)
                {
                    away.TrySetResult();
                }
            }, TimeProvider.System, NullLogger.Instance);
        _telegram.PushUpdate(SimulatedUpdates.Message(42, "/help", updateId: 41));

        using (var stop = new CancellationTokenSource())
        {
            var polling = new LongPolling(_telegram.Client(), forwarder, TimeProvider.System, NullLogger.Instance).RunAsync(stop.Token);
            await away.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await stop.CancelAsync();
            await polling.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(polling.IsCompletedSuccessfully, "stopping the poll threw");
        }

        Assert.Empty(_conversation.Messages);
        await StartEngineAsync(port);
        using var again = new CancellationTokenSource();
        var next = new LongPolling(_telegram.Client(), Forwarder(new Uri($"http://127.0.0.1:{port}")), TimeProvider.System, NullLogger.Instance)
            .RunAsync(again.Token);
        await _outbox.WaitForAsync(1, TimeSpan.FromSeconds(30));
        await again.CancelAsync();
        await next.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("/help", Assert.Single(_conversation.Messages).Text);
        Assert.Equal("reply:41:0", Assert.Single(_outbox.Messages).Key);
    }

    [Fact]
    public void TheSecretIsTheTokensOwnAndRevealsNothingOfIt()
    {
        var secret = BotEdge.SecretFor(Token);

        Assert.Equal(secret, BotEdge.SecretFor(Token));
        Assert.NotEqual(secret, BotEdge.SecretFor(Token + "x"));
        Assert.Equal(64, secret.Length);
        Assert.DoesNotContain(Token.Split(':')[1], secret, StringComparison.Ordinal);
    }
}
