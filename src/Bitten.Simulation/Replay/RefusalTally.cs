using Bitten.Domain.Events;
using Bitten.Domain.Trading;
using Bitten.Engine.Execution;

namespace Bitten.Simulation.Replay;

/// <summary>
/// Counts each user's refused fires by reason, from the desk's typed events: a decision not to fire
/// (<see cref="RiskBlocked"/>, <see cref="FireFailed"/> with the refusal) and a fire the EA refused
/// (<see cref="FireFailed"/> with <see cref="FireRefusal.EaRefused"/>).
/// </summary>
public sealed class RefusalTally : IExecutionObserver
{
    private readonly Dictionary<long, SortedDictionary<string, long>> _byUser = [];

    public void OnEvent(TradingEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var (user, refusal) = e switch
        {
            RiskBlocked r => (r.UserId, r.Refusal),
            FireFailed f => (f.UserId, f.Refusal),
            _ => (0L, FireRefusal.None),
        };
        if (refusal == FireRefusal.None)
        {
            return;
        }

        var reason = refusal.Code();
        if (!_byUser.TryGetValue(user, out var counts))
        {
            _byUser[user] = counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        }

        counts[reason] = counts.GetValueOrDefault(reason) + 1;
    }

    /// <summary>The user's refusals by reason code, in code order.</summary>
    public IReadOnlyDictionary<string, long> Of(long userId) =>
        _byUser.TryGetValue(userId, out var counts) ? counts : new SortedDictionary<string, long>(StringComparer.Ordinal);
}
