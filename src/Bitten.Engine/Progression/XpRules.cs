using System.Globalization;

namespace Bitten.Engine.Progression;

/// <summary>
/// The XP of PRODUCT.md §9 and the cause key of each award: the key names the one thing an award is for, so the same
/// outcome seen twice (a replay, a duplicate event) is never paid twice.
/// </summary>
public static class XpRules
{
    public const int TakeProfit = 100;

    /// <summary>A stop loss pays nothing; no award is recorded for it (the position_closed event is the record).</summary>
    public const int StopLoss = 0;

    public const int EarlyClose = 50;

    public const int FirstTrade = 25;

    public const int PatternVariety = 20;

    public const string FirstTradeKey = "first_trade";

    /// <summary>The bonus for a run of take profits reaching exactly this length, or null (2, 4, 6, 11 pay nothing).</summary>
    public static int? StreakBonus(int streak) => streak switch
    {
        3 => 50,
        5 => 100,
        10 => 250,
        _ => null,
    };

    public static string TakeProfitKey(string fireId) => "tp:" + fireId;

    public static string EarlyCloseKey(string fireId) => "early_close:" + fireId;

    /// <summary>The streak's length and the fire that reached it: a new streak reaching 3 again is a new cause.</summary>
    public static string StreakKey(int streak, string fireId) => "streak" + streak.ToString(CultureInfo.InvariantCulture) + ":" + fireId;

    public static string VarietyKey(long timeMs) => "variety:" + UtcDay(timeMs);

    /// <summary>The UTC day of an event time, yyyy-MM-dd.</summary>
    public static string UtcDay(long timeMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(timeMs).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
