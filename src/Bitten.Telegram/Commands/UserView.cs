using Bitten.Domain.Users;

namespace Bitten.Telegram.Commands;

/// <summary>The user's own choices and pass as the bot shows them (null: not known), read in one place.</summary>
internal static class UserView
{
    public static bool? MissionAlerts(User user) => user.MissionAlerts;

    public static bool? OnLeaderboard(User user) => user.OnLeaderboard;

    public static long? PressPassExpiresMs(User user) => user.PressPassExpiresMs;
}
