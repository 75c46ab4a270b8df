using Bitten.Domain.Trading;
using Bitten.Engine.Execution;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Bitten.Web.Api;

public static class AccountApi
{
    /// <summary>GET /api/account: the caller's account as the desk sees it (EA, balance, slots, emergency stop).</summary>
    public static IEndpointRouteBuilder MapAccountApi(this IEndpointRouteBuilder endpoints, WebServices services)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(services);
        endpoints.MapGet("/api/account", Task<IResult> (HttpContext http) => GetAsync(http, services)).RequireUser(services);
        return endpoints;
    }

    private static async Task<IResult> GetAsync(HttpContext http, WebServices services)
    {
        var userId = ApiAuth.CallerOf(http).UserId;
        var desk = services.Desk;
        var account = await services.Kernel.AskAsync(() => desk.AccountOf(userId));
        return account is null
            ? ApiJson.Error(StatusCodes.Status404NotFound, "not_found", "the trading desk does not know your account yet")
            : ApiJson.Ok(ToJson(account));
    }

    internal static object ToJson(AccountView a) => Json(a);

    private static AccountJson Json(AccountView a) => new(a.UserId, a.EaUuid, a.EaAlive, a.EaLastSeenMs, a.Balance, a.Equity,
        a.DayStartBalance, new SlotsJson(a.SlotsUsed, a.SlotLimit), a.OpenPositions, a.EmergencyStop.WireName());

    private sealed record SlotsJson(int Used, int Max);

    private sealed record AccountJson(
        long UserId,
        string? EaUuid,
        bool EaAlive,
        long? EaLastSeenAt,
        decimal? Balance,
        decimal? Equity,
        decimal DayStartBalance,
        SlotsJson Slots,
        int OpenPositions,
        string EmergencyStop);
}
