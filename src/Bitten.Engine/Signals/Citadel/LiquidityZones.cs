using Bitten.Domain.Market;

namespace Bitten.Engine.Signals.Citadel;

/// <summary>Which side of price a zone's resting orders sit: stops above swing highs, or below swing lows.</summary>
public enum ZoneSide
{
    Resistance,
    Support,
}

/// <summary>What became of a zone after its swing, by the last closed candle.</summary>
public enum ZoneState
{
    /// <summary>Untouched liquidity: no candle has traded through it.</summary>
    Intact,

    /// <summary>A wick ran through it and the candle closed back inside: the stops were taken (a sweep).</summary>
    Swept,

    /// <summary>A candle closed beyond it: the level no longer holds.</summary>
    Broken,
}

/// <summary>
/// A swing high (resistance) or low (support) where stops rest. <see cref="Touches"/> counts the visits to the level
/// within the tolerance, the swing itself included; <see cref="EventIndex"/> is the index of the candle that swept or
/// broke it (−1 while intact).
/// </summary>
public readonly record struct LiquidityZone(ZoneSide Side, double Level, int SwingIndex, int Touches, ZoneState State, int EventIndex);

/// <summary>
/// Finds liquidity zones in closed candles (mid prices). A swing is a candle whose high (low) is strictly beyond the
/// <see cref="SwingReach"/> candles on each side, so a swing is only known once those later candles have closed —
/// nothing here reads the forming bar or anything after the last closed candle.
/// </summary>
public static class LiquidityZones
{
    /// <summary>Candles each side a swing must stand out from (the original used one; two rejects noise on M5).</summary>
    public const int SwingReach = 2;

    /// <summary>
    /// Writes the zones of <paramref name="closed"/> into <paramref name="into"/>, oldest swing first, and returns how
    /// many. Swings within <paramref name="tolerance"/> of a zone already found on the same side count as touches of
    /// it rather than zones of their own. Zones beyond the capacity of <paramref name="into"/> are ignored.
    /// </summary>
    public static int Find(ReadOnlySpan<Candle> closed, double tolerance, Span<LiquidityZone> into)
    {
        var count = 0;
        for (var i = SwingReach; i < closed.Length - SwingReach && count < into.Length; i++)
        {
            if (IsSwing(closed, i, ZoneSide.Resistance) && !Near(into[..count], ZoneSide.Resistance, closed[i].Mid.High, tolerance))
            {
                into[count++] = Follow(closed, i, ZoneSide.Resistance, tolerance);
            }

            if (count < into.Length && IsSwing(closed, i, ZoneSide.Support) && !Near(into[..count], ZoneSide.Support, closed[i].Mid.Low, tolerance))
            {
                into[count++] = Follow(closed, i, ZoneSide.Support, tolerance);
            }
        }

        return count;
    }

    private static bool IsSwing(ReadOnlySpan<Candle> closed, int i, ZoneSide side)
    {
        var level = Extreme(closed[i], side);
        for (var k = 1; k <= SwingReach; k++)
        {
            if (!Beyond(level, Extreme(closed[i - k], side), side) || !Beyond(level, Extreme(closed[i + k], side), side))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Near(ReadOnlySpan<LiquidityZone> zones, ZoneSide side, double level, double tolerance)
    {
        foreach (var zone in zones)
        {
            if (zone.Side == side && zone.State == ZoneState.Intact && Math.Abs(zone.Level - level) <= tolerance)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Counts earlier and later visits to the swing's level and finds the first candle that swept or broke it.</summary>
    private static LiquidityZone Follow(ReadOnlySpan<Candle> closed, int swing, ZoneSide side, double tolerance)
    {
        var level = Extreme(closed[swing], side);
        var touches = 1;

        // Earlier visits, outside the swing's own neighbourhood (those are what make it a swing, not a revisit).
        for (var j = 0; j < swing - SwingReach; j++)
        {
            if (Math.Abs(Extreme(closed[j], side) - level) <= tolerance)
            {
                touches++;
            }
        }

        for (var j = swing + 1; j < closed.Length; j++)
        {
            var bar = closed[j].Mid;
            if (Beyond(bar.Close, level + Signed(tolerance, side), side))
            {
                return new LiquidityZone(side, level, swing, touches, ZoneState.Broken, j);
            }

            if (Beyond(Extreme(closed[j], side), level + Signed(tolerance, side), side))
            {
                return new LiquidityZone(side, level, swing, touches, ZoneState.Swept, j);
            }

            if (j > swing + SwingReach && Math.Abs(Extreme(closed[j], side) - level) <= tolerance)
            {
                touches++;
            }
        }

        return new LiquidityZone(side, level, swing, touches, ZoneState.Intact, -1);
    }

    private static double Extreme(in Candle candle, ZoneSide side) => side == ZoneSide.Resistance ? candle.Mid.High : candle.Mid.Low;

    /// <summary>Whether <paramref name="price"/> is strictly beyond <paramref name="level"/> on the zone's outer side.</summary>
    private static bool Beyond(double price, double level, ZoneSide side) => side == ZoneSide.Resistance ? price > level : price < level;

    private static double Signed(double distance, ZoneSide side) => side == ZoneSide.Resistance ? distance : -distance;
}
