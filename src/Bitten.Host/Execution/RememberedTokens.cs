using System.Collections.Concurrent;
using Bitten.Domain.Users;
using Bitten.Persistence;
using Bitten.Web;

namespace Bitten.Host.Execution;

/// <summary>
/// API tokens remembered for <paramref name="ttl"/> (the user sync interval): a token's user is looked up in the store
/// once per interval instead of on every request, which is what serves the API near the web host's own ceiling. A
/// changed or revoked token therefore takes effect within the same interval as every other user change (bitten user
/// set/token reach a running server within Users:SyncIntervalSeconds). Keyed by the token's hash, so no token is kept;
/// unknown tokens are remembered too (a flood of bad ones costs no queries), and the whole memory is let go when it
/// holds <see cref="MaxRemembered"/>.
/// </summary>
public sealed class RememberedTokens(ITokenAuthenticator store, TimeProvider clock, TimeSpan ttl) : ITokenAuthenticator
{
    public const int MaxRemembered = 10_000;

    private readonly ConcurrentDictionary<string, (User? User, DateTimeOffset Until)> _remembered = new(StringComparer.Ordinal);

    /// <summary>Lets every remembered token go: called when this process changes a user, so its own change is seen at once.</summary>
    public void Forget() => _remembered.Clear();

    public User? Authenticate(string token)
    {
        var hash = UserStore.HashToken(token);
        var now = clock.GetUtcNow();
        if (_remembered.TryGetValue(hash, out var known) && now < known.Until)
        {
            return known.User;
        }

        var user = store.Authenticate(token);
        if (_remembered.Count >= MaxRemembered)
        {
            _remembered.Clear();
        }

        _remembered[hash] = (user, now + ttl);
        return user;
    }
}
