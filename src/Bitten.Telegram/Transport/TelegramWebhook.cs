using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace Bitten.Telegram.Transport;

/// <summary>
/// The webhook Telegram posts updates to, on the web app. A request without Telegram's secret-token header, or with
/// another secret, is refused (401) before its body is read: the URL alone is not a credential. A body that is not
/// an update is a 400; a handled update is a 200, which tells Telegram not to deliver it again.
/// </summary>
public static class TelegramWebhook
{
    public const string DefaultPath = "/telegram/webhook";

    public const string SecretHeader = "X-Telegram-Bot-Api-Secret-Token";

    private static long _refused;

    /// <summary>Requests refused for a missing or wrong secret, since start.</summary>
    public static long Refused => Interlocked.Read(ref _refused);

    public static IEndpointRouteBuilder MapTelegramWebhook(this IEndpointRouteBuilder endpoints, string path, string secret, UpdateDispatcher dispatcher)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(secret);
        ArgumentNullException.ThrowIfNull(dispatcher);
        var expected = Encoding.UTF8.GetBytes(secret);
        endpoints.MapPost(path, async Task<IResult> (HttpContext http) =>
        {
            var (update, refusal) = await ReadUpdateAsync(http, SecretHeader, expected, "this endpoint takes updates from Telegram only",
                static () => Interlocked.Increment(ref _refused));
            if (update is null)
            {
                return refusal!;
            }

            await dispatcher.HandleAsync(update, http.RequestAborted);
            return Results.Ok();
        }).DisableRateLimiting(); // Telegram posts every user's updates from a few addresses: the secret guards it, not a per-caller budget.
        return endpoints;
    }

    /// <summary>
    /// The request's Telegram update, or its refusal: a 401 (counted by <paramref name="refused"/>) before the body is
    /// read when the secret header is missing or wrong, a 400 saying why when the body is not an update.
    /// </summary>
    internal static async Task<(Update? Update, IResult? Refusal)> ReadUpdateAsync(HttpContext http, string secretHeader, byte[] expected,
        string whoMayPost, Action refused)
    {
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(http.Request.Headers[secretHeader].ToString()), expected))
        {
            refused();
            return (null, Results.Json(new { error = "bad_secret", message = whoMayPost }, statusCode: StatusCodes.Status401Unauthorized));
        }

        try
        {
            return await JsonSerializer.DeserializeAsync<Update>(http.Request.Body, JsonBotAPI.Options, http.RequestAborted) is { } update
                ? (update, null)
                : (null, Invalid("the body is not a Telegram update"));
        }
        catch (JsonException e)
        {
            return (null, Invalid(e.Message));
        }
    }

    private static IResult Invalid(string message) =>
        Results.Json(new { error = "invalid_update", message }, statusCode: StatusCodes.Status400BadRequest);
}
