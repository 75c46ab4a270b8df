namespace Bitten.Domain.Signals;

/// <summary>
/// Why a signal scored what it did, for the HUD. The confidence terms are the detector's (<see cref="Base"/>,
/// <see cref="Strength"/>, <see cref="Quality"/>, <see cref="Volume"/>, <see cref="Session"/>), then what the pattern's
/// confidence range, the 0–100 clamp and the rounding to one decimal took off or added (<see cref="Range"/>, usually 0),
/// then CITADEL's adjustment (<see cref="Citadel"/>): they sum to the signal's confidence (<see cref="Total"/>).
/// The shield's score and its parts (liquidity 0–4, sweep 0–3, volatility 0–2, spread 0–1) follow.
/// </summary>
public sealed record SignalScore(
    double Base,
    double Strength,
    double Quality,
    double Volume,
    double Session,
    double Range,
    double Citadel,
    double CitadelScore,
    double Liquidity,
    double Sweep,
    double Volatility,
    double Spread)
{
    public double Total => Base + Strength + Quality + Volume + Session + Range + Citadel;
}
