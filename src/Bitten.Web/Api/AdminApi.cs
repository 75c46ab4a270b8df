using System.Text.Json;
using Bitten.Domain.Signals;
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
        endpoints.MapPost("/api/patterns/{pattern}", Task<IResult> (string pattern, HttpContext http) => KeepOnAsync(pattern, http, services))
            .RequireUser(services, adminOnly: true);
        return endpoints;
    }

    public static string WireName(EmergencyStop stop) => stop switch
    {
        EmergencyStop.Soft => "SOFT",
        EmergencyStop.Hard => "HARD",
        _ => "NONE",
    };

    /// <summary>
    /// POST /api/patterns/{PATTERN} <c>{"keep_on":true|false}</c> (ADMIN): the admin override of auto-disable. Answers
    /// whether the pattern is disabled now.
    /// </summary>
    private static async Task<IResult> KeepOnAsync(string name, HttpContext http, WebServices services)
    {
        if (!PatternTypes.TryParse(name, out var pattern))
        {
            return ApiJson.Error(StatusCodes.Status404NotFound, "not_found", $"no pattern '{name}'");
        }

        if (services.KeepPatternOn is not { } keepOn)
        {
            return ApiJson.Error(StatusCodes.Status503ServiceUnavailable, "unavailable", "pattern switching is not running");
        }

        var (body, invalid) = await ApiJson.ReadObjectAsync(http.Request);
        if (invalid is not null)
        {
            return invalid;
        }

        if (!body.TryGetProperty("keep_on", out var keep) || keep.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return ApiJson.InvalidRequest("'keep_on' must be true or false");
        }

        var admin = ApiAuth.CallerOf(http).UserId;
        var disabled = await services.Kernel.AskAsync(() => keepOn(pattern, keep.GetBoolean(), admin));
        if (services.Stored is { } stored)
        {
            // The override is an event in the log: answered only once it is stored, so a restart keeps it.
            await stored();
        }

        return ApiJson.Ok(new { Pattern = pattern.WireName(), KeepOn = keep.GetBoolean(), Disabled = disabled });
    }

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
