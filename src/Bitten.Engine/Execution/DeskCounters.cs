using Bitten.Domain.Events;
using Bitten.Domain.Trading;

namespace Bitten.Engine.Execution;

/// <summary>
/// The desk's running totals, derived from the events it emits — each event counts in exactly one place, here — plus
/// the one thing that emits nothing: a repeated confirmation, ignored.
/// </summary>
public sealed class DeskCounters
{
    public long Missions { get; private set; }

    public long FiresSent { get; private set; }

    public long Resent { get; private set; }

    public long Refused { get; private set; }

    public long Filled { get; private set; }

    public long Failed { get; private set; }

    public long Closed { get; private set; }

    public long Unmatched { get; private set; }

    public long Duplicates { get; private set; }

    public void Count(TradingEvent e)
    {
        switch (e)
        {
            case MissionCreated:
                Missions++;
                break;
            case FireSent { Attempt: 1 }:
                FiresSent++;
                break;
            case FireSent:
                Resent++;
                break;
            case RiskBlocked:
            case FireFailed { FireId: null }:
                Refused++;
                break;
            case FireFailed:
            case SlotReleased { Reason: SlotReleaseReason.OrphanTimeout }:
                Failed++;
                break;
            case FireFilled:
                Filled++;
                break;
            case PositionClosed closed:
                // Executed and closed while we were away: a fill we never heard of, and its close.
                Filled += closed.Reason == PositionCloseReason.ClosedAway ? 1 : 0;
                Closed++;
                break;
            case ConfirmationRejected:
                Unmatched++;
                break;
        }
    }

    public void CountDuplicate() => Duplicates++;
}
