using Bitten.Domain.Trading;
using Bitten.Domain.Signals;
using Bitten.Engine.Execution;
using Bitten.Engine.Signals;
using Bitten.Engine.Tracking;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Bitten.Web.Api;

public static class ThroneApi
{
    public const int Signals = 20;

    /// <summary>
    /// GET /api/throne (ADMIN): everything the Commander Throne shows, from one kernel step (a consistent cut):
    /// <c>{components:{name:{state, detail}}, emergency_stop, eas:[{ea_uuid, user_id, last_seen, alive, balance, equity,
    /// positions}], users:[as GET /api/users, with xp and level], signals:[the last 20: signal_id, symbol, direction, pattern_type, confidence,
    /// timestamp, outcome], slots:{used,max}, patterns:[{pattern, disabled, by_record, kept_on, disabled_by_admin}],
    /// threshold:(as GET /api/threshold, null without a tuner), events:[{event_type, timestamp, summary}] (newest first)}</c>.
    /// </summary>
    public static IEndpointRouteBuilder MapThroneApi(this IEndpointRouteBuilder endpoints, WebServices services)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(services);
        endpoints.MapGet("/api/throne", async () =>
        {
            var (desk, tuner, progress) = (services.Desk, services.Tuner, services.Progress);
            var (traders, stop, threshold, levels) = await services.Kernel.AskAsync(() =>
            {
                var all = desk.Traders();
                return (all, desk.EmergencyStop, tuner?.View, all.Select(t => progress?.Invoke(t.User.UserId)).ToList());
            });
            var states = AnalyticsApi.States(services);
            var signals = (services.History?.Invoke() ?? []).OrderByDescending(t => t.Signal.TimestampMs).Take(Signals).Select(ToJson).ToList();
            var components = (services.Health?.Snapshot() ?? []).ToDictionary(c => c.Component,
                c => new ComponentJson(c.State.ToString().ToLowerInvariant(), c.Detail), StringComparer.Ordinal);
            return ApiJson.Ok(new ThroneJson(
                components,
                stop.WireName(),
                [.. traders.Where(t => t.User.EaUuid is not null).Select(ToEa)],
                [.. traders.Select((t, i) => UsersApi.ToJson(t) with { Xp = levels[i]?.Xp, Level = levels[i]?.Level })],
                signals,
                new UsersApi.SlotsJson(traders.Sum(t => t.Account.SlotsUsed), traders.Sum(t => t.Account.SlotLimit)),
                [.. PatternTypes.All.Select(p => ToJson(p, states))],
                threshold is null ? null : ThresholdApi.ToJson(threshold),
                [.. (services.RecentEvents?.Invoke() ?? []).Select(e => new EventJson(e.EventType, e.TimestampMs, e.Summary))]));
        }).RequireUser(services, adminOnly: true);
        return endpoints;
    }

    private static EaJson ToEa(TraderView t) =>
        new(t.User.EaUuid!, t.User.UserId, t.Account.EaLastSeenMs, t.Account.EaAlive, t.Account.Balance, t.Account.Equity, t.Account.OpenPositions);

    private static SignalJson ToJson(TrackedSignal t) => new(t.Signal.SignalId, t.Signal.Symbol, t.Signal.Direction.WireName(),
        t.Signal.PatternType.WireName(), t.Signal.Confidence, t.Signal.TimestampMs, t.Outcome?.Outcome.WireName());

    private static PatternJson ToJson(PatternType pattern, PatternStates states) => new(pattern.WireName(), states.IsDisabled(pattern),
        states.ByRecord.Contains(pattern), states.KeptOn.Contains(pattern), states.DisabledByAdmin.Contains(pattern));

    private sealed record ThroneJson(
        IReadOnlyDictionary<string, ComponentJson> Components,
        string EmergencyStop,
        IReadOnlyList<EaJson> Eas,
        IReadOnlyList<UsersApi.UserJson> Users,
        IReadOnlyList<SignalJson> Signals,
        UsersApi.SlotsJson Slots,
        IReadOnlyList<PatternJson> Patterns,
        ThresholdApi.ThresholdJson? Threshold,
        IReadOnlyList<EventJson> Events);

    private sealed record ComponentJson(string State, string Detail);

    private sealed record EaJson(string EaUuid, long UserId, long? LastSeen, bool Alive, decimal? Balance, decimal? Equity, int Positions);

    private sealed record SignalJson(string SignalId, string Symbol, string Direction, string PatternType, double Confidence, long Timestamp,
        string? Outcome);

    private sealed record PatternJson(string Pattern, bool Disabled, bool ByRecord, bool KeptOn, bool DisabledByAdmin);

    private sealed record EventJson(string EventType, long Timestamp, string Summary);
}
