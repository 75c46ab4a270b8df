using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace Bitten.Telegram.Transport;

/// <summary>
/// A bot edge's sink: posts each polled update to the engine's <see cref="BotEdge.UpdatesPath"/> and answers the
/// button press's toast to Telegram itself. Nothing is lost to an engine that is away: a network failure, a timeout
/// or a 5xx (a restart, a deploy) is tried again with backoff (1 s doubling to 30 s) until the engine takes the update,
/// and the poll does not confirm it to Telegram meanwhile; a repeat is harmless (the engine steps an update once and
/// keys its replies by the update). A 401 or 404 is a configuration fault (another bot token, or the bot role beside
/// the engine as well), said in the log and the component's health, and tried again too, so fixing it loses nothing. Only an
/// update the engine calls invalid (400) is counted and passed over.
/// </summary>
public sealed class EngineUpdateForwarder(
    HttpClient http,
    Uri upstream,
    string botToken,
    Func<string?> botUsername,
    ITelegramBotClient client,
    Action<string?> trouble,
    TimeProvider clock,
    ILogger logger) : IUpdateSink
{
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private readonly string _secret = BotEdge.SecretFor(botToken);
    private readonly Uri _endpoint = new(upstream, BotEdge.UpdatesPath);
    private long _forwarded;
    private long _retries;
    private long _invalid;

    /// <summary>Updates the engine took, attempts tried again, and updates it refused as invalid, since start.</summary>
    public (long Forwarded, long Retries, long Invalid) Figures =>
        (Interlocked.Read(ref _forwarded), Interlocked.Read(ref _retries), Interlocked.Read(ref _invalid));

    public async Task HandleAsync(Update update, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(update);
        var body = JsonSerializer.Serialize(update, JsonBotAPI.Options);
        var backoff = TimeSpan.FromSeconds(1);
        while (true)
        {
            var (answer, invalid, problem) = await PostAsync(body, cancel);
            if (answer is not null)
            {
                Interlocked.Increment(ref _forwarded);
                trouble(null);
                if (answer is { CallbackQueryId: { } query, Text: { } text })
                {
                    await UpdateDispatcher.AnswerAsync(client, query, text, logger, cancel);
                }

                return;
            }

            if (invalid)
            {
                Interlocked.Increment(ref _invalid);
                logger.LogWarning("The engine refused Telegram update {UpdateId} as invalid; passed over", update.Id);
                return;
            }

            Interlocked.Increment(ref _retries);
            trouble(problem);
            logger.LogWarning("Telegram update {UpdateId} could not go to the engine at {Engine}: {Problem}; trying again in {Seconds} s",
                update.Id, upstream, problem, backoff.TotalSeconds);
            await Task.Delay(backoff, clock, cancel);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
    }

    /// <summary>The engine's answer; or that it called the update invalid; or, to try again, why it could not take it.</summary>
    private async Task<(EdgeAnswer? Answer, bool Invalid, string? Problem)> PostAsync(string body, CancellationToken cancel)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add(BotEdge.SecretHeader, _secret);
        if (botUsername() is { Length: > 0 } username)
        {
            request.Headers.Add(BotEdge.UsernameHeader, username);
        }

        try
        {
            using var response = await http.SendAsync(request, cancel);
            return response.StatusCode switch
            {
                HttpStatusCode.OK => (await response.Content.ReadFromJsonAsync<EdgeAnswer>(cancel) ?? new EdgeAnswer(null, null), false, null),
                HttpStatusCode.BadRequest => (null, true, null),
                HttpStatusCode.Unauthorized => (null, false, "the engine refused this edge's secret: is its Telegram:BotToken the same?"),
                HttpStatusCode.NotFound => (null, false, "the engine takes no updates from a bot edge: is the bot role running beside it too?"),
                var status => (null, false, $"the engine answered {(int)status}"),
            };
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return (null, false, $"engine unreachable ({e.Message})");
        }
    }
}
