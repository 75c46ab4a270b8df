using System.Text;
using Bitten.Domain.Users;

namespace Bitten.Persistence.Tests;

public sealed class SqliteUserStoreTests() : UserStoreContract(new SqliteTestStore())
{
    [StoreFact]
    public void NoFileOfTheDatabaseHoldsATokenOnlyItsHash()
    {
        var (_, first) = Users.Add(1001, Tier.Fang, Role.User, FireMode.Manual, null);
        var second = Users.NewToken(1001);
        Database.Dispose();

        // The WAL may still hold the latest pages, so every file of the database is searched.
        var bytes = Directory.GetFiles(Path.GetDirectoryName(((SqliteTestStore)Store).Path)!).SelectMany(File.ReadAllBytes).ToArray();
        foreach (var token in new[] { first, second })
        {
            Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes(token)));
            Assert.NotEqual(-1, bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes(UserStore.HashToken(token))));
        }
    }
}

[OnPostgres]
public sealed class PostgresUserStoreTests() : UserStoreContract(new PostgresTestStore());

/// <summary>What <see cref="UserStore"/> does, whichever provider is behind it.</summary>
public abstract class UserStoreContract : IDisposable
{
    private readonly UserStore _users;
    private readonly TestStore _temp;

    protected UserStoreContract(TestStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _temp = store;
        try
        {
            Database = store.Open();
        }
        catch
        {
            store.Dispose();
            throw;
        }

        _users = new UserStore(Database, store.Time);
    }

    protected TestStore Store => _temp;

    protected IDatabase Database { get; }

    protected UserStore Users => _users;

    [StoreFact]
    public void AnAddedUserIsListedAndFoundByEachKeyWithTheDefaultAutoSettings()
    {
        var (added, _) = _users.Add(1001, Tier.Commander, Role.Admin, FireMode.Auto, "EA-1");
        var (other, _) = _users.Add(1002, Tier.Nibbler, Role.User, FireMode.Manual, null);

        Assert.Equal(new User(added.UserId, 1001, Tier.Commander, Role.Admin, FireMode.Auto, AutoFireSettings.Default, "EA-1",
            _temp.Time.GetUtcNow().ToUnixTimeMilliseconds()), added);
        Assert.Equal([added, other], _users.List());
        Assert.Equal(added, _users.ByTelegramId(1001));
        Assert.Equal(added, _users.ById(added.UserId));
        Assert.Equal(added, _users.ByEaUuid("EA-1"));
        Assert.Null(other.EaUuid);
        Assert.Null(_users.ByTelegramId(9));
        Assert.Null(_users.ByEaUuid("EA-9"));
    }

    [StoreFact]
    public void ADuplicateTelegramIdOrEaUuidIsRefusedWithTheReasonAndAddsNothing()
    {
        _users.Add(1001, Tier.Fang, Role.User, FireMode.Manual, "EA-1");

        var telegram = Assert.Throws<InvalidOperationException>(() => _users.Add(1001, Tier.Fang, Role.User, FireMode.Manual, null));
        var uuid = Assert.Throws<InvalidOperationException>(() => _users.Add(1002, Tier.Fang, Role.User, FireMode.Manual, "EA-1"));

        Assert.Contains("telegram id 1001 already exists", telegram.Message, StringComparison.Ordinal);
        Assert.Contains("EA uuid 'EA-1' is already bound to the user with telegram id 1001", uuid.Message, StringComparison.Ordinal);
        Assert.Single(_users.List());
    }

    [StoreFact]
    public void AutoModeIsForCommanderOnly()
    {
        var e = Assert.Throws<ArgumentException>(() => _users.Add(1001, Tier.Fang, Role.User, FireMode.Auto, null));

        Assert.Contains("AUTO mode is for COMMANDER and PRESS_PASS only, not FANG", e.Message, StringComparison.Ordinal);
        Assert.Empty(_users.List());
    }

    [StoreFact]
    public void UpdateChangesOnlyWhatIsGivenAndKeepsTheRiskDecimalExact()
    {
        var (user, _) = _users.Add(1001, Tier.Fang, Role.User, FireMode.Manual, null);
        var auto = new AutoFireSettings(75, 85.5, 4, 0.25m);

        var updated = _users.Update(1001, Tier.Commander, FireMode.Auto, auto, "EA-7");

        Assert.Equal(user with { Tier = Tier.Commander, Mode = FireMode.Auto, Auto = auto, EaUuid = "EA-7" }, updated);
        Assert.Equal(updated, _users.ByTelegramId(1001));
        Assert.Equal(updated with { Mode = FireMode.Manual }, _users.Update(1001, null, FireMode.Manual, null, null));
    }

    [StoreFact]
    public void UpdateRefusesBadSettingsAutoBelowCommanderATakenUuidAndAnUnknownUser()
    {
        _users.Add(1001, Tier.Commander, Role.User, FireMode.Auto, null);
        _users.Add(1002, Tier.Fang, Role.User, FireMode.Manual, "EA-2");

        Assert.Equal("risk must be 0.1-5 per cent (Parameter 'auto')",
            Assert.Throws<ArgumentException>(() => _users.Update(1001, null, null, new AutoFireSettings(80, 89, 10, 6m), null)).Message);
        Assert.Contains("AUTO mode is for COMMANDER and PRESS_PASS only",
            Assert.Throws<ArgumentException>(() => _users.Update(1001, Tier.Fang, null, null, null)).Message, StringComparison.Ordinal);
        Assert.Contains("already bound",
            Assert.Throws<InvalidOperationException>(() => _users.Update(1001, null, null, null, "EA-2")).Message, StringComparison.Ordinal);
        Assert.Equal("no user with telegram id 5",
            Assert.Throws<InvalidOperationException>(() => _users.Update(5, Tier.Fang, null, null, null)).Message);
        Assert.Equal(Tier.Commander, _users.ByTelegramId(1001)!.Tier);
    }

    [StoreFact]
    public void ATokenAuthenticatesItsUserUntilANewOneRevokesIt()
    {
        var (user, first) = _users.Add(1001, Tier.Fang, Role.User, FireMode.Manual, null);

        Assert.Equal(user, _users.Authenticate(first));
        Assert.Equal(43, first.Length); // 32 bytes, base64url without padding
        Assert.DoesNotContain(first, c => c is '+' or '/' or '=');

        var second = _users.NewToken(1001);

        Assert.NotEqual(first, second);
        Assert.Null(_users.Authenticate(first));
        Assert.Equal(user, _users.Authenticate(second));
        Assert.Null(_users.Authenticate(second + "x"));
        Assert.Null(_users.Authenticate(""));
        Assert.Throws<InvalidOperationException>(() => _users.NewToken(5));
    }

    [StoreFact]
    public void OnlyTheHashOfATokenIsStored()
    {
        var (_, first) = _users.Add(1001, Tier.Fang, Role.User, FireMode.Manual, null);
        var second = _users.NewToken(1001);

        using var connection = Database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT token_hash, revoked FROM api_tokens ORDER BY created_at_ms, revoked DESC";
        using var reader = command.ExecuteReader();
        var rows = new List<(string Hash, long Revoked)>();
        while (reader.Read())
        {
            rows.Add((reader.GetString(0), Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture)));
        }

        Assert.Equal([(UserStore.HashToken(first), 1L), (UserStore.HashToken(second), 0L)], rows);
    }

    [StoreFact]
    public void AUserAddedMeanwhileByAnotherWriterIsRefusedWithTheSameReason()
    {
        var other = new UserStore(Database, Store.Time);
        var added = 0;
        var refused = 0;
        Parallel.For(0, 8, i =>
        {
            try
            {
                other.Add(2000 + (i % 2), Tier.Fang, Role.User, FireMode.Manual, null);
                Interlocked.Increment(ref added);
            }
            catch (InvalidOperationException e) when (e.Message.Contains("already exists", StringComparison.Ordinal))
            {
                // The expected refusal; anything else (a provider's own exception) fails the test.
                Interlocked.Increment(ref refused);
            }
        });

        // Each telegram id once, whichever attempt won it: the parallel inserts may take the user ids in either order.
        var users = _users.List();
        Assert.Equal((2, 6), (added, refused));
        Assert.Equal([2000L, 2001L], users.Select(u => u.TelegramId).Order());
        // What the list does promise: user id order.
        Assert.Equal(users.Select(u => u.UserId).Order(), users.Select(u => u.UserId));
    }

    [StoreFact]
    public void APairingCodeBindsTheEaOnceAndOnlyBeforeItExpires()
    {
        var (user, _) = _users.Add(1001, Tier.Fang, Role.User, FireMode.Manual, null);
        var code = _users.CreatePairingCode(user.UserId, TimeSpan.FromMinutes(15));

        Assert.Equal(UserStore.PairingCodeLength, code.Length);
        Assert.All(code, c => Assert.Contains(c, UserStore.PairingAlphabet));
        Assert.Null(_users.RedeemPairingCode("ZZZZZZZZ", "EA-1"));
        Assert.Equal(user with { EaUuid = "EA-1" }, _users.RedeemPairingCode(code.ToLowerInvariant(), "EA-1"));
        Assert.Equal(user with { EaUuid = "EA-1" }, _users.ByEaUuid("EA-1"));
        Assert.Null(_users.RedeemPairingCode(code, "EA-2"));

        var late = _users.CreatePairingCode(user.UserId, TimeSpan.FromMinutes(15));
        _temp.Time.Advance(TimeSpan.FromMinutes(15));
        Assert.Null(_users.RedeemPairingCode(late, "EA-2"));
        Assert.Equal("EA-1", _users.ByTelegramId(1001)!.EaUuid);
    }

    [StoreFact]
    public void AUuidBoundToAnotherUserCannotBePairedAndTheCodeStaysUsable()
    {
        _users.Add(1001, Tier.Fang, Role.User, FireMode.Manual, "EA-1");
        var (user, _) = _users.Add(1002, Tier.Fang, Role.User, FireMode.Manual, null);
        var code = _users.CreatePairingCode(user.UserId, TimeSpan.FromMinutes(15));

        Assert.Null(_users.RedeemPairingCode(code, "EA-1"));
        Assert.Equal("EA-2", _users.RedeemPairingCode(code, "EA-2")?.EaUuid);
        Assert.Throws<InvalidOperationException>(() => _users.CreatePairingCode(999, TimeSpan.FromMinutes(1)));
    }

    [StoreFact]
    public void ReopeningTheStoreKeepsUsersAndTokens()
    {
        var (user, token) = _users.Add(1001, Tier.Commander, Role.Admin, FireMode.Auto, "EA-1");
        Database.Dispose();

        using var reopened = _temp.Open();
        var users = new UserStore(reopened, _temp.Time);

        Assert.Equal([user], users.List());
        Assert.Equal(user, users.Authenticate(token));
    }

    public void Dispose()
    {
        Database.Dispose();
        _temp.Dispose();
        GC.SuppressFinalize(this);
    }
}
