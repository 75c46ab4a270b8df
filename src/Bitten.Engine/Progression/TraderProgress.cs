using Bitten.Domain.Events;

namespace Bitten.Engine.Progression;

/// <summary>One user's progression state inside <see cref="ProgressionBook"/> (kernel thread only).</summary>
internal sealed class TraderProgress(long userId)
{
    public const int RecentCount = 10;

    private readonly Queue<XpAwarded> _recent = new(RecentCount);

    public long UserId { get; } = userId;

    public long Xp { get; set; }

    /// <summary>Cause keys already paid: what makes an award happen at most once.</summary>
    public HashSet<string> Awarded { get; } = new(StringComparer.Ordinal);

    public List<UnlockedAchievement> Unlocked { get; } = [];

    /// <summary>
    /// Fills and closes already counted, by fire id: the same event applied twice (a duplicate, a replay over a live
    /// book) moves no counter, so the streak and the achievements count each trade once.
    /// </summary>
    public HashSet<string> Counted { get; } = new(StringComparer.Ordinal);

    public int Streak { get; set; }

    public int Trades { get; set; }

    public int TakeProfits { get; set; }

    public int StopLosses { get; set; }

    /// <summary>Every pattern this user has traded, one bit per pattern.</summary>
    public int PatternsTraded { get; set; }

    /// <summary>The UTC day (days since the epoch) of <see cref="DayPatterns"/>, the patterns traded that day.</summary>
    public long Day { get; set; } = -1;

    public int DayPatterns { get; set; }

    /// <summary>Since when this user has traded with no risk block: the first fill, or the last block after it (null before either).</summary>
    public long? CleanSinceMs { get; set; }

    /// <summary>Times of the closes within the last seven days (oldest first).</summary>
    public Queue<long> RecentCloses { get; } = new();

    public bool Has(Achievement achievement) => Unlocked.Exists(u => u.Achievement == achievement);

    public void Remember(XpAwarded award)
    {
        if (_recent.Count == RecentCount)
        {
            _recent.Dequeue();
        }

        _recent.Enqueue(award);
    }

    public ProgressView View()
    {
        var level = Levels.LevelOf(Xp);
        return new ProgressView(UserId, Xp, level, Levels.Floor(level), Levels.Next(level), Streak, Trades, TakeProfits, StopLosses,
            [.. Unlocked], [.. _recent]);
    }
}
