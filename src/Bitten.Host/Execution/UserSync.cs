using Bitten.Domain.Users;
using Bitten.Engine.Execution;
using Bitten.Engine.Kernel;
using Bitten.Persistence;
using Microsoft.Extensions.Logging;

namespace Bitten.Host.Execution;

/// <summary>
/// Keeps the kernel's users equal to the store's: `bitten user add|set` run against the same database while the server
/// runs take effect within one interval. Reads off the kernel thread; only changed users are posted to it.
/// </summary>
public sealed class UserSync(UserStore users, TradingKernel kernel, ExecutionDesk desk, TimeProvider clock, ILogger logger, UserDirectory? directory = null)
{
    private readonly Dictionary<long, User> _known = [];

    /// <summary>Loads every user into the desk now; returns how many.</summary>
    public int LoadAll()
    {
        var all = users.List();
        Apply(all);
        return all.Count;
    }

    public async Task RunAsync(TimeSpan interval, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, clock, stop);
                Apply(users.List());
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (e is InvalidOperationException or System.Data.Common.DbException)
            {
                logger.LogWarning("User sync: {Error}", e.Message);
            }
        }
    }

    private void Apply(IReadOnlyList<User> all)
    {
        directory?.Replace(all);
        foreach (var user in all)
        {
            if (_known.TryGetValue(user.UserId, out var known) && known == user)
            {
                continue;
            }

            _known[user.UserId] = user;
            kernel.Post(() => desk.UpsertUser(user));
        }
    }
}
