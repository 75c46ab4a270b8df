using Bitten.Domain.Events;

namespace Bitten.Engine.Progression;

/// <summary>An achievement a user holds: when (event time) and what unlocked it.</summary>
public sealed record UnlockedAchievement(Achievement Achievement, string Code, string Name, long UnlockedAtMs, string CauseKey);

/// <summary>
/// One user's progression as the bot and the web show it: XP, level and where it starts and ends, the current run of
/// take profits, trade counts, achievements (in the order unlocked) and the last awards (newest last).
/// </summary>
public sealed record ProgressView(
    long UserId,
    long Xp,
    int Level,
    long LevelFloorXp,
    long? NextLevelXp,
    int WinStreak,
    int Trades,
    int TakeProfits,
    int StopLosses,
    IReadOnlyList<UnlockedAchievement> Achievements,
    IReadOnlyList<XpAwarded> Recent);

/// <summary>A row of the leaderboard; ranks are 1, 2, 3… with equal XP ordered by user id.</summary>
public sealed record LeaderboardEntry(int Rank, long UserId, long Xp, int Level);
