using System.Text;
using Bitten.Telegram.Alerts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;

namespace Bitten.Telegram.Transport;

/// <summary>
/// The engine's side of a bot edge: <c>POST /telegram/edge</c> takes one Telegram update the edge polled, steps it
/// (its replies go to the shared outbox, which the edge sends) and answers with the button press's toast, which the
/// edge passes to Telegram. A request without the edge's secret is a 401 before its body is read; a body that is not an
/// update a 400. The same update posted again (the edge's request timed out after the engine had taken it) is not
/// stepped twice: its first answer is given again.
/// </summary>
public static class BotEdgeEndpoint
{
    /// <summary>Updates remembered for a repeat; an edge retries only the one update it is waiting on.</summary>
    private const int Remembered = 1024;

    public static IEndpointRouteBuilder MapBotEdge(this IEndpointRouteBuilder endpoints, string botToken, UpdateDispatcher dispatcher, AlertButtons buttons)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(dispatcher);
        ArgumentNullException.ThrowIfNull(buttons);
        var expected = Encoding.UTF8.GetBytes(BotEdge.SecretFor(botToken));
        var answered = new RecentAnswers(Remembered);
        var oneAtATime = new SemaphoreSlim(1, 1);
        endpoints.MapPost(BotEdge.UpdatesPath, async Task<IResult> (HttpContext http) =>
        {
            var (update, refusal) = await TelegramWebhook.ReadUpdateAsync(http, BotEdge.SecretHeader, expected,
                "this endpoint takes updates from a bot edge with the same bot token", static () => Interlocked.Increment(ref _refused));
            if (update is null)
            {
                return refusal!;
            }

            if (http.Request.Headers[BotEdge.UsernameHeader].ToString() is { Length: > 0 } username)
            {
                buttons.BotUsername = username;
            }

            // One update at a time, as long polling steps them here: a user's commands keep their order.
            await oneAtATime.WaitAsync(http.RequestAborted);
            try
            {
                if (!answered.TryGet(update.Id, out var toast))
                {
                    toast = await dispatcher.StepAsync(update, http.RequestAborted);
                    answered.Add(update.Id, toast);
                }

                return Results.Json(new EdgeAnswer(toast?.CallbackQueryId, toast?.Text));
            }
            finally
            {
                oneAtATime.Release();
            }
        }).DisableRateLimiting(); // One edge posts every user's updates: the secret guards it, not a per-caller budget.
        return endpoints;
    }

    private static long _refused;

    /// <summary>Requests refused for a missing or wrong edge secret, since start.</summary>
    public static long Refused => Interlocked.Read(ref _refused);

    /// <summary>The last updates' answers, oldest forgotten first.</summary>
    private sealed class RecentAnswers(int capacity)
    {
        private readonly Dictionary<int, CallbackToast?> _answers = [];
        private readonly Queue<int> _order = new();

        public bool TryGet(int updateId, out CallbackToast? toast) => _answers.TryGetValue(updateId, out toast);

        public void Add(int updateId, CallbackToast? toast)
        {
            _answers[updateId] = toast;
            _order.Enqueue(updateId);
            if (_order.Count > capacity)
            {
                _answers.Remove(_order.Dequeue());
            }
        }
    }
}

/// <summary>The engine's answer to a forwarded update: the callback query to answer and its toast, or neither.</summary>
public sealed record EdgeAnswer(
    [property: System.Text.Json.Serialization.JsonPropertyName("callback_query_id")] string? CallbackQueryId,
    [property: System.Text.Json.Serialization.JsonPropertyName("text")] string? Text);
