using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Engine.Signals;
using Bitten.Engine.Tracking;
using Microsoft.Extensions.Logging;

namespace Bitten.Host.Status;

/// <summary>Logs each resolved signal and counts wins and losses for the status line.</summary>
public sealed class OutcomeLog(ILogger logger) : IOutcomeSink
{
    private long _wins;
    private long _losses;

    public long Wins => Interlocked.Read(ref _wins);

    public long Losses => Interlocked.Read(ref _losses);

    public void OnResolved(in SignalOutcome outcome)
    {
        Interlocked.Increment(ref outcome.Outcome == Outcome.Win ? ref _wins : ref _losses);
        logger.LogInformation("Signal {Id} {Outcome}: {Pips:F1} pips in {Minutes:F0} min", outcome.SignalId, outcome.Outcome.WireName(), outcome.Pips, outcome.DurationMinutes);
    }
}
