using Bitten.Domain.Users;

namespace Bitten.Web.Auth;

/// <summary>Why a login link opened no session; the /login refusal's error code is <c>login_link_{name}</c>.</summary>
public enum LoginLinkProblem
{
    Unknown,
    Used,
    Expired,
}

/// <summary>A redeemed login link: its user and the new session's token and expiry, or the problem.</summary>
public sealed record WebLogin(User? User, string? SessionToken, DateTimeOffset Expires, LoginLinkProblem? Problem)
{
    public static WebLogin Refused(LoginLinkProblem problem) => new(null, null, default, problem);
}

/// <summary>
/// What browser and Mini App logins need from the host: users by Telegram id, login links and sessions (the store
/// keeps only hashes), and the bot token Telegram signs Mini App initData with (null when none is configured).
/// </summary>
public interface IWebLogins
{
    string? TelegramBotToken { get; }

    User? ByTelegramId(long telegramId);

    /// <summary>Uses the link up (once, even when two requests race) and opens a session of <paramref name="sessionLifetime"/>.</summary>
    WebLogin Redeem(string? linkToken, TimeSpan sessionLifetime);

    /// <summary>The user of an open, unexpired session, or null.</summary>
    User? BySession(string sessionToken);

    void EndSession(string sessionToken);
}
