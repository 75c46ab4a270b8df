using Bitten.Domain.Events;
using Bitten.Domain.Trading;

namespace Bitten.Engine.Execution;

/// <summary>
/// The desk's running totals, derived from the events it emits — each event counts in exactly one place, here — plus
/// the one thing that emits nothing: a repeated confirmation, ignored.
/// </summary>
public sealed class DeskCounters
{
    private readonly long[] _refusals = new long[Enum.GetValues<FireRefusal>().Length];

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
            case RiskBlocked blocked:
                CountRefusal(blocked.Refusal);
                break;
            case FireFailed { FireId: null } refused:
                CountRefusal(refused.Refusal);
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

    /// <summary>Fires refused before sending, by refusal (the sum is <see cref="Refused"/>).</summary>
    public long RefusalsOf(FireRefusal refusal) => (uint)refusal < (uint)_refusals.Length ? _refusals[(int)refusal] : 0;

    /// <summary>The non-zero refusal counts by wire code, for /stats and /metrics.</summary>
    public IReadOnlyDictionary<string, long> RefusalsByCode()
    {
        var result = new SortedDictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < _refusals.Length; i++)
        {
            if (_refusals[i] > 0)
            {
                result[((FireRefusal)i).Code()] = _refusals[i];
            }
        }

        return result;
    }

    private void CountRefusal(FireRefusal refusal)
    {
        Refused++;
        if ((uint)refusal < (uint)_refusals.Length)
        {
            _refusals[(int)refusal]++;
        }
    }
}
