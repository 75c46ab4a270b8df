namespace Bitten.Persistence.Tests;

public sealed class SqliteOutboxStoreTests() : OutboxStoreContract(new SqliteTestStore());

[OnPostgres]
public sealed class PostgresOutboxStoreTests() : OutboxStoreContract(new PostgresTestStore());

/// <summary>What <see cref="OutboxStore"/> does, whichever provider is behind it.</summary>
public abstract class OutboxStoreContract : IDisposable
{
    private const long Now = 1_772_442_000_000;

    private readonly TestStore _temp;
    private readonly IDatabase _database;
    private readonly OutboxStore _outbox;

    protected OutboxStoreContract(TestStore store)
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

        _outbox = new OutboxStore(_database);
    }

    [StoreFact]
    public void AKnownKeyIsStoredOnce()
    {
        Assert.True(_outbox.Enqueue("mission:1", 42, "{\"text\":\"a\"}", Now));

        Assert.False(_outbox.Enqueue("mission:1", 43, "{\"text\":\"b\"}", Now + 5));

        var row = Assert.Single(_outbox.Pending(10));
        Assert.Equal(new OutboxRow(row.Id, "mission:1", 42, "{\"text\":\"a\"}", Now, 0, 0), row);
    }

    [StoreFact]
    public void AFanOutStoresEveryNewKeyInOneCallAndSkipsKnownOnes()
    {
        _outbox.Enqueue("signal:7:user:2", 2, "{}", Now);
        var entries = Enumerable.Range(1, 500).Select(i => new OutboxEntry($"signal:7:user:{i}", i, "{}")).ToList();
        entries.Add(new OutboxEntry("signal:7:user:3", 3, "{}"));

        Assert.Equal(499, _outbox.EnqueueMany(entries, Now));

        var pending = _outbox.Pending(1000);
        Assert.Equal(500, pending.Count);
        Assert.Equal(pending.Select(r => r.Id).Order(), pending.Select(r => r.Id));
        Assert.Equal(new OutboxCounts(500, 0, 0), _outbox.Counts());
    }

    [StoreFact]
    public void PendingPagesByIdAndLeavesSentAndFailedOut()
    {
        _outbox.EnqueueMany(Enumerable.Range(1, 5).Select(i => new OutboxEntry($"k{i}", i, "{}")).ToList(), Now);
        var all = _outbox.Pending(10);

        _outbox.MarkSent(all[0].Id, Now + 1, 9001);
        _outbox.MarkFailed(all[1].Id, "403 Forbidden: bot was blocked by the user");

        Assert.Equal(["k3", "k4"], _outbox.Pending(2).Select(r => r.Key));
        Assert.Equal(["k4", "k5"], _outbox.Pending(10, afterId: all[2].Id).Select(r => r.Key));
        Assert.Equal(new OutboxCounts(3, 1, 1), _outbox.Counts());
    }

    [StoreFact]
    public void ARescheduledMessageKeepsItsPlaceWithItsAttemptsAndWaitTime()
    {
        _outbox.Enqueue("a", 1, "{}", Now);
        _outbox.Enqueue("b", 1, "{}", Now);
        var first = _outbox.Pending(1)[0];

        _outbox.Reschedule(first.Id, Now + 4000, 3, "502 Bad Gateway");

        var again = _outbox.Pending(10);
        Assert.Equal(["a", "b"], again.Select(r => r.Key));
        Assert.Equal(3, again[0].Attempts);
        Assert.Equal(Now + 4000, again[0].NotBeforeMs);
    }

    [StoreFact]
    public void ASentOrFailedMessageIsFinal()
    {
        _outbox.Enqueue("a", 1, "{}", Now);
        _outbox.Enqueue("b", 1, "{}", Now);
        var rows = _outbox.Pending(10);
        _outbox.MarkSent(rows[0].Id, Now, 1);
        _outbox.MarkFailed(rows[1].Id, "400 Bad Request: chat not found");

        Assert.Throws<InvalidOperationException>(() => _outbox.MarkSent(rows[0].Id, Now, 2));
        Assert.Throws<InvalidOperationException>(() => _outbox.Reschedule(rows[1].Id, Now, 1, null));
        Assert.Throws<InvalidOperationException>(() => _outbox.MarkFailed(999_999, "x"));
        Assert.Equal(new OutboxCounts(0, 1, 1), _outbox.Counts());
    }

    [StoreFact]
    public void TheQueueSurvivesReopening()
    {
        _outbox.EnqueueMany([new OutboxEntry("a", -100, "{\"text\":\"x\"}"), new OutboxEntry("b", 5, "{}")], Now);
        _outbox.MarkSent(_outbox.Pending(1)[0].Id, Now, 7);

        using var reopened = _temp.Open();

        Assert.Equal(["b"], new OutboxStore(reopened).Pending(10).Select(r => r.Key));
    }

    public void Dispose()
    {
        _database.Dispose();
        _temp.Dispose();
        GC.SuppressFinalize(this);
    }
}
