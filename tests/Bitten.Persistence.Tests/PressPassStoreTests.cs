using Bitten.Domain.Users;

namespace Bitten.Persistence.Tests;

public sealed class SqlitePressPassStoreTests() : PressPassStoreContract(new SqliteTestStore());

[OnPostgres]
public sealed class PostgresPressPassStoreTests() : PressPassStoreContract(new PostgresTestStore());

/// <summary>Registration through the bot and the press pass, on each provider.</summary>
public abstract class PressPassStoreContract : IDisposable
{
    private static readonly TimeSpan Week = TimeSpan.FromDays(7);

    private readonly TestStore _temp;
    private readonly IDatabase _database;
    private readonly UserStore _users;

    protected PressPassStoreContract(TestStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _temp = store;
        _database = store.OpenOrRemove();
        _users = new UserStore(_database, store.Time);
    }

    private long Now => _temp.Time.GetUtcNow().ToUnixTimeMilliseconds();

    [StoreFact]
    public void RegisterMakesANewRecruitOnceAndThenLinksTheSameUserUnchanged()
    {
        var (created, isNew) = _users.Register(5001);
        _users.SetPreferences(5001, missionAlerts: true, onLeaderboard: null);
        var (linked, isNewAgain) = _users.Register(5001);

        Assert.True(isNew);
        Assert.Equal(new User(created.UserId, 5001, Tier.Recruit, Role.User, FireMode.Manual, AutoFireSettings.Default, null, Now), created);
        Assert.False(isNewAgain);
        Assert.Equal(created with { MissionAlerts = true }, linked);
        Assert.Single(_users.List());
    }

    [StoreFact]
    public void RegisterLinksAUserTheCliAddedWithoutChangingTheirTier()
    {
        var (added, _) = _users.Add(5001, Tier.Fang, Role.User, FireMode.Manual, "EA-1");

        Assert.Equal((added, false), _users.Register(5001));
    }

    [StoreFact]
    public void SetPreferencesChangesOnlyWhatIsGivenAndRefusesAnUnknownUser()
    {
        _users.Register(5001);

        var off = _users.SetPreferences(5001, missionAlerts: null, onLeaderboard: false);
        var on = _users.SetPreferences(5001, missionAlerts: true, onLeaderboard: null);

        Assert.Equal((false, false), (off.MissionAlerts, off.OnLeaderboard));
        Assert.Equal((true, false), (on.MissionAlerts, on.OnLeaderboard));
        Assert.Equal(on, _users.ByTelegramId(5001));
        Assert.Throws<InvalidOperationException>(() => _users.SetPreferences(9, true, true));
    }

    [StoreFact]
    public void AGrantMakesThePressPassWithAServerSideEaForAWeek()
    {
        var (recruit, _) = _users.Register(5001);

        var grant = _users.GrantPressPass(5001, Now, Week, perDay: 10);

        Assert.True(grant.Granted);
        var user = grant.User!;
        Assert.Equal(recruit with { Tier = Tier.PressPass, EaUuid = user.EaUuid, PressPassExpiresMs = Now + (long)Week.TotalMilliseconds }, user);
        Assert.StartsWith($"PRESS_{recruit.UserId}_", user.EaUuid, StringComparison.Ordinal);
        Assert.Equal(user, _users.ByTelegramId(5001));
        Assert.Equal(user, _users.ByEaUuid(user.EaUuid!));
    }

    [StoreFact]
    public void EachRefusalIsTypedAndChangesNothing()
    {
        _users.Add(5002, Tier.Nibbler, Role.User, FireMode.Manual, null);
        _users.Register(5003);
        Assert.True(_users.GrantPressPass(5003, Now, Week, 10).Granted);
        var before = _users.List();

        Assert.Equal(PressPassRefusal.UnknownUser, _users.GrantPressPass(5001, Now, Week, 10).Refusal);
        Assert.Equal(PressPassRefusal.AlreadySubscribed, _users.GrantPressPass(5002, Now, Week, 10).Refusal);
        Assert.Equal(PressPassRefusal.AlreadyUsed, _users.GrantPressPass(5003, Now, Week, 10).Refusal);
        Assert.Equal(before, _users.List());
    }

    [StoreFact]
    public void TheEleventhPassOfAUtcDayIsRefusedAndTheNextDayGrantsAgain()
    {
        // 23:00 UTC: ten passes, the eleventh refused; at 00:00 the new day has ten of its own.
        _temp.Time.Advance(TimeSpan.FromHours(14));
        for (var i = 0; i < 12; i++)
        {
            _users.Register(6000 + i);
        }

        var today = Enumerable.Range(0, 11).Select(i => _users.GrantPressPass(6000 + i, Now, Week, 10)).ToList();
        _temp.Time.Advance(TimeSpan.FromHours(1) - TimeSpan.FromMilliseconds(1));
        var lastMillisecond = _users.GrantPressPass(6010, Now, Week, 10);
        _temp.Time.Advance(TimeSpan.FromMilliseconds(1));
        var tomorrow = _users.GrantPressPass(6010, Now, Week, 10);

        Assert.All(today.Take(10), g => Assert.True(g.Granted));
        Assert.Equal(PressPassRefusal.DailyCapReached, today[10].Refusal);
        Assert.Equal(PressPassRefusal.DailyCapReached, lastMillisecond.Refusal);
        Assert.True(tomorrow.Granted);
        Assert.Equal(Tier.Recruit, _users.ByTelegramId(6011)!.Tier);
    }

    [StoreFact]
    public void ClaimsRacingForTheLastPassOfTheDayGetOneBetweenThem()
    {
        for (var i = 0; i < 8; i++)
        {
            _users.Register(7000 + i);
        }

        var grants = new PressPassGrant[8];
        Parallel.For(0, 8, i => grants[i] = _users.GrantPressPass(7000 + i, Now, Week, perDay: 3));

        Assert.Equal(3, grants.Count(g => g.Granted));
        Assert.All(grants.Where(g => !g.Granted), g => Assert.Equal(PressPassRefusal.DailyCapReached, g.Refusal));
        Assert.Equal(3, _users.List().Count(u => u.Tier == Tier.PressPass));
    }

    [StoreFact]
    public void APassIsDueExactlyAtItsExpiryAndExpiringKeepsItsHistory()
    {
        _users.Register(5001);
        var granted = _users.GrantPressPass(5001, Now, Week, 10).User!;
        var expires = granted.PressPassExpiresMs!.Value;

        Assert.Empty(_users.PressPassesDue(expires - 1));
        Assert.Equal([granted], _users.ActivePressPasses(expires - 1));
        Assert.Equal([granted], _users.PressPassesDue(expires));
        Assert.Empty(_users.ActivePressPasses(expires));

        var ended = _users.ExpirePressPass(granted.UserId);

        Assert.Equal(granted with { Tier = Tier.Recruit, EaUuid = null }, ended);
        Assert.Equal(ended, _users.ByTelegramId(5001));
        Assert.Empty(_users.PressPassesDue(expires));
        Assert.Null(_users.ExpirePressPass(granted.UserId));
        Assert.Equal(PressPassRefusal.AlreadyUsed, _users.GrantPressPass(5001, expires + 86_400_000, Week, 10).Refusal);
    }

    [StoreFact]
    public void AnAutoPressPassExpiresToAManualRecruit()
    {
        _users.Register(5001);
        _users.GrantPressPass(5001, Now, Week, 10);
        var auto = _users.Update(5001, null, FireMode.Auto, null, null);

        Assert.Equal(FireMode.Manual, _users.ExpirePressPass(auto.UserId)!.Mode);
    }

    [StoreFact]
    public void TheReminderIsDueFromADayBeforeExpiryUntilItIsMarked()
    {
        _users.Register(5001);
        var granted = _users.GrantPressPass(5001, Now, Week, 10).User!;
        var expires = granted.PressPassExpiresMs!.Value;
        var day = TimeSpan.FromHours(24);
        var dayMs = (long)day.TotalMilliseconds;

        Assert.Empty(_users.PressPassRemindersDue(expires - dayMs - 1, day));
        Assert.Equal([granted], _users.PressPassRemindersDue(expires - dayMs, day));
        Assert.Empty(_users.PressPassRemindersDue(expires, day));

        _users.MarkReminded(granted.UserId);

        Assert.Empty(_users.PressPassRemindersDue(expires - 1, day));
    }

    public void Dispose()
    {
        _database.Dispose();
        _temp.Dispose();
        GC.SuppressFinalize(this);
    }
}
