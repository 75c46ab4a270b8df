using Bitten.Domain.Users;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Bitten.Web.Api;

public static class MeApi
{
    /// <summary>GET /api/users/me: who the caller is, their fire settings and EA, their account as /api/account shows it (null until the desk knows it), when their press pass ends or ended (<c>press_pass_expires_ms</c>, null: never had one), and their <c>mission_alerts</c> and <c>on_leaderboard</c> choices.</summary>
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
        var account = await services.Kernel.AskAsync(() => desk.AccountOf(user.UserId));
        return ApiJson.Ok(new MeJson(user.UserId, user.TelegramId, user.Tier.WireName(), user.Role.WireName(), user.Mode.WireName(), user.Auto.MinConfidence,
            user.Auto.MaxConfidence, user.Auto.MaxSlots, user.Auto.RiskPercent, user.EaUuid, account is null ? null : AccountApi.ToJson(account), user.PressPassExpiresMs,
            user.MissionAlerts, user.OnLeaderboard));
    }

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
        long? PressPassExpiresMs,
        bool MissionAlerts,
        bool OnLeaderboard);
}
