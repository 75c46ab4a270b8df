using System.Buffers.Text;
using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;

namespace Bitten.Persistence;

/// <summary>Why a login link opened no session.</summary>
public enum LoginLinkRefusal
{
    /// <summary>No link has this token (never issued, mistyped, or pruned long after it expired).</summary>
    Unknown,

    /// <summary>The link opened a session already: each link works once.</summary>
    Used,

    /// <summary>The link was not used within its lifetime.</summary>
    Expired,
}

/// <summary>A redeemed link: the session it opened (the token goes in the cookie, only its hash is stored), or why not.</summary>
public sealed record LoginRedemption(long UserId, string? SessionToken, DateTimeOffset SessionExpires, LoginLinkRefusal? Refusal)
{
    public static LoginRedemption Refused(LoginLinkRefusal refusal) => new(0, null, default, refusal);
}

/// <summary>
/// One-time login links and the web sessions they open. Links and session tokens are 32 random bytes (base64url),
/// handed out once and kept only as their SHA-256, so a copy of the database logs no one in. A link is redeemed by one
/// conditional update, so of two redemptions racing (two tabs, a replayed link) exactly one gets a session.
/// </summary>
public sealed class LoginStore
{
    /// <summary>How long a login link is valid: long enough to open it from a chat, short enough that a leaked one is stale.</summary>
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromMinutes(10);

    // Expired rows are kept a day, so a link opened late is refused as expired rather than unknown.
    private static readonly TimeSpan KeepExpired = TimeSpan.FromDays(1);

    private readonly IDatabase _database;
    private readonly TimeProvider _time;

    public LoginStore(IDatabase database, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(time);
        _database = database;
        _time = time;
    }

    /// <summary>A new login link token for the user, valid for <paramref name="ttl"/> (default <see cref="LinkLifetime"/>) and once.</summary>
    /// <exception cref="InvalidOperationException">No such user.</exception>
    public string CreateLink(long userId, TimeSpan? ttl = null)
    {
        var lifetime = ttl ?? LinkLifetime;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        var now = NowMs();
        var token = NewToken();
        using var connection = _database.OpenConnection();
        using var transaction = connection.BeginTransaction();
        RequireUser(connection, transaction, userId);
        Prune(connection, transaction, "login_links", now);
        Insert(connection, transaction, "login_links (token_hash, user_id, created_at_ms, expires_at_ms, used_at_ms)", token, userId, now,
            now + (long)lifetime.TotalMilliseconds);
        transaction.Commit();
        return token;
    }

    /// <summary>Uses the link up and opens a session lasting <paramref name="sessionLifetime"/>; or says why not.</summary>
    public LoginRedemption Redeem(string? linkToken, TimeSpan sessionLifetime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(sessionLifetime, TimeSpan.Zero);
        if (string.IsNullOrWhiteSpace(linkToken))
        {
            return LoginRedemption.Refused(LoginLinkRefusal.Unknown);
        }

        var hash = UserStore.HashToken(linkToken.Trim());
        var now = NowMs();
        using var connection = _database.OpenConnection();
        using var transaction = connection.BeginTransaction();
        long userId;
        using (var use = connection.CreateCommand())
        {
            use.Transaction = transaction;
            // The one conditional update decides: on SQLite writers queue, on PostgreSQL the loser re-reads the row
            // after the winner commits and finds it used, so a link never opens two sessions.
            use.CommandText = """
                UPDATE login_links SET used_at_ms = @now
                WHERE token_hash = @hash AND used_at_ms IS NULL AND expires_at_ms > @now
                RETURNING user_id
                """;
            use.Add("@now", now);
            use.Add("@hash", hash);
            if (use.ExecuteScalar() is not { } found)
            {
                var refusal = WhyRefused(connection, transaction, hash);
                transaction.Rollback();
                return LoginRedemption.Refused(refusal);
            }

            userId = Convert.ToInt64(found, CultureInfo.InvariantCulture);
        }

        Prune(connection, transaction, "web_sessions", now);
        var session = NewToken();
        var expires = now + (long)sessionLifetime.TotalMilliseconds;
        Insert(connection, transaction, "web_sessions (session_hash, user_id, created_at_ms, expires_at_ms, ended_at_ms)", session, userId, now, expires);
        transaction.Commit();
        return new LoginRedemption(userId, session, DateTimeOffset.FromUnixTimeMilliseconds(expires), null);
    }

    /// <summary>The user of a session that is neither ended nor expired, or null.</summary>
    public long? SessionUser(string? sessionToken)
    {
        if (string.IsNullOrEmpty(sessionToken))
        {
            return null;
        }

        using var connection = _database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT user_id FROM web_sessions WHERE session_hash = @hash AND ended_at_ms IS NULL AND expires_at_ms > @now";
        command.Add("@hash", UserStore.HashToken(sessionToken));
        command.Add("@now", NowMs());
        return command.ExecuteScalar() is { } user ? Convert.ToInt64(user, CultureInfo.InvariantCulture) : null;
    }

    /// <summary>Ends the session (logout); false when it was not open.</summary>
    public bool EndSession(string? sessionToken)
    {
        if (string.IsNullOrEmpty(sessionToken))
        {
            return false;
        }

        using var connection = _database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE web_sessions SET ended_at_ms = @now WHERE session_hash = @hash AND ended_at_ms IS NULL AND expires_at_ms > @now";
        command.Add("@hash", UserStore.HashToken(sessionToken));
        command.Add("@now", NowMs());
        return command.ExecuteNonQuery() == 1;
    }

    private static LoginLinkRefusal WhyRefused(DbConnection connection, DbTransaction transaction, string hash)
    {
        using var select = connection.CreateCommand();
        select.Transaction = transaction;
        select.CommandText = "SELECT used_at_ms FROM login_links WHERE token_hash = @hash";
        select.Add("@hash", hash);
        using var reader = select.ExecuteReader();
        return !reader.Read() ? LoginLinkRefusal.Unknown
            : !reader.IsDBNull(0) ? LoginLinkRefusal.Used
            : LoginLinkRefusal.Expired;
    }

    /// <summary>A link or session row: the token's hash, its user, when made and until when; not used or ended yet.</summary>
    private static void Insert(DbConnection connection, DbTransaction transaction, string tableAndColumns, string token, long userId, long now, long expires)
    {
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = $"INSERT INTO {tableAndColumns} VALUES (@hash, @user, @now, @expires, NULL)";
        insert.Add("@hash", UserStore.HashToken(token));
        insert.Add("@user", userId);
        insert.Add("@now", now);
        insert.Add("@expires", expires);
        insert.ExecuteNonQuery();
    }

    private static void RequireUser(DbConnection connection, DbTransaction transaction, long userId)
    {
        using var check = connection.CreateCommand();
        check.Transaction = transaction;
        check.CommandText = "SELECT COUNT(*) FROM users WHERE user_id = @user";
        check.Add("@user", userId);
        if (Convert.ToInt64(check.ExecuteScalar(), CultureInfo.InvariantCulture) == 0)
        {
            throw new InvalidOperationException($"no user with id {userId}");
        }
    }

    private static void Prune(DbConnection connection, DbTransaction transaction, string table, long now)
    {
        using var prune = connection.CreateCommand();
        prune.Transaction = transaction;
        prune.CommandText = $"DELETE FROM {table} WHERE expires_at_ms < @cutoff";
        prune.Add("@cutoff", now - (long)KeepExpired.TotalMilliseconds);
        prune.ExecuteNonQuery();
    }

    private static string NewToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();
}
