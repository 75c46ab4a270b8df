using Bitten.Engine.Execution;

namespace Bitten.Simulation.Replay;

/// <summary>
/// Counts each user's refused fires by reason, from the desk's execution events: a decision not to fire
/// (<c>risk_blocked</c>, <c>fire_failed</c> with the refusal's code) and a fire the EA refused (<c>fire_failed</c>,
/// <c>ea_refused</c>). The one place a replay reads the desk's events, so it is the one place to port when they change.
/// </summary>
public sealed class RefusalTally : IExecutionObserver
{
    private readonly Dictionary<long, SortedDictionary<string, long>> _byUser = [];

    public void OnEvent(ExecutionEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.UserId is not { } user || e.EventType is not ("risk_blocked" or "fire_failed"))
        {
            return;
        }

        var reason = e.Details?.Reason ?? "unknown";
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
