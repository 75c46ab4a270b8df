using Bitten.Domain.Market;
using Bitten.Domain.Signals;

namespace Bitten.Engine.Signals.Citadel;

/// <summary>CITADEL's word on a signal: raise it now, or hold it until the liquidity in its way is dealt with.</summary>
public enum CitadelVerdict
{
    Approve,
    Hold,
}

/// <summary>
/// The shield score (0–10) and what it is made of, so a trader can see why: <see cref="Liquidity"/> (0–4, clear air
/// between entry and the nearest opposing zone, measured against the target), <see cref="Sweep"/> (0–3, a recent sweep
/// of liquidity in the signal's favour), <see cref="Volatility"/> (0–2, ATR against its own longer average) and
/// <see cref="Spread"/> (0–1, the spread against the ATR).
/// </summary>
public readonly record struct CitadelAssessment(
    double Score,
    double Liquidity,
    double Sweep,
    double Volatility,
    double Spread,
    double ConfidenceAdjustment,
    CitadelVerdict Verdict,
    double OpposingLevel)
{
    /// <summary>Whether an opposing zone was found (<see cref="OpposingLevel"/> is NaN otherwise).</summary>
    public bool HasOpposingZone => !double.IsNaN(OpposingLevel);
}

/// <summary>
/// CITADEL: reads liquidity zones and sweeps from the closed M5 candles and scores a signal by the things the seeds
/// say the shield measures — how close the entry sits to opposing liquidity, whether stops were just taken in the
/// signal's favour, and whether volatility and spread are sane. A pure function of the closed candles.
/// </summary>
/// <remarks>
/// The original's CITADEL never called its sweep detector, so no sweep was ever seen and its score was 8 or 0
/// (original-system §2.8). Here sweeps come from the same zones as the distances, and a held signal is released
/// only when price actually clears the zone that held it (see <see cref="EliteGuard"/>).
/// </remarks>
public static class CitadelShield
{
    /// <summary>Closed candles scanned for zones: the last ~8 hours of M5.</summary>
    public const int Lookback = 100;

    /// <summary>A sweep counts as recent when it happened within this many candles of the last close (15 minutes).</summary>
    public const int RecentSweepCandles = 3;

    /// <summary>Touch tolerance around a level, in ATRs (floored at one pip).</summary>
    public const double ToleranceAtr = 0.15;

    /// <summary>An opposing zone closer than this many ATRs to the entry holds the signal (unless a sweep favours it).</summary>
    public const double HoldWithinAtr = 0.5;

    /// <summary>The score of a clean signal — clear air, no sweep, normal volatility and spread — moves confidence by 0.</summary>
    public const double NeutralScore = 7;

    /// <summary>Confidence points per shield point away from <see cref="NeutralScore"/>: +3 at 10, −7 at 0.</summary>
    public const double ConfidencePerPoint = 1.0;

    private const int MaxZones = 64;
    private const double LiquidityWeight = 4;
    private const double SweepWeight = 3;
    private const double VolatilityWeight = 2;
    private const double SpreadWeight = 1;

    // Volatility is sane while ATR is within [0.6, 1.8] of its longer average; it fades to nothing at 0.3 and 3.0.
    private const double CalmFloor = 0.3;
    private const double CalmLow = 0.6;
    private const double WildHigh = 1.8;
    private const double WildCeiling = 3.0;

    // Spread up to a tenth of the ATR costs nothing; at 0.3 ATR the point is gone.
    private const double TightSpreadAtr = 0.1;
    private const double WideSpreadAtr = 0.3;

    /// <summary>
    /// Scores a reading entered at <paramref name="entry"/> with its target <paramref name="targetDistance"/> away (price
    /// units), given the M5 ATR.
    /// </summary>
    public static CitadelAssessment Assess(ReadOnlySpan<Candle> closed, Direction direction, double entry, double targetDistance,
        double atr, double pipSize)
    {
        var window = closed.Length > Lookback ? closed[^Lookback..] : closed;
        var tolerance = Math.Max(ToleranceAtr * atr, pipSize);
        Span<LiquidityZone> zones = stackalloc LiquidityZone[MaxZones];
        var found = LiquidityZones.Find(window, tolerance, zones);
        zones = zones[..found];

        var opposing = NearestOpposing(zones, direction, entry);
        var room = double.IsNaN(opposing) ? double.PositiveInfinity : Math.Abs(opposing - entry);
        var liquidity = LiquidityWeight * Math.Clamp(room / targetDistance, 0, 1);

        var favourableSweep = SweptRecently(zones, direction == Direction.Buy ? ZoneSide.Support : ZoneSide.Resistance, window.Length);
        var sweep = favourableSweep ? SweepWeight : 0;

        var volatility = VolatilityWeight * VolatilitySanity(window, atr);
        var last = window[^1];
        var spreadAtr = atr > 0 ? Math.Max(0, last.Ask.Close - last.Bid.Close) / atr : double.PositiveInfinity;
        var spread = SpreadWeight * (1 - Math.Clamp((spreadAtr - TightSpreadAtr) / (WideSpreadAtr - TightSpreadAtr), 0, 1));

        var score = Math.Round(liquidity + sweep + volatility + spread, 1);
        var verdict = !favourableSweep && room < HoldWithinAtr * atr ? CitadelVerdict.Hold : CitadelVerdict.Approve;
        return new CitadelAssessment(score, liquidity, sweep, volatility, spread, (score - NeutralScore) * ConfidencePerPoint, verdict, opposing);
    }

    /// <summary>
    /// Whether a signal held below (BUY) or above (SELL) <paramref name="level"/> may go: the last closed candle closed
    /// beyond the level by more than the tolerance, so the liquidity in its way has been taken out.
    /// </summary>
    public static bool Cleared(in Candle last, Direction direction, double level, double atr, double pipSize)
    {
        var tolerance = Math.Max(ToleranceAtr * atr, pipSize);
        return direction == Direction.Buy ? last.Mid.Close > level + tolerance : last.Mid.Close < level - tolerance;
    }

    private static double NearestOpposing(ReadOnlySpan<LiquidityZone> zones, Direction direction, double entry)
    {
        var nearest = double.NaN;
        foreach (var zone in zones)
        {
            if (zone.State != ZoneState.Intact || zone.Touches < 2)
            {
                continue;
            }

            var ahead = direction == Direction.Buy
                ? zone.Side == ZoneSide.Resistance && zone.Level > entry
                : zone.Side == ZoneSide.Support && zone.Level < entry;
            if (ahead && (double.IsNaN(nearest) || Math.Abs(zone.Level - entry) < Math.Abs(nearest - entry)))
            {
                nearest = zone.Level;
            }
        }

        return nearest;
    }

    private static bool SweptRecently(ReadOnlySpan<LiquidityZone> zones, ZoneSide side, int candles)
    {
        foreach (var zone in zones)
        {
            if (zone.Side == side && zone.State == ZoneState.Swept && zone.EventIndex >= candles - RecentSweepCandles)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>1 while ATR is within the calm band of the window's mean true range, fading linearly to 0 outside it.</summary>
    private static double VolatilitySanity(ReadOnlySpan<Candle> window, double atr)
    {
        if (window.Length < 2)
        {
            return 0;
        }

        var meanRange = MeanTrueRange(window);
        if (!(meanRange > 0))
        {
            return 0;
        }

        var ratio = atr / meanRange;
        return ratio < CalmLow ? Math.Clamp((ratio - CalmFloor) / (CalmLow - CalmFloor), 0, 1)
            : ratio > WildHigh ? Math.Clamp((WildCeiling - ratio) / (WildCeiling - WildHigh), 0, 1)
            : 1;
    }

    /// <summary>
    /// The mean true range over the candles CITADEL scans, however many there are: the baseline its volatility term
    /// compares the ATR with. A statistic of the scanned window rather than a shared indicator, so that the shield stays
    /// a function of the candles it is given (its score over a short history is defined, not "not ready").
    /// </summary>
    private static double MeanTrueRange(ReadOnlySpan<Candle> window)
    {
        double sum = 0;
        for (var i = 1; i < window.Length; i++)
        {
            var bar = window[i].Mid;
            var previousClose = window[i - 1].Mid.Close;
            sum += Math.Max(bar.High - bar.Low, Math.Max(Math.Abs(bar.High - previousClose), Math.Abs(bar.Low - previousClose)));
        }

        return sum / (window.Length - 1);
    }
}
