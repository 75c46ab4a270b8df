using System.Text.Json;
using Bitten.Domain.Events;
using Bitten.Domain.Signals;
using Bitten.Domain.Trading;
using Bitten.Engine.Kernel;
using Bitten.Engine.Tracking;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Bitten.Web.Api;

/// <summary>
/// The Throne's switches (ADMIN): the emergency stop and the patterns. Each acts on the kernel thread, records one
/// user_action (<see cref="AdminActed"/>) in the same step, and is answered once that event is stored.
/// </summary>
public static class AdminApi
{
    /// <summary>
    /// POST /api/emergency-stop <c>{"mode":"SOFT|HARD|NONE"}</c>: SOFT stops new fires, HARD also closes everything;
    /// answers <c>{"emergency_stop"}</c>. POST /api/patterns/{PATTERN} <c>{"keep_on":bool}</c> or
    /// <c>{"enabled":bool}</c>: see <see cref="PatternAsync"/>.
    /// </summary>
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder endpoints, WebServices services)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(services);
        endpoints.MapPost("/api/emergency-stop", Task<IResult> (HttpContext http) => StopAsync(http, services)).RequireUser(services, adminOnly: true);
        endpoints.MapPost("/api/patterns/{pattern}", Task<IResult> (string pattern, HttpContext http) => PatternAsync(pattern, http, services))
            .RequireUser(services, adminOnly: true);
        return endpoints;
    }

    /// <summary>An admin's change, made as every channel makes it: <see cref="AdminStep.ActAsync{T}"/>.</summary>
    internal static Task<T> ActAsync<T>(WebServices services, Func<long, (T Answer, AdminActed? Acted)> change) =>
        AdminStep.ActAsync(services.Kernel, services.Clock, services.Record, services.Stored, change);

    /// <summary>
    /// POST /api/patterns/{PATTERN}: <c>{"keep_on":true}</c> or <c>{"enabled":true}</c> keeps the pattern on whatever its
    /// record; <c>{"enabled":false}</c> switches it off whatever its record (Elite Guard stops running it);
    /// <c>{"keep_on":false}</c> hands it back to the auto-disable rule. Answers
    /// <c>{pattern, keep_on, disabled_by_admin, disabled, override: AUTO|KEEP_ON|OFF}</c>. 404 for an unknown pattern.
    /// </summary>
    private static async Task<IResult> PatternAsync(string name, HttpContext http, WebServices services)
    {
        if (!PatternTypes.TryParse(name, out var pattern))
        {
            return ApiJson.Error(StatusCodes.Status404NotFound, "not_found", $"no pattern '{name}'");
        }

        if (services.Switchboard is not { } board)
        {
            return ApiJson.Error(StatusCodes.Status503ServiceUnavailable, "unavailable", "pattern switching is not running");
        }

        var (body, invalid) = await ApiJson.ReadObjectAsync(http.Request);
        if (invalid is not null)
        {
            return invalid;
        }

        if (!TryFlag(body, "keep_on", out var keepOn) || !TryFlag(body, "enabled", out var enabled) || (keepOn is null) == (enabled is null))
        {
            return ApiJson.InvalidRequest("send one of 'keep_on' or 'enabled', as true or false");
        }

        var admin = ApiAuth.CallerOf(http).UserId;
        var choice = keepOn switch
        {
            true => PatternOverride.KeepOn,
            false => PatternOverride.None,
            _ => enabled == true ? PatternOverride.KeepOn : PatternOverride.ForceOff,
        };
        var disabled = await ActAsync(services, now => keepOn is { } keep
            ? AdminStep.OverridePattern(board, admin, pattern, choice, keep ? AdminActions.PatternKeepOn : AdminActions.PatternRelease, now)
            : AdminStep.SwitchPattern(board, admin, pattern, enabled == true, now));
        return ApiJson.Ok(new PatternJson(pattern.WireName(), choice == PatternOverride.KeepOn, choice == PatternOverride.ForceOff, disabled,
            choice.WireName()));
    }

    /// <summary>False when the body names the field as anything but a boolean; <paramref name="flag"/> null when it does not name it.</summary>
    private static bool TryFlag(JsonElement body, string name, out bool? flag)
    {
        flag = null;
        if (!body.TryGetProperty(name, out var value))
        {
            return true;
        }

        flag = value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => null,
        };
        return flag is not null;
    }

    private static async Task<IResult> StopAsync(HttpContext http, WebServices services)
    {
        var (body, invalid) = await ApiJson.ReadObjectAsync(http.Request);
        if (invalid is not null)
        {
            return invalid;
        }

        if (!body.TryGetProperty("mode", out var mode) || mode.ValueKind != JsonValueKind.String || !EmergencyStops.TryParse(mode.GetString(), out var chosen))
        {
            return ApiJson.InvalidRequest("'mode' must be SOFT, HARD or NONE");
        }

        var desk = services.Desk;
        var admin = ApiAuth.CallerOf(http).UserId;
        var now = await ActAsync(services, time => AdminStep.SetEmergencyStop(desk, admin, chosen, time));
        return ApiJson.Ok(new { EmergencyStop = now.WireName() });
    }

    private sealed record PatternJson(string Pattern, bool KeepOn, bool DisabledByAdmin, bool Disabled, string Override);
}
