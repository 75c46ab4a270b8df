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
            var given = http.Request.Headers[SecretHeader].ToString();
            if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), expected))
            {
                Interlocked.Increment(ref _refused);
                return Results.Json(new { error = "bad_secret", message = "this endpoint takes updates from Telegram only" }, statusCode: StatusCodes.Status401Unauthorized);
            }

            var (update, invalid) = await ReadUpdateAsync(http);
            if (update is null)
            {
                return invalid!;
            }

            await dispatcher.HandleAsync(update, http.RequestAborted);
            return Results.Ok();
        }).DisableRateLimiting(); // Telegram posts every user's updates from a few addresses: the secret guards it, not a per-caller budget.
        return endpoints;
    }

    /// <summary>The request's body as a Telegram update, or the 400 that says why it is not one.</summary>
    internal static async Task<(Update? Update, IResult? Invalid)> ReadUpdateAsync(HttpContext http)
    {
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
