using System.Text.Json.Serialization;
using Bitten.Domain.Signals;
using Bitten.Domain.Trading;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Bitten.Web.Api;

public static class MissionsApi
{
    /// <summary>
    /// GET /api/missions: the caller's missions, newest first; a mission a fire of which was refused (by the decision
    /// or by the EA) carries the last refusal as <c>"refusal": {"code", "message"}</c>, otherwise <c>null</c>.
    /// </summary>
    public static IEndpointRouteBuilder MapMissionsApi(this IEndpointRouteBuilder endpoints, WebServices services)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(services);
        endpoints.MapGet("/api/missions", Task<IResult> (HttpContext http) => ListAsync(http, services)).RequireUser(services);
        endpoints.MapMissionHud(services);
        return endpoints;
    }

    private static async Task<IResult> ListAsync(HttpContext http, WebServices services)
    {
        var userId = ApiAuth.CallerOf(http).UserId;
        var desk = services.Desk;

        // Missions are immutable records in a fresh list: safe to serialise off the kernel thread.
        var missions = await services.Kernel.AskAsync(() => desk.MissionsOf(userId));
        return ApiJson.Ok(missions.Select(ToJson).ToList());
    }

    internal static MissionJson ToJson(Mission m) => new(m.MissionId, m.Signal.SignalId, m.Signal.Symbol, m.Signal.Direction.WireName(),
        m.Signal.PatternType.WireName(), m.Signal.SignalClass.WireName(), m.Signal.Confidence, m.Signal.EntryPrice, m.Signal.StopLoss,
        m.Signal.TakeProfit, m.Status.WireName(), m.CreatedAtMs, m.ExpiresAtMs, m.FireId, m.CloseReason?.WireName(),
        m.LastRefusal is { } r ? new RefusalJson(r.Refusal.Code(), r.Message) : null);

    internal sealed record RefusalJson(string Code, string Message);

    internal sealed record MissionJson(
        string MissionId,
        string SignalId,
        string Symbol,
        string Direction,
        string PatternType,
        string SignalClass,
        double Confidence,
        double EntryPrice,
        [property: JsonPropertyName("sl")] double StopLoss,
        [property: JsonPropertyName("tp")] double TakeProfit,
        string Status,
        long CreatedAt,
        long ExpiresAt,
        string? FireId,
        string? CloseReason,
        RefusalJson? Refusal);
}
