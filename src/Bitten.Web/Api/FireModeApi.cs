using Bitten.Domain.Users;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Bitten.Web.Api;

public static class FireModeApi
{
    /// <summary>
    /// GET /api/fire-mode: the caller's mode and auto-fire band. PUT the same shape, any subset of its fields: stored
    /// through <see cref="IUserSettings"/>, then given to the desk, and answered with the settings now in force.
    /// </summary>
    public static IEndpointRouteBuilder MapFireModeApi(this IEndpointRouteBuilder endpoints, WebServices services)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(services);
        endpoints.MapGet("/api/fire-mode", (HttpContext http) => ApiJson.Ok(ToJson(ApiAuth.CallerOf(http)))).RequireUser(services);
        endpoints.MapPut("/api/fire-mode", Task<IResult> (HttpContext http) => PutAsync(http, services)).RequireUser(services);
        return endpoints;
    }

    private static async Task<IResult> PutAsync(HttpContext http, WebServices services)
    {
        var (body, invalid) = await ApiJson.ReadObjectAsync(http.Request);
        if (invalid is not null)
        {
            return invalid;
        }

        var caller = ApiAuth.CallerOf(http);
        if (SettingsBody.Read(body, caller, out var mode, out var auto) is { } problem)
        {
            return Invalid(problem);
        }

        if (mode is null && auto is null)
        {
            return Invalid("name at least one of mode, min_confidence, max_confidence, max_slots, risk_percent");
        }

        User updated;
        try
        {
            updated = services.Settings.SetFireMode(caller.UserId, mode, auto);
        }
        catch (ArgumentException e)
        {
            return Invalid(e.Message);
        }

        // Asked, not posted: the answer means the desk already fires with the new settings, so a fire right after
        // this response cannot use the old ones.
        var desk = services.Desk;
        await services.Kernel.AskAsync(() =>
        {
            desk.UpsertUser(updated);
            return true;
        });
        return ApiJson.Ok(ToJson(updated));
    }

    private static IResult Invalid(string message) => ApiJson.Error(StatusCodes.Status400BadRequest, "invalid_fire_mode", message);

    private static FireModeJson ToJson(User user) =>
        new(user.Mode.WireName(), user.Auto.MinConfidence, user.Auto.MaxConfidence, user.Auto.MaxSlots, user.Auto.RiskPercent);

    private sealed record FireModeJson(string Mode, double MinConfidence, double MaxConfidence, int MaxSlots, decimal RiskPercent);
}
