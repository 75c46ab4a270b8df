using Bitten.Domain.Users;

namespace Bitten.Persistence.Tests;

public sealed class SqliteLoginStoreTests() : LoginStoreContract(new SqliteTestStore());

[OnPostgres]
public sealed class PostgresLoginStoreTests() : LoginStoreContract(new PostgresTestStore());

/// <summary>What <see cref="LoginStore"/> does, whichever provider is behind it.</summary>
public abstract class LoginStoreContract : IDisposable
{
    private static readonly TimeSpan Week = TimeSpan.FromDays(7);

    private readonly TestStore _temp;
    private readonly IDatabase _database;
    private readonly LoginStore _logins;
    private readonly long _userId;

    protected LoginStoreContract(TestStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _temp = store;
        try
        {
            _database = store.Open();
        }
        catch
        {
            store.Dispose();
            throw;
        }

        _logins = new LoginStore(_database, _temp.Time);
        _userId = new UserStore(_database, _temp.Time).Add(1001, Tier.Fang, Role.User, FireMode.Manual, null).User.UserId;
    }

    [StoreFact]
    public void ALinkOpensASessionOfItsUserThatLastsTheLifetimeGiven()
    {
        var link = _logins.CreateLink(_userId);

        var redeemed = _logins.Redeem(link, Week);

        Assert.Null(redeemed.Refusal);
        Assert.Equal(_userId, redeemed.UserId);
        Assert.Equal(_temp.Time.GetUtcNow() + Week, redeemed.SessionExpires);
        Assert.Equal(_userId, _logins.SessionUser(redeemed.SessionToken));
        _temp.Time.Advance(Week - TimeSpan.FromSeconds(1));
        Assert.Equal(_userId, _logins.SessionUser(redeemed.SessionToken));
        _temp.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(_logins.SessionUser(redeemed.SessionToken));
    }

    [StoreFact]
    public void ALinkWorksOnce()
    {
        var link = _logins.CreateLink(_userId);
        Assert.Null(_logins.Redeem(link, Week).Refusal);

        var second = _logins.Redeem(link, Week);

        Assert.Equal(LoginLinkRefusal.Used, second.Refusal);
        Assert.Null(second.SessionToken);
    }

    [StoreFact]
    public void ALinkExpiresAfterTenMinutes()
    {
        var link = _logins.CreateLink(_userId);
        var late = _logins.CreateLink(_userId);

        _temp.Time.Advance(LoginStore.LinkLifetime - TimeSpan.FromMilliseconds(1));
        Assert.Null(_logins.Redeem(link, Week).Refusal);
        _temp.Time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(LoginLinkRefusal.Expired, _logins.Redeem(late, Week).Refusal);
        Assert.Equal(TimeSpan.FromMinutes(10), LoginStore.LinkLifetime);
    }

    [StoreFact]
    public void AnUnknownOrBlankLinkIsRefusedAsUnknown()
    {
        _logins.CreateLink(_userId);

        Assert.Equal(LoginLinkRefusal.Unknown, _logins.Redeem("not-a-link", Week).Refusal);
        Assert.Equal(LoginLinkRefusal.Unknown, _logins.Redeem("", Week).Refusal);
        Assert.Equal(LoginLinkRefusal.Unknown, _logins.Redeem(null, Week).Refusal);
    }

    [StoreFact]
    public void OfRedemptionsRacingOnOneLinkExactlyOneOpensASession()
    {
        var link = _logins.CreateLink(_userId);
        using var start = new Barrier(8);

        var results = Enumerable.Range(0, 8)
            .Select(_ => Task.Run(() =>
            {
                // Each racer on its own store and connections, as separate requests would be.
                start.SignalAndWait(TimeSpan.FromSeconds(30));
                return new LoginStore(_database, _temp.Time).Redeem(link, Week);
            }))
            .ToArray();
        Assert.True(Task.WaitAll(results, TimeSpan.FromSeconds(60)));

        Assert.Single(results, r => r.Result.Refusal is null);
        Assert.All(results.Where(r => r.Result.Refusal is not null), r => Assert.Equal(LoginLinkRefusal.Used, r.Result.Refusal));
    }

    [StoreFact]
    public void AnEndedSessionNoLongerNamesItsUser()
    {
        var session = _logins.Redeem(_logins.CreateLink(_userId), Week).SessionToken;

        Assert.True(_logins.EndSession(session));

        Assert.Null(_logins.SessionUser(session));
        Assert.False(_logins.EndSession(session));
        Assert.Null(_logins.SessionUser("not-a-session"));
        Assert.Null(_logins.SessionUser(null));
    }

    [StoreFact]
    public void ALinkForAnUnknownUserIsRefused()
    {
        var e = Assert.Throws<InvalidOperationException>(() => _logins.CreateLink(999));

        Assert.Equal("no user with id 999", e.Message);
    }

    [StoreFact]
    public void NeitherTheLinkNorTheSessionTokenIsStoredOnlyTheirHashes()
    {
        var link = _logins.CreateLink(_userId);
        var session = _logins.Redeem(link, Week).SessionToken!;

        using var connection = _database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT token_hash FROM login_links UNION ALL SELECT session_hash FROM web_sessions";
        using var reader = command.ExecuteReader();
        var stored = new List<string>();
        while (reader.Read())
        {
            stored.Add(reader.GetString(0));
        }

        Assert.Equal([UserStore.HashToken(link), UserStore.HashToken(session)], stored);
    }

    public void Dispose()
    {
        _database.Dispose();
        _temp.Dispose();
        GC.SuppressFinalize(this);
    }
}
