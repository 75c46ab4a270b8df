using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bitten.Simulation.Telegram;

/// <summary>One Bot API call as the simulator got it: the method and its parameters (JSON values as JSON text, strings as themselves).</summary>
public sealed record BotApiCall(string Method, IReadOnlyDictionary<string, string> Parameters, DateTimeOffset At);

/// <summary>A sendMessage the simulator accepted: what the bot sent, and when on the simulator's clock.</summary>
public sealed record SimulatedMessage(long ChatId, string Text, string? ParseMode, JsonElement? ReplyMarkup, long MessageId, DateTimeOffset At);

/// <summary>
/// Telegram's Bot API as a real HTTP server on loopback (Kestrel, port 0), for tests and <c>bitten bench telegram</c>:
/// <c>/bot{token}/{method}</c> with JSON bodies (what Telegram.Bot sends) or form posts, answering as Telegram does
/// (<c>{"ok":true,"result":…}</c> or <c>{"ok":false,"error_code":…,"description":…}</c>). It records every call, accepts
/// getMe, sendMessage, editMessageText, answerCallbackQuery, set/deleteMyCommands, set/deleteWebhook and getUpdates
/// (a long poll on updates pushed with <see cref="PushUpdate"/>), and answers scripted failures: 429 with retry_after,
/// 400, 403, 5xx. Times recorded are read from the clock given, so a test on a manual clock asserts on its time.
/// </summary>
public class SimulatedBotApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();
    private readonly List<BotApiCall> _calls = [];
    private TaskCompletionSource _callArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<SimulatedMessage> _messages = [];
    private readonly List<(int Count, TaskCompletionSource Done)> _waiters = [];
    private readonly Queue<(int Code, string Description, int? RetryAfter)> _failures = new();
    private readonly Dictionary<long, (int Code, string Description)> _failingChats = [];
    private readonly List<JsonObject> _updates = [];
    private TaskCompletionSource _updateArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _nextMessageId = 1;
    private long _nextUpdateId = 1;

    protected SimulatedBotApi(string token, TimeProvider? clock, IPAddress? host = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        Token = token;
        _clock = clock ?? TimeProvider.System;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(host ?? IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.MapPost("/bot{token}/{method}", Handle);
        _app.MapGet("/bot{token}/{method}", Handle);
    }

    /// <summary>A bot token of the shape BotFather hands out, for tests that need one.</summary>
    public const string TestToken = "123456789:AAbbCCddEEffGGhhIIjjKKllMMnnOOppQQr";

    public string Token { get; }

    /// <summary><c>http://127.0.0.1:{port}</c> (or the host it was started on): the <c>Telegram:ApiBaseUrl</c> to point the bot at.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>The bot's id, what getMe answers: the digits before the token's colon.</summary>
    public long BotId => long.Parse(Token.AsSpan(0, Token.IndexOf(':', StringComparison.Ordinal)), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Starts a simulator on a free port of <paramref name="host"/> (loopback unless said: a test's other network namespaces need another).</summary>
    public static async Task<SimulatedBotApi> StartAsync(string token = TestToken, TimeProvider? clock = null, IPAddress? host = null)
    {
        var api = new SimulatedBotApi(token, clock, host);
        await api.StartServerAsync();
        return api;
    }

    /// <summary>The messages accepted so far, in the order they arrived.</summary>
    public IReadOnlyList<SimulatedMessage> Messages
    {
        get
        {
            lock (_gate)
            {
                return [.. _messages];
            }
        }
    }

    /// <summary>Every call so far, refused ones too.</summary>
    public IReadOnlyList<BotApiCall> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    /// <summary>The first call of <paramref name="method"/>, once it has come (waiting on arrivals, not on a timer).</summary>
    /// <exception cref="TimeoutException">None came within <paramref name="timeout"/>.</exception>
    public async Task<BotApiCall> WaitForCallAsync(string method, TimeSpan timeout)
    {
        var deadline = _clock.GetUtcNow() + timeout;
        while (true)
        {
            Task next;
            lock (_gate)
            {
                if (_calls.Find(c => c.Method == method) is { } call)
                {
                    return call;
                }

                next = _callArrived.Task;
            }

            var left = deadline - _clock.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"no {method} call within {timeout}");
            }

            await next.WaitAsync(left);
        }
    }

    /// <summary>The messages once at least <paramref name="count"/> have arrived.</summary>
    /// <exception cref="TimeoutException">Fewer arrived within <paramref name="timeout"/>.</exception>
    public async Task<IReadOnlyList<SimulatedMessage>> WaitForMessagesAsync(int count, TimeSpan timeout)
    {
        Task done;
        lock (_gate)
        {
            if (_messages.Count >= count)
            {
                return [.. _messages];
            }

            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, waiter));
            done = waiter.Task;
        }

        try
        {
            await done.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{Messages.Count} of {count} messages arrived within {timeout}");
        }

        return Messages;
    }

    /// <summary>The messages once <paramref name="done"/> holds of them, looked at again on each arrival (never on a timer).</summary>
    /// <exception cref="TimeoutException">It did not hold within <paramref name="timeout"/> of real time; says what did arrive.</exception>
    public async Task<IReadOnlyList<SimulatedMessage>> WaitUntilAsync(Func<IReadOnlyList<SimulatedMessage>, bool> done, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(done);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        while (true)
        {
            var all = Messages;
            if (done(all))
            {
                return all;
            }

            var left = timeout - System.Diagnostics.Stopwatch.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"not so within {timeout}; got: {string.Join(" | ", all.Select(m => $"{m.ChatId}: {m.Text}"))}");
            }

            try
            {
                await WaitForMessagesAsync(all.Count + 1, left);
            }
            catch (TimeoutException)
            {
                // Looked at once more above, then said.
            }
        }
    }

    /// <summary>The first message that matches, once it has arrived.</summary>
    /// <exception cref="TimeoutException">None within <paramref name="timeout"/>; says what did arrive.</exception>
    public async Task<SimulatedMessage> WaitForMessageAsync(Func<SimulatedMessage, bool> match, TimeSpan timeout) =>
        (await WaitUntilAsync(all => all.Any(match), timeout)).First(match);

    /// <summary>The next <paramref name="count"/> sendMessage calls answer this error (e.g. 429 with <paramref name="retryAfterSeconds"/>, 500).</summary>
    public void FailNextSends(int count, int errorCode, string description, int? retryAfterSeconds = null)
    {
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                _failures.Enqueue((errorCode, description, retryAfterSeconds));
            }
        }
    }

    /// <summary>Every sendMessage to the chat answers this error from now on (403 for a user who blocked the bot).</summary>
    public void FailChat(long chatId, int errorCode = 403, string description = "Forbidden: bot was blocked by the user")
    {
        lock (_gate)
        {
            _failingChats[chatId] = (errorCode, description);
        }
    }

    /// <summary>Queues an update for getUpdates; an update_id is added when it has none. Returns the update_id.</summary>
    public long PushUpdate(JsonObject update)
    {
        ArgumentNullException.ThrowIfNull(update);
        lock (_gate)
        {
            if (update["update_id"] is null)
            {
                update["update_id"] = _nextUpdateId;
            }

            var id = update["update_id"]!.GetValue<long>();
            _nextUpdateId = Math.Max(_nextUpdateId, id + 1);
            _updates.Add(update);
            _updateArrived.TrySetResult();
            _updateArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return id;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Starts listening; a subclass's own StartAsync calls it once.</summary>
    protected async Task StartServerAsync()
    {
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUrl = address.TrimEnd('/');
    }

    private async Task<IResult> Handle(HttpContext context, string token, string method)
    {
        if (token != Token)
        {
            return Error(401, "Unauthorized");
        }

        var parameters = await ReadParameters(context.Request);
        var call = new BotApiCall(method, parameters, _clock.GetUtcNow());
        lock (_gate)
        {
            _calls.Add(call);
            _callArrived.TrySetResult();
            _callArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        return method switch
        {
            "getMe" => Ok(new JsonObject { ["id"] = BotId, ["is_bot"] = true, ["first_name"] = "BITTEN", ["username"] = "bitten_test_bot" }),
            "sendMessage" => SendMessage(call),
            "editMessageText" => Ok(Message(Long(parameters, "chat_id"), Long(parameters, "message_id"), Text(parameters), call.At)),
            "answerCallbackQuery" or "setMyCommands" or "deleteMyCommands" or "setWebhook" or "deleteWebhook" => Ok(true),
            "getUpdates" => await GetUpdates(parameters, context.RequestAborted),
            _ => Error(404, "Not Found: method not found"),
        };
    }

    private IResult SendMessage(BotApiCall call)
    {
        var chatId = Long(call.Parameters, "chat_id");
        var text = Text(call.Parameters);
        if (chatId == 0 || string.IsNullOrEmpty(text))
        {
            return Error(400, "Bad Request: chat_id and text are required");
        }

        SimulatedMessage message;
        lock (_gate)
        {
            if (_failures.TryDequeue(out var failure))
            {
                return Error(failure.Code, failure.Description, failure.RetryAfter);
            }

            if (_failingChats.TryGetValue(chatId, out var refusal))
            {
                return Error(refusal.Code, refusal.Description);
            }

            var markup = call.Parameters.TryGetValue("reply_markup", out var json) ? JsonDocument.Parse(json).RootElement.Clone() : (JsonElement?)null;
            message = new SimulatedMessage(chatId, text, call.Parameters.GetValueOrDefault("parse_mode"), markup, _nextMessageId++, call.At);
            _messages.Add(message);
            _waiters.RemoveAll(w =>
            {
                if (_messages.Count < w.Count)
                {
                    return false;
                }

                w.Done.TrySetResult();
                return true;
            });
        }

        return Ok(Message(chatId, message.MessageId, text, call.At));
    }

    /// <summary>Updates from <c>offset</c> on (earlier ones are confirmed and dropped, as Telegram does), waiting up to <c>timeout</c> seconds for one.</summary>
    private async Task<IResult> GetUpdates(IReadOnlyDictionary<string, string> parameters, CancellationToken aborted)
    {
        var offset = Long(parameters, "offset");
        var limit = (int)Math.Clamp(Long(parameters, "limit") is > 0 and var l ? l : 100, 1, 100);
        var timeout = TimeSpan.FromSeconds(Math.Max(0, Long(parameters, "timeout")));
        while (true)
        {
            Task arrived;
            lock (_gate)
            {
                if (offset > 0)
                {
                    _updates.RemoveAll(u => u["update_id"]!.GetValue<long>() < offset);
                }

                if (_updates.Count > 0 || timeout <= TimeSpan.Zero)
                {
                    return Ok(new JsonArray([.. _updates.Take(limit).Select(u => u.DeepClone())]));
                }

                arrived = _updateArrived.Task;
            }

            try
            {
                // Real time: the long poll is the HTTP client's wait, not the bot's clock.
                await arrived.WaitAsync(timeout, aborted);
            }
            catch (TimeoutException)
            {
                return Ok(new JsonArray());
            }
            catch (OperationCanceledException)
            {
                return Ok(new JsonArray());
            }

            timeout = TimeSpan.Zero;
        }
    }

    private static JsonObject Message(long chatId, long messageId, string text, DateTimeOffset at) => new()
    {
        ["message_id"] = messageId,
        ["date"] = at.ToUnixTimeSeconds(),
        ["chat"] = new JsonObject { ["id"] = chatId, ["type"] = chatId < 0 ? "supergroup" : "private" },
        ["text"] = text,
    };

    private static async Task<IReadOnlyDictionary<string, string>> ReadParameters(HttpRequest request)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in request.Query)
        {
            parameters[name] = value.ToString();
        }

        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync();
            foreach (var (name, value) in form)
            {
                parameters[name] = value.ToString();
            }
        }
        else if (request.ContentLength is not 0 && request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true)
        {
            using var body = await JsonDocument.ParseAsync(request.Body);
            if (body.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in body.RootElement.EnumerateObject())
                {
                    parameters[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
                }
            }
        }

        return parameters;
    }

    private static string Text(IReadOnlyDictionary<string, string> parameters) => parameters.GetValueOrDefault("text") ?? "";

    private static long Long(IReadOnlyDictionary<string, string> parameters, string name) =>
        parameters.TryGetValue(name, out var value) && long.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var number) ? number : 0;

    private static IResult Ok(JsonNode result) => Results.Json(new JsonObject { ["ok"] = true, ["result"] = result });

    private static IResult Error(int code, string description, int? retryAfter = null)
    {
        var body = new JsonObject { ["ok"] = false, ["error_code"] = code, ["description"] = description };
        if (retryAfter is { } seconds)
        {
            body["parameters"] = new JsonObject { ["retry_after"] = seconds };
        }

        return Results.Json(body, statusCode: code);
    }
}
