namespace Bitten.Domain.Signals;

/// <summary>
/// A published signal and, once it has reached TP or SL, how it ended (null while it is still open). The unit of
/// history that pattern analytics and the tracking dashboard read.
/// </summary>
public sealed record TrackedSignal(Signal Signal, SignalOutcome? Outcome)
{
    public bool IsResolved => Outcome is not null;
}
