using Bitten.Web.ReadModels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Bitten.Web.Api;

public static class PerformanceApi
{
    /// <summary>
    /// GET /api/performance: the caller's closed trades (oldest first, the last <see cref="TraderActivity.TradesKept"/>),
    /// balance points, wins, losses, win rate (0–100, null before the first), pips and profit totals, and slot use over
    /// time — from the <see cref="TraderActivity"/> read model, so since this process started.
    /// </summary>
    public static IEndpointRouteBuilder MapPerformanceApi(this IEndpointRouteBuilder endpoints, WebServices services)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(services);
        endpoints.MapGet("/api/performance", (HttpContext http) =>
        {
            var activity = services.Events?.Activity ?? new TraderActivity();
            return ApiJson.Ok(activity.PerformanceOf(ApiAuth.CallerOf(http).UserId));
        }).RequireUser(services).WithName("Performance").WithSummary("Your closed trades, balance curve, win rate, totals and slot use");
        return endpoints;
    }
}
