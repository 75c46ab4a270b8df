namespace Bitten.Domain.Signals;

public enum Outcome
{
    Win,
    Loss,
}

public static class Outcomes
{
    public static string WireName(this Outcome outcome) => outcome switch
    {
        Outcome.Win => "WIN",
        Outcome.Loss => "LOSS",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "not an outcome"),
    };
}

/// <summary>
/// How a tracked signal ended. <see cref="ExitPrice"/> is the exit-side quote of the tick that reached TP or SL
/// (bid for a BUY, ask for a SELL), so a gap through a level counts at the price actually available.
/// <see cref="Pips"/> is signed in the trade's favour; both excursions are non-negative pip distances measured on
/// the exit side, the adverse one as a positive number.
/// </summary>
public readonly record struct SignalOutcome(
    string SignalId,
    Outcome Outcome,
    double ExitPrice,
    long ExitTimeMs,
    double Pips,
    double DurationMinutes,
    double MaxFavourablePips,
    double MaxAdversePips);
