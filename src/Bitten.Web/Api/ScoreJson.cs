using Bitten.Domain.Signals;

namespace Bitten.Web.Api;

/// <summary>
/// A signal's score for the HUD: <c>{"confidence":{base, strength, quality, volume, session, range, citadel, total},
/// "citadel":{score, liquidity, sweep, volatility, spread}}</c>, the parts to two decimals and total the signal's
/// confidence (the unrounded parts sum to it); null for a signal without a score (injected through the API, or stored
/// before scores were kept). Serialise with the API's options (<see cref="ApiJson"/>).
/// </summary>
public static class ScoreJson
{
    public static ScoreBody? Of(Signal signal)
    {
        ArgumentNullException.ThrowIfNull(signal);
        return signal.Score is { } s
            ? new ScoreBody(
                new ConfidenceParts(R(s.Base), R(s.Strength), R(s.Quality), R(s.Volume), R(s.Session), R(s.Range), R(s.Citadel), signal.Confidence),
                new CitadelParts(R(s.CitadelScore), R(s.Liquidity), R(s.Sweep), R(s.Volatility), R(s.Spread)))
            : null;
    }

    private static double R(double value) => Math.Round(value, 2);

    public sealed record ScoreBody(ConfidenceParts Confidence, CitadelParts Citadel);

    public sealed record ConfidenceParts(double Base, double Strength, double Quality, double Volume, double Session, double Range, double Citadel,
        double Total);

    public sealed record CitadelParts(double Score, double Liquidity, double Sweep, double Volatility, double Spread);
}
