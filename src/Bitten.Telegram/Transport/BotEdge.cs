using System.Security.Cryptography;
using System.Text;

namespace Bitten.Telegram.Transport;

/// <summary>
/// What the engine and a bot edge agree on without more configuration: the path the edge posts updates to, and the
/// secret it proves itself with, derived from the bot token both already hold (whoever has the token can act as the
/// bot anyway, so it is the one credential there is; the secret never reveals it).
/// </summary>
public static class BotEdge
{
    public const string UpdatesPath = "/telegram/edge";

    public const string SecretHeader = "X-Bitten-Edge-Secret";

    /// <summary>The bot's @username as the edge learned it from getMe, for the deep links in the engine's alerts.</summary>
    public const string UsernameHeader = "X-Bitten-Bot-Username";

    public static string SecretFor(string botToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(botToken);
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(botToken), "bitten bot edge v1"u8));
    }
}
