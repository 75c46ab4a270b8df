using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Bitten.Web.Auth;

/// <summary>Why Telegram Mini App initData was not accepted.</summary>
public enum InitDataRefusal
{
    /// <summary>No initData was sent.</summary>
    Missing,

    /// <summary>Not a query string of unique keys with a hex <c>hash</c>, a numeric <c>auth_date</c> and a <c>user</c> JSON with a numeric <c>id</c>.</summary>
    Malformed,

    /// <summary>The hash is not the one the bot token gives: forged or altered.</summary>
    BadHash,

    /// <summary><c>auth_date</c> is older than the allowed age, or further in the future than clocks drift.</summary>
    Expired,

    /// <summary>This server has no bot token, so it cannot check anything Telegram signed.</summary>
    NoBotToken,
}

/// <summary>The outcome of <see cref="InitData.Verify"/>: the Telegram user id when genuine and fresh, else the refusal.</summary>
public readonly record struct InitDataResult(long TelegramId, InitDataRefusal? Refusal)
{
    public bool IsValid => Refusal is null;

    public static InitDataResult Refused(InitDataRefusal refusal) => new(0, refusal);
}

/// <summary>
/// Telegram Mini App initData, checked as Telegram publishes it (core.telegram.org/bots/webapps, "Validating data
/// received via the Mini App"): the data-check-string is every field but <c>hash</c>, sorted by key, as
/// <c>key=value</c> lines joined by "\n"; the secret key is HMAC-SHA256 of the bot token keyed with "WebAppData"; the
/// data is genuine when the hex HMAC-SHA256 of the data-check-string under that key is <c>hash</c>.
/// </summary>
public static class InitData
{
    /// <summary>How far <c>auth_date</c> may lie ahead of our clock: Telegram's and ours drift a little.</summary>
    public static readonly TimeSpan AllowedSkew = TimeSpan.FromMinutes(1);

    private static readonly byte[] WebAppData = "WebAppData"u8.ToArray();

    /// <summary>Checks <paramref name="initData"/> (the raw query string the Mini App gets) at <paramref name="nowUnixSeconds"/>.</summary>
    public static InitDataResult Verify(string? initData, string? botToken, long nowUnixSeconds, TimeSpan maxAge)
    {
        if (string.IsNullOrWhiteSpace(initData))
        {
            return InitDataResult.Refused(InitDataRefusal.Missing);
        }

        if (string.IsNullOrWhiteSpace(botToken))
        {
            return InitDataResult.Refused(InitDataRefusal.NoBotToken);
        }

        if (Parse(initData) is not { } fields || !fields.Remove("hash", out var hash) || !IsHex64(hash))
        {
            return InitDataResult.Refused(InitDataRefusal.Malformed);
        }

        // Authenticity first: nothing in the fields (not even the user JSON) is read before the hash vouches for it.
        if (!CryptographicOperations.FixedTimeEquals(Convert.FromHexString(hash), Sign(fields, botToken)))
        {
            return InitDataResult.Refused(InitDataRefusal.BadHash);
        }

        if (!fields.TryGetValue("auth_date", out var dateText)
            || !long.TryParse(dateText, NumberStyles.None, CultureInfo.InvariantCulture, out var authDate)
            || !fields.TryGetValue("user", out var userJson)
            || UserId(userJson) is not { } telegramId)
        {
            return InitDataResult.Refused(InitDataRefusal.Malformed);
        }

        var age = nowUnixSeconds - authDate;
        return age > (long)maxAge.TotalSeconds || -age > (long)AllowedSkew.TotalSeconds
            ? InitDataResult.Refused(InitDataRefusal.Expired)
            : new InitDataResult(telegramId, null);
    }

    /// <summary>The data-check-string of the fields (hash already removed).</summary>
    public static string DataCheckString(IReadOnlyDictionary<string, string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return string.Join('\n', fields.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}={f.Value}"));
    }

    /// <summary>The hash Telegram would send for these fields (hash removed) under this bot token.</summary>
    public static byte[] Sign(IReadOnlyDictionary<string, string> fields, string botToken)
    {
        ArgumentNullException.ThrowIfNull(botToken);
        var secret = HMACSHA256.HashData(WebAppData, Encoding.UTF8.GetBytes(botToken));
        return HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(DataCheckString(fields)));
    }

    /// <summary>The decoded fields, or null when a key repeats or a pair is not <c>key=value</c>.</summary>
    private static Dictionary<string, string>? Parse(string initData)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in initData.Trim().Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                return null;
            }

            // Form decoding ('+' is a space), as URLSearchParams encodes what Telegram hands the Mini App.
            var key = WebUtility.UrlDecode(pair[..equals]);
            if (!fields.TryAdd(key, WebUtility.UrlDecode(pair[(equals + 1)..])))
            {
                return null;
            }
        }

        return fields;
    }

    private static bool IsHex64(string text) => text.Length == 64 && text.All(char.IsAsciiHexDigit);

    private static long? UserId(string userJson)
    {
        try
        {
            using var user = JsonDocument.Parse(userJson);
            return user.RootElement.ValueKind == JsonValueKind.Object
                && user.RootElement.TryGetProperty("id", out var id)
                && id.ValueKind == JsonValueKind.Number
                && id.TryGetInt64(out var value)
                && value > 0
                    ? value
                    : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
