using Bitten.Domain.Events;

namespace Bitten.Engine.Progression;

/// <summary>An achievement as the bot, the HUD and the Throne show it: its wire code, a name and one line of why.</summary>
public sealed record AchievementInfo(Achievement Achievement, string Code, string Name, string Description);

/// <summary>The achievements and what each takes; the numbers here are the ones <see cref="ProgressionBook"/> checks.</summary>
public static class Achievements
{
    public const int TenTakeProfitsCount = 10;

    public const int HundredTradesCount = 100;

    /// <summary>A disciplined week: this many closed trades within seven days with no risk block in them.</summary>
    public const int DisciplinedWeekTrades = 5;

    public const long WeekMs = 7 * 86_400_000L;

    public static IReadOnlyList<AchievementInfo> All { get; } =
    [
        Info(Achievement.FirstFire, "First fire", "Sent your first trade to your EA."),
        Info(Achievement.FirstTakeProfit, "First take profit", "A trade of yours closed at its take profit."),
        Info(Achievement.TenTakeProfits, "Ten take profits", $"{TenTakeProfitsCount} trades closed at their take profit."),
        Info(Achievement.HundredTrades, "Hundred trades", $"{HundredTradesCount} trades filled."),
        Info(Achievement.DisciplinedWeek, "Disciplined week",
            $"Seven days of trading, {DisciplinedWeekTrades} or more trades closed, and not one fire refused by a risk limit."),
        Info(Achievement.PatternExplorer, "Pattern explorer", "Traded every one of the six patterns."),
    ];

    public static AchievementInfo Describe(Achievement achievement) => All[(int)achievement];

    private static AchievementInfo Info(Achievement achievement, string name, string description) =>
        new(achievement, achievement.Code(), name, description);
}
