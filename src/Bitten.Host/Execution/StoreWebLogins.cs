using Bitten.Domain.Users;
using Bitten.Persistence;
using Bitten.Web.Auth;

namespace Bitten.Host.Execution;

/// <summary>Mini App and browser logins on the user and login stores, with the bot token from <c>Telegram:BotToken</c>.</summary>
public sealed class StoreWebLogins(UserStore users, LoginStore logins, string? botToken) : IWebLogins
{
    public string? TelegramBotToken { get; } = string.IsNullOrWhiteSpace(botToken) ? null : botToken;

    public User? ByTelegramId(long telegramId) => users.ByTelegramId(telegramId);

    public WebLogin Redeem(string? linkToken, TimeSpan sessionLifetime)
    {
        var redeemed = logins.Redeem(linkToken, sessionLifetime);
        if (redeemed.Refusal is { } refusal)
        {
            return WebLogin.Refused(refusal switch
            {
                LoginLinkRefusal.Used => LoginLinkProblem.Used,
                LoginLinkRefusal.Expired => LoginLinkProblem.Expired,
                _ => LoginLinkProblem.Unknown,
            });
        }

        // A user deleted between the link and its use (no command does that today) opens nothing.
        return users.ById(redeemed.UserId) is { } user
            ? new WebLogin(user, redeemed.SessionToken, redeemed.SessionExpires, null)
            : WebLogin.Refused(LoginLinkProblem.Unknown);
    }

    public User? BySession(string sessionToken) => logins.SessionUser(sessionToken) is { } userId ? users.ById(userId) : null;

    public void EndSession(string sessionToken) => logins.EndSession(sessionToken);
}
