using System.Text.Json;
using Bitten.Domain.Trading;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Bitten.Web.Api;

public static class FireApi
{
    /// <summary>
    /// POST /api/fire <c>{"mission_id"}</c>: fires one of the caller's missions. A refusal answers with its
    /// <see cref="FireRefusals.Code"/> and the decision's sentence: 404 unknown mission, 410 expired, 403 tier,
    /// 409 anything else (the state of the account, the mission or the desk forbids it now).
    /// </summary>
    public static IEndpointRouteBuilder MapFireApi(this IEndpointRouteBuilder endpoints, WebServices services)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(services);
        endpoints.MapPost("/api/fire", Task<IResult> (HttpContext http) => FireAsync(http, services)).RequireUser(services);
        return endpoints;
    }

    private static async Task<IResult> FireAsync(HttpContext http, WebServices services)
    {
        var (body, invalid) = await ApiJson.ReadObjectAsync(http.Request);
        if (invalid is not null)
        {
            return invalid;
        }

        if (!body.TryGetProperty("mission_id", out var id) || id.ValueKind != JsonValueKind.String || id.GetString() is not { Length: > 0 } missionId)
        {
            return ApiJson.InvalidRequest("'mission_id' must be a non-empty string");
        }

        var userId = ApiAuth.CallerOf(http).UserId;
        var desk = services.Desk;
        var result = await services.Kernel.AskAsync(() => desk.Fire(userId, missionId));
        if (!result.MissionFound)
        {
            return ApiJson.Error(StatusCodes.Status404NotFound, "not_found", $"you have no mission {missionId}");
        }

        if (result.Verdict.Fires)
        {
            return ApiJson.Ok(new { result.FireId, MissionId = missionId, result.Verdict.Lot });
        }

        var status = result.Verdict.Refusal switch
        {
            FireRefusal.Expired => StatusCodes.Status410Gone,
            FireRefusal.TierNotAllowed => StatusCodes.Status403Forbidden,
            _ => StatusCodes.Status409Conflict,
        };
        return ApiJson.Error(status, result.Verdict.Refusal.Code(), result.Verdict.Message);
    }
}
