using System.Text.Json;
using Bitten.Domain.Trading;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Bitten.Web.Api;

public static class AdminApi
{
    /// <summary>POST /api/emergency-stop <c>{"mode":"SOFT|HARD|NONE"}</c> (ADMIN): SOFT stops new fires, HARD also closes everything.</summary>
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder endpoints, WebServices services)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(services);
        endpoints.MapPost("/api/emergency-stop", Task<IResult> (HttpContext http) => StopAsync(http, services)).RequireUser(services, adminOnly: true);
        return endpoints;
    }

    public static string WireName(EmergencyStop stop) => stop switch
    {
        EmergencyStop.Soft => "SOFT",
        EmergencyStop.Hard => "HARD",
        _ => "NONE",
    };

    private static async Task<IResult> StopAsync(HttpContext http, WebServices services)
    {
        var (body, invalid) = await ApiJson.ReadObjectAsync(http.Request);
        if (invalid is not null)
        {
            return invalid;
        }

        EmergencyStop? stop = body.TryGetProperty("mode", out var mode) && mode.ValueKind == JsonValueKind.String
            ? mode.GetString()?.ToUpperInvariant() switch
            {
                "NONE" => EmergencyStop.None,
                "SOFT" => EmergencyStop.Soft,
                "HARD" => EmergencyStop.Hard,
                _ => null,
            }
            : null;
        if (stop is not { } chosen)
        {
            return ApiJson.InvalidRequest("'mode' must be SOFT, HARD or NONE");
        }

        var desk = services.Desk;
        var now = await services.Kernel.AskAsync(() =>
        {
            desk.SetEmergencyStop(chosen);
            return desk.EmergencyStop;
        });
        return ApiJson.Ok(new { EmergencyStop = WireName(now) });
    }
}
