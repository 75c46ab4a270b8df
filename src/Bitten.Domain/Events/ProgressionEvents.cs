namespace Bitten.Domain.Events;

/// <summary>Why XP was given: the outcomes and habits of PRODUCT.md §9.</summary>
public enum XpCause
{
    TakeProfit,
    StopLoss,
    EarlyClose,
    FirstTrade,
    WinStreak,
    PatternVariety,
}

/// <summary>The few milestones a trader respects; each unlocks once per user.</summary>
public enum Achievement
{
    FirstFire,
    FirstTakeProfit,
    TenTakeProfits,
    HundredTrades,
    DisciplinedWeek,
    PatternExplorer,
}

/// <summary>
/// A user earned <see cref="Xp"/> for <see cref="Cause"/>. <see cref="CauseKey"/> names the one thing it was for (e.g.
/// <c>tp:F7-9</c>, <c>first_trade</c>, <c>variety:2025-01-02</c>): a (user, key) is awarded at most once, which is what
/// makes a replay of the event log give the same XP. <see cref="TotalXp"/> and <see cref="Level"/> are the user's after it.
/// </summary>
public sealed record XpAwarded(long TimeMs, long UserId, XpCause Cause, int Xp, string CauseKey, long TotalXp, int Level)
    : TraderEvent(TimeMs, UserId);

/// <summary>A user unlocked an achievement (once ever); <see cref="CauseKey"/> names what did it (a fire id, a week).</summary>
public sealed record AchievementUnlocked(long TimeMs, long UserId, Achievement Achievement, string CauseKey)
    : TraderEvent(TimeMs, UserId);

/// <summary>The wire names of the progression enums: what the event log stores and a replay reads back.</summary>
public static class ProgressionNames
{
    /// <summary>The <c>action</c> of the user_action an award is stored as.</summary>
    public const string XpAwardedAction = "xp_awarded";

    public const string AchievementUnlockedAction = "achievement_unlocked";

    private static readonly string[] Causes = ["take_profit", "stop_loss", "early_close", "first_trade", "win_streak", "pattern_variety"];

    private static readonly string[] Codes = ["first_fire", "first_tp", "ten_tps", "hundred_trades", "disciplined_week", "pattern_explorer"];

    public static string WireName(this XpCause cause) => Causes[(int)cause];

    public static string Code(this Achievement achievement) => Codes[(int)achievement];

    public static bool TryParseCause(string? name, out XpCause cause) => TryParse(Causes, name, out cause);

    public static bool TryParseAchievement(string? code, out Achievement achievement) => TryParse(Codes, code, out achievement);

    private static bool TryParse<T>(string[] names, string? name, out T value)
        where T : struct, Enum
    {
        var at = Array.IndexOf(names, name);
        value = at >= 0 ? (T)(object)at : default;
        return at >= 0;
    }
}
