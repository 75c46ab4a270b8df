using Bitten.Domain.Users;

namespace Bitten.Host.Execution;

/// <summary>
/// Every user as the store last said, readable on any thread without a query: the bot's alerts look up a recipient
/// per mission (10,000 of them for one signal at scale). <see cref="UserSync"/> replaces it each interval; a change
/// made here (a /start, an /alerts) is put in at once.
/// </summary>
public sealed class UserDirectory
{
    private volatile Snapshot _snapshot = new(new Dictionary<long, User>(), new Dictionary<long, User>());

    public int Count => _snapshot.ById.Count;

    public User? ById(long userId) => _snapshot.ById.GetValueOrDefault(userId);

    public User? ByTelegramId(long telegramId) => _snapshot.ByTelegram.GetValueOrDefault(telegramId);

    public IEnumerable<User> All => _snapshot.ById.Values;

    public void Replace(IReadOnlyList<User> users)
    {
        ArgumentNullException.ThrowIfNull(users);
        var byId = new Dictionary<long, User>(users.Count);
        var byTelegram = new Dictionary<long, User>(users.Count);
        foreach (var user in users)
        {
            byId[user.UserId] = user;
            byTelegram[user.TelegramId] = user;
        }

        _snapshot = new Snapshot(byId, byTelegram);
    }

    public void Put(User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        lock (this)
        {
            var old = _snapshot;
            var byId = new Dictionary<long, User>(old.ById) { [user.UserId] = user };
            var byTelegram = new Dictionary<long, User>(old.ByTelegram) { [user.TelegramId] = user };
            _snapshot = new Snapshot(byId, byTelegram);
        }
    }

    private sealed record Snapshot(IReadOnlyDictionary<long, User> ById, IReadOnlyDictionary<long, User> ByTelegram);
}
