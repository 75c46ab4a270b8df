using System.Text.Json;
using System.Text.Json.Nodes;
using Bitten.Domain.Primitives;
using Bitten.Domain.Trading;
using Bitten.Engine.Execution;
using Bitten.Engine.Tracking;
using Bitten.Web.ReadModels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Bitten.Web.Api;

public static class MissionHudApi
{
    /// <summary>
    /// GET /api/missions/{mission_id}: one of the caller's missions with what its HUD shows — the /api/missions fields,
    /// the server's <c>now</c>, the signal's citadel score and pips, the lot and money at SL/TP for the caller
    /// (<c>risk</c>, null with <c>risk_reason</c> when unknown), the pattern's record over all time, the slots, whether a
    /// FIRE would go through now (the desk's own decision, dry-run) and the fire's state. 404 for anyone else's.
    /// </summary>
    public static IEndpointRouteBuilder MapMissionHud(this IEndpointRouteBuilder endpoints, WebServices services)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(services);
        var analytics = endpoints.ServiceProvider.GetRequiredService<AnalyticsReadModel>();
        endpoints.MapGet("/api/missions/{mission_id}", Task<IResult> (string mission_id, HttpContext http) => GetAsync(mission_id, http, services, analytics))
            .RequireUser(services).WithName("MissionHud").WithSummary("One of your missions with its risk, pattern record, slots and whether it can fire now");
        return endpoints;
    }

    private static async Task<IResult> GetAsync(string missionId, HttpContext http, WebServices services, AnalyticsReadModel analytics)
    {
        var caller = ApiAuth.CallerOf(http);
        var userId = caller.UserId;
        var desk = services.Desk;
        var (mission, preview, risk, account) = await services.Kernel.AskAsync(() =>
            (desk.MissionOf(userId, missionId), desk.PreviewFire(userId, missionId), desk.RiskOf(userId, missionId), desk.AccountOf(userId)));
        if (mission is null)
        {
            return ApiJson.Error(StatusCodes.Status404NotFound, "not_found", $"you have no mission {missionId}");
        }

        var signal = mission.Signal;
        var body = JsonSerializer.SerializeToNode(MissionsApi.ToJson(mission), ApiJson.Options)!.AsObject();
        body["now"] = UnixMs.Now(services.Clock);
        body["citadel_score"] = signal.CitadelScore;
        body["score"] = Node(ScoreJson.Of(signal));
        body["stop_pips"] = signal.StopPips;
        body["target_pips"] = signal.TargetPips;
        body["risk"] = risk.Known ? Node(new RiskJson(risk.Lot!.Value, risk.MoneyAtRisk!.Value, risk.MoneyToGain!.Value, risk.Currency)) : null;
        body["risk_reason"] = risk.Reason;
        body["pattern_record"] = analytics.Current(AnalyticsWindow.All)?.Report.Patterns.FirstOrDefault(p => p.Pattern == signal.PatternType) is { } row
            ? Node(new PatternRecordJson(row.Stats.Signals, row.Stats.Wins, row.Stats.Losses, AnalyticsApi.Percent(row.Stats.WinRate, row.Stats.Resolved),
                AnalyticsApi.Percent(row.Stats.WilsonLower, row.Stats.Resolved), AnalyticsApi.Percent(row.Stats.WilsonUpper, row.Stats.Resolved), row.Disabled))
            : null;
        body["slots"] = Node(new SlotsJson(account?.SlotsUsed ?? 0, account?.SlotLimit ?? ExecutionDesk.SlotLimit(caller)));
        var verdict = preview.Verdict;
        body["can_fire"] = Node(verdict.Fires ? new CanFireJson(true, null, null) : new CanFireJson(false, verdict.Refusal.Code(), verdict.Message));
        body["fire"] = mission.FireId is { } fireId && services.Events?.Activity.FireOf(userId, fireId) is { } fire ? Node(MissionFireJson.Of(fire)) : null;
        return ApiJson.Ok(body);
    }

    private static JsonNode? Node<T>(T value) => JsonSerializer.SerializeToNode(value, ApiJson.Options);

    private sealed record RiskJson(decimal Lot, decimal MoneyAtRisk, decimal MoneyToGain, string? Currency);

    private sealed record PatternRecordJson(int Signals, int Wins, int Losses, double? Wr, double? WilsonLower, double? WilsonUpper, bool Disabled);

    private sealed record SlotsJson(int Used, int Max);

    private sealed record CanFireJson(bool Ok, string? Code, string? Message);
}
