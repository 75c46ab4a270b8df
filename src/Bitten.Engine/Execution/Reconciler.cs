using Bitten.Domain.Trading;

namespace Bitten.Engine.Execution;

/// <summary>What a check-in means for a user's positions and fires in flight; the desk applies it.</summary>
/// <param name="Missing">Held positions the EA no longer lists (and old enough not to be a fill still on its way): closed as MISSING.</param>
/// <param name="ProvenFills">Reported positions carrying the id of one of our fires in flight: the fill confirmation was lost or is late.</param>
/// <param name="Adopted">Reported positions with our order comment but a fire id we do not know: held and flagged.</param>
/// <param name="ClosedAway">Fires in flight the EA says it executed that are not open there: filled and closed while we could not hear.</param>
public sealed record CheckInPlan(
    IReadOnlyList<OpenPosition> Missing,
    IReadOnlyList<ReportedPosition> ProvenFills,
    IReadOnlyList<ReportedPosition> Adopted,
    IReadOnlyList<string> ClosedAway)
{
    public static CheckInPlan Nothing { get; } = new([], [], [], []);
}

/// <summary>
/// Reconciles an EA's check-in (HELLO or HEARTBEAT) with what we hold, as a pure function: the EA's word on its
/// positions wins, a heartbeat may overtake a fill confirmation (they travel on different sockets) so a position
/// is only missing once it is older than the grace, and a fire the EA reports executed is never sent again.
/// </summary>
public static class Reconciler
{
    /// <param name="held">Positions we hold open for the user.</param>
    /// <param name="reported">The EA's positions, or null when it does not report them (an old EA): nothing is reconciled.</param>
    /// <param name="recentFireIds">Fire ids the EA executed lately, or null.</param>
    /// <param name="isInFlight">Whether a fire id is one of this user's fires still in flight.</param>
    /// <param name="isKnown">Whether a fire id is one the desk follows or remembers.</param>
    public static CheckInPlan Plan(
        IEnumerable<OpenPosition> held,
        IReadOnlyList<ReportedPosition>? reported,
        IReadOnlyList<string>? recentFireIds,
        Func<string, bool> isInFlight,
        Func<string, bool> isKnown,
        long nowMs,
        long graceMs)
    {
        ArgumentNullException.ThrowIfNull(held);
        ArgumentNullException.ThrowIfNull(isInFlight);
        ArgumentNullException.ThrowIfNull(isKnown);
        if (reported is null)
        {
            return CheckInPlan.Nothing;
        }

        var tickets = new HashSet<long>(reported.Count);
        foreach (var position in reported)
        {
            tickets.Add(position.Ticket);
        }

        var heldTickets = new HashSet<long>();
        List<OpenPosition>? missing = null;
        foreach (var position in held)
        {
            heldTickets.Add(position.Ticket);
            if (!tickets.Contains(position.Ticket) && nowMs - position.OpenedAtMs >= graceMs)
            {
                (missing ??= []).Add(position);
            }
        }

        List<ReportedPosition>? proven = null;
        List<ReportedPosition>? adopted = null;
        var provenIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var position in reported)
        {
            if (heldTickets.Contains(position.Ticket))
            {
                continue;
            }

            if (position.FireId is { } fireId && isInFlight(fireId))
            {
                if (provenIds.Add(fireId))
                {
                    (proven ??= []).Add(position);
                }
            }
            else if (position.FireId is { } ours && ours.StartsWith('F') && !isKnown(ours))
            {
                (adopted ??= []).Add(position);
            }
        }

        List<string>? away = null;
        foreach (var fireId in recentFireIds ?? [])
        {
            if (isInFlight(fireId) && !provenIds.Contains(fireId) && !(away?.Contains(fireId) ?? false))
            {
                (away ??= []).Add(fireId);
            }
        }

        return missing is null && proven is null && adopted is null && away is null
            ? CheckInPlan.Nothing
            : new CheckInPlan(missing ?? [], proven ?? [], adopted ?? [], away ?? []);
    }
}
