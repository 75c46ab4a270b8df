namespace Bitten.Engine.Progression;

/// <summary>
/// The published level table: level n (1-based) starts at <see cref="Thresholds"/>[n-1] XP. Early levels come after a
/// few take profits, later ones need months of steady trading; the last level has no next.
/// </summary>
public static class Levels
{
    public static IReadOnlyList<long> Thresholds { get; } =
        [0, 100, 250, 500, 1_000, 2_000, 3_500, 5_000, 7_500, 10_000, 15_000, 20_000, 30_000, 40_000, 50_000];

    public static int Max => Thresholds.Count;

    /// <summary>The level a total of XP reaches (1 for none, or anything below zero).</summary>
    public static int LevelOf(long xp)
    {
        var level = 1;
        while (level < Thresholds.Count && xp >= Thresholds[level])
        {
            level++;
        }

        return level;
    }

    /// <summary>The XP at which a level starts (clamped into the table).</summary>
    public static long Floor(int level) => Thresholds[Math.Clamp(level, 1, Max) - 1];

    /// <summary>The XP at which the level after this one starts, or null at the top.</summary>
    public static long? Next(int level) => level >= Max ? null : Thresholds[Math.Max(level, 1)];
}
