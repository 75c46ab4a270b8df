namespace Bitten.Persistence.Tests;

public sealed class SqliteEngineLeaseTests() : EngineLeaseContract(new SqliteTestStore());

[OnPostgres]
public sealed class PostgresEngineLeaseTests() : EngineLeaseContract(new PostgresTestStore());

/// <summary>One engine per store, whichever provider holds it: claim, refusal naming the holder, renewal, takeovers, release, a race.</summary>
public abstract class EngineLeaseContract : IDisposable
{
    private static readonly Func<int, bool> Alive = _ => true;
    private static readonly Func<int, bool> Dead = _ => false;

    private readonly TestStore _temp;
    private readonly IDatabase _database;
    private readonly EngineLease _lease;

    protected EngineLeaseContract(TestStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _temp = store;
        _database = store.OpenOrRemove();
        _lease = new EngineLease(_database, _temp.Time);
    }

    [StoreFact]
    public void ASecondEngineIsRefusedWhileTheFirstRenewsAndNamesIt()
    {
        Assert.Equal(LeaseDecision.Claim, _lease.TryClaim("first", "host-a", 100, Alive).Decision);

        for (var i = 0; i < 5; i++)
        {
            _temp.Time.Advance(EngineLease.RenewEvery);
            Assert.True(_lease.Renew("first"));
            var (decision, holder) = _lease.TryClaim("second", "host-b", 200, Alive);
            Assert.Equal(LeaseDecision.Refuse, decision);
            Assert.Equal(("first", "host-a", 100), (holder!.Holder, holder.Host, holder.Pid));
            Assert.Equal(_temp.Time.GetUtcNow().ToUnixTimeMilliseconds(), holder.HeartbeatMs);
        }

        Assert.Equal("first", _lease.Current()!.Holder);
        Assert.Contains("on host-a (pid 100), last heartbeat 0.0 s ago", _lease.Current()!.Describe(_temp.Time.GetUtcNow().ToUnixTimeMilliseconds()),
            StringComparison.Ordinal);
    }

    [StoreFact]
    public void AnEngineSilentPastTheLifetimeIsTakenOverAndLearnsItLostTheStore()
    {
        _lease.TryClaim("first", "host-a", 100, Alive);
        _temp.Time.Advance(EngineLease.Lifetime);
        Assert.Equal(LeaseDecision.Refuse, _lease.TryClaim("second", "host-b", 200, Alive).Decision);

        _temp.Time.Advance(TimeSpan.FromMilliseconds(1));
        var (decision, previous) = _lease.TryClaim("second", "host-b", 200, Alive);

        Assert.Equal(LeaseDecision.TakeOverExpired, decision);
        Assert.Equal("first", previous!.Holder);
        Assert.False(_lease.Renew("first"));
        Assert.True(_lease.Renew("second"));
        // The one it took the store from cannot give it away on its way out.
        _lease.Release("first");
        Assert.Equal("second", _lease.Current()!.Holder);
    }

    [StoreFact]
    public void ARestartOnTheSameHostTakesOverFromItsDeadProcessAtOnce()
    {
        _lease.TryClaim("crashed", "host-a", 100, Alive);

        Assert.Equal(LeaseDecision.Refuse, _lease.TryClaim("restarted", "host-a", 101, Alive).Decision);
        Assert.Equal(LeaseDecision.TakeOverDeadProcess, _lease.TryClaim("restarted", "HOST-A", 101, Dead).Decision);
        Assert.Equal(("restarted", 101), (_lease.Current()!.Holder, _lease.Current()!.Pid));
    }

    [StoreFact]
    public void ACleanStopReleasesTheStoreForTheNextEngine()
    {
        _lease.TryClaim("first", "host-a", 100, Alive);
        _lease.Release("first");

        Assert.Null(_lease.Current());
        Assert.Equal(LeaseDecision.Claim, _lease.TryClaim("second", "host-b", 200, Alive).Decision);
    }

    [StoreFact]
    public void OfEnginesStartingTogetherExactlyOneGetsTheStore()
    {
        // Against an expired lease too: both see the same stale row, and the conditional update lets one through.
        foreach (var stale in new[] { false, true })
        {
            if (stale)
            {
                _lease.TryClaim("old", "host-z", 1, Alive);
                _temp.Time.Advance(EngineLease.Lifetime + TimeSpan.FromSeconds(1));
            }

            using var start = new Barrier(8);
            var decisions = Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            {
                var lease = new EngineLease(_database, _temp.Time);
                start.SignalAndWait();
                return (Name: $"{stale}-{i}", lease.TryClaim($"{stale}-{i}", $"host-{i}", 1000 + i, Alive).Decision);
            })).ToArray();
            Task.WaitAll(decisions);

            var winners = decisions.Select(d => d.Result).Where(d => d.Decision != LeaseDecision.Refuse).ToList();
            var winner = Assert.Single(winners);
            Assert.Equal(winner.Name, _lease.Current()!.Holder);
            _lease.Release(winner.Name);
        }
    }

    [Theory]
    [InlineData(false, 0, "host-a", true, LeaseDecision.Claim)]
    [InlineData(true, 15_000, "host-b", true, LeaseDecision.Refuse)]
    [InlineData(true, 15_001, "host-b", true, LeaseDecision.TakeOverExpired)]
    [InlineData(true, 15_001, "host-a", true, LeaseDecision.TakeOverExpired)]
    [InlineData(true, 1_000, "host-a", true, LeaseDecision.Refuse)]
    [InlineData(true, 1_000, "host-a", false, LeaseDecision.TakeOverDeadProcess)]
    [InlineData(true, 1_000, "HOST-A", false, LeaseDecision.TakeOverDeadProcess)]
    [InlineData(true, 1_000, "host-b", false, LeaseDecision.Refuse)]
    [InlineData(true, -5_000, "host-b", true, LeaseDecision.Refuse)]
    public void TheDecisionFollowsHeartbeatHostAndProcess(bool held, long heartbeatAgeMs, string host, bool alive, LeaseDecision expected)
    {
        const long now = 1_000_000;
        var current = held ? new LeaseHolder("h", "host-a", 7, 0, now - heartbeatAgeMs) : null;

        // Another host's process is never looked up: a pid means nothing across machines.
        Assert.Equal(expected, EngineLease.Decide(current, host, now, EngineLease.Lifetime,
            pid => string.Equals(host, "host-a", StringComparison.OrdinalIgnoreCase) ? alive : throw new InvalidOperationException("asked about a remote pid")));
    }

    [Fact]
    public void ThisProcessIsAliveAndANeverUsedPidIsNot()
    {
        Assert.True(EngineLease.ProcessAlive(Environment.ProcessId));
        Assert.False(EngineLease.ProcessAlive(int.MaxValue));
    }

    public void Dispose()
    {
        _database.Dispose();
        _temp.Dispose();
        GC.SuppressFinalize(this);
    }
}
