using Bitten.Domain.Users;
using Bitten.Engine.Progression;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Bitten.Web.Api;

public static class MeApi
{
    /// <summary>
    /// GET /api/users/me: who the caller is, their fire settings and EA, their account as /api/account shows it (null
    /// until the desk knows it) and their progression, <c>progress:{xp, level, next_level_xp (null at the top level),
    /// win_streak, achievements:[{code, name, unlocked_at}]}</c> (null when this host keeps none), when their press pass ends or
    /// ended (<c>press_pass_expires_ms</c>, null: never had one), and their <c>mission_alerts</c> and <c>on_leaderboard</c> choices.
    /// </summary>
    public static IEndpointRouteBuilder MapMeApi(this IEndpointRouteBuilder endpoints, WebServices services)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(services);
        endpoints.MapGet("/api/users/me", Task<IResult> (HttpContext http) => MeAsync(http, services)).RequireUser(services)
            .WithName("Me").WithSummary("The caller: tier, role, fire mode and band, EA and account");
        return endpoints;
    }

    private static async Task<IResult> MeAsync(HttpContext http, WebServices services)
    {
        var user = ApiAuth.CallerOf(http);
        var desk = services.Desk;
        var progress = services.Progress;
        var (account, view) = await services.Kernel.AskAsync(() => (desk.AccountOf(user.UserId), progress?.Invoke(user.UserId)));
        return ApiJson.Ok(new MeJson(user.UserId, user.TelegramId, user.Tier.WireName(), user.Role.WireName(), user.Mode.WireName(), user.Auto.MinConfidence,
            user.Auto.MaxConfidence, user.Auto.MaxSlots, user.Auto.RiskPercent, user.EaUuid, account is null ? null : AccountApi.ToJson(account),
            view is null ? null : ToJson(view), user.PressPassExpiresMs, user.MissionAlerts, user.OnLeaderboard));
    }

    private static ProgressJson ToJson(ProgressView view) => new(view.Xp, view.Level, view.NextLevelXp, view.WinStreak,
        [.. view.Achievements.Select(a => new AchievementJson(a.Code, a.Name, a.UnlockedAtMs))]);

    private sealed record ProgressJson(long Xp, int Level, long? NextLevelXp, int WinStreak, IReadOnlyList<AchievementJson> Achievements);

    private sealed record AchievementJson(string Code, string Name, long UnlockedAt);

    private sealed record MeJson(
        long UserId,
        long TelegramId,
        string Tier,
        string Role,
        string Mode,
        double MinConfidence,
        double MaxConfidence,
        int MaxSlots,
        decimal RiskPercent,
        string? EaUuid,
        object? Account,
        object? Progress,
        long? PressPassExpiresMs,
        bool MissionAlerts,
        bool OnLeaderboard);
}
