using Bitten.Domain.Users;

namespace Bitten.Telegram.Commands;

/// <summary>
/// The user fields the bot reads that the users' own change brings (mission alerts, leaderboard, press pass expiry, the
/// RECRUIT tier): read only here, so wiring them in is this file alone. Null means "not known in this build".
/// </summary>
internal static class UserView
{
    public static bool? MissionAlerts(User user) => null;

    public static bool? OnLeaderboard(User user) => null;

    public static long? PressPassExpiresMs(User user) => null;
}
