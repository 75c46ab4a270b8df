using Bitten.Domain.Users;
using Bitten.Web.Auth;

namespace Bitten.Web.Tests;

/// <summary>A clock that moves only when told.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}

/// <summary>
/// The login store's contract in memory (LoginStoreContract tests the real one): links last ten minutes and work once,
/// sessions last their lifetime, on <see cref="Clock"/>.
/// </summary>
internal sealed class FakeLogins(FakeUsers users, string? botToken) : IWebLogins
{
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromMinutes(10);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, (long UserId, DateTimeOffset Expires, bool Used)> _links = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long UserId, DateTimeOffset Expires)> _sessions = new(StringComparer.Ordinal);

    // From the real now: the session cookie's Expires is on this clock, and the client drops a cookie already past it.
    public ManualClock Clock { get; } = new(DateTimeOffset.UtcNow);

    public string? TelegramBotToken { get; } = botToken;

    public string CreateLink(long userId)
    {
        var token = Guid.NewGuid().ToString("N");
        lock (_gate)
        {
            _links[token] = (userId, Clock.GetUtcNow() + LinkLifetime, false);
        }

        return token;
    }

    public User? ByTelegramId(long telegramId) => users.All.SingleOrDefault(u => u.TelegramId == telegramId);

    public WebLogin Redeem(string? linkToken, TimeSpan sessionLifetime)
    {
        lock (_gate)
        {
            if (linkToken is null || !_links.TryGetValue(linkToken, out var link))
            {
                return WebLogin.Refused(LoginLinkProblem.Unknown);
            }

            if (link.Used)
            {
                return WebLogin.Refused(LoginLinkProblem.Used);
            }

            var now = Clock.GetUtcNow();
            if (now >= link.Expires)
            {
                return WebLogin.Refused(LoginLinkProblem.Expired);
            }

            _links[linkToken] = link with { Used = true };
            var session = Guid.NewGuid().ToString("N");
            _sessions[session] = (link.UserId, now + sessionLifetime);
            return new WebLogin(users.All.Single(u => u.UserId == link.UserId), session, now + sessionLifetime, null);
        }
    }

    public User? BySession(string sessionToken)
    {
        lock (_gate)
        {
            return _sessions.TryGetValue(sessionToken, out var session) && Clock.GetUtcNow() < session.Expires
                ? users.All.Single(u => u.UserId == session.UserId)
                : null;
        }
    }

    public void EndSession(string sessionToken)
    {
        lock (_gate)
        {
            _sessions.Remove(sessionToken);
        }
    }
}
