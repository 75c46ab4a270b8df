using Bitten.Domain.Users;
using Bitten.Engine.Kernel;
using Bitten.Host.Execution;
using Bitten.Web;

namespace Bitten.Host.Tests;

public sealed class RememberedTokensTests
{
    private static readonly User Trader = new(7, 107, Tier.Fang, Role.User, FireMode.Manual, AutoFireSettings.Default, null, 0);

    [Fact]
    public void AKnownTokenIsAskedOfTheStoreOncePerInterval()
    {
        var store = new CountingStore { ["good"] = Trader };
        var clock = new ManualClock(DateTimeOffset.UnixEpoch);
        var tokens = new RememberedTokens(store, clock, TimeSpan.FromSeconds(2));

        var answers = Enumerable.Range(0, 100).Select(_ => tokens.Authenticate("good")).ToList();

        Assert.All(answers, u => Assert.Equal(Trader, u));
        Assert.Equal(1, store.Asked);
    }

    [Fact]
    public void ARevokedTokenStopsWorkingAfterTheInterval()
    {
        var store = new CountingStore { ["good"] = Trader };
        var clock = new ManualClock(DateTimeOffset.UnixEpoch);
        var tokens = new RememberedTokens(store, clock, TimeSpan.FromSeconds(2));
        Assert.Equal(Trader, tokens.Authenticate("good"));

        store.Remove("good");
        clock.Advance(TimeSpan.FromSeconds(1.9));
        var within = tokens.Authenticate("good");
        clock.Advance(TimeSpan.FromSeconds(0.2));
        var after = tokens.Authenticate("good");

        Assert.Equal(Trader, within);
        Assert.Null(after);
        Assert.Equal(2, store.Asked);
    }

    [Fact]
    public void AChangeMadeHereIsSeenAtOnce()
    {
        var store = new CountingStore { ["good"] = Trader };
        var tokens = new RememberedTokens(store, new ManualClock(DateTimeOffset.UnixEpoch), TimeSpan.FromSeconds(2));
        tokens.Authenticate("good");

        var changed = Trader with { Mode = FireMode.Auto, Tier = Tier.Commander };
        store["good"] = changed;
        tokens.Forget();

        Assert.Equal(changed, tokens.Authenticate("good"));
    }

    [Fact]
    public void UnknownTokensAreRememberedAndMemoryIsBounded()
    {
        var store = new CountingStore();
        var tokens = new RememberedTokens(store, new ManualClock(DateTimeOffset.UnixEpoch), TimeSpan.FromSeconds(2));

        Assert.Null(tokens.Authenticate("bad"));
        Assert.Null(tokens.Authenticate("bad"));
        Assert.Equal(1, store.Asked);

        for (var i = 0; i < RememberedTokens.MaxRemembered; i++)
        {
            tokens.Authenticate($"flood-{i}");
        }

        // The flood filled the memory, which was let go: "bad" is asked again.
        Assert.Null(tokens.Authenticate("bad"));
        Assert.Equal(RememberedTokens.MaxRemembered + 2, store.Asked);
    }

    private sealed class CountingStore : Dictionary<string, User>, ITokenAuthenticator
    {
        public int Asked { get; private set; }

        public User? Authenticate(string token)
        {
            Asked++;
            return TryGetValue(token, out var user) ? user : null;
        }
    }
}
