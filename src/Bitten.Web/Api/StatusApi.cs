using Bitten.Domain.Trading;
using Bitten.Domain.Primitives;
using Bitten.Engine.Tracking;
using Bitten.Web.ReadModels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Bitten.Web.Api;

public static class StatusApi
{
    /// <summary>
    /// GET /status (no auth): seed 002's system health status — overall status, uptime (s), each component's state, EAs
    /// alive, each symbol's last quote and the emergency stop. GET /stats (no auth): the running totals — ticks, rejects,
    /// signals, missions, fires, fills, refusals by code, outcomes and the event log's queue. Both read published
    /// figures (<see cref="WebServices.System"/>) and the analytics read model, never the kernel.
    /// </summary>
    public static IEndpointRouteBuilder MapStatusApi(this IEndpointRouteBuilder endpoints, WebServices services)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(services);
        var health = endpoints.ServiceProvider.GetRequiredService<HealthReadModel>();
        var analytics = endpoints.ServiceProvider.GetRequiredService<AnalyticsReadModel>();
        endpoints.MapGet("/status", () => ApiJson.Ok(Status(services, health.StartedMs)))
            .WithName("Status").WithSummary("System health status: components, EAs, last quotes, emergency stop (no token)");
        endpoints.MapGet("/stats", () => ApiJson.Ok(Stats(services, analytics)))
            .WithName("Stats").WithSummary("System statistics: ticks, rejects, signals, fires, refusals, outcomes (no token)");
        return endpoints;
    }

    private static StatusJson Status(WebServices services, long startedMs)
    {
        var (_, components, ok) = HealthApi.Components(services);
        var figures = services.System?.Invoke() ?? SystemFigures.None;
        return new StatusJson(
            ok ? "healthy" : "degraded",
            Math.Max(0, (UnixMs.Now(services.Clock) - startedMs) / UnixMs.Second),
            components,
            figures.Eas,
            [.. figures.Quotes.Select(q => new QuoteJson(q.Symbol, q.Bid, q.Ask, q.TimeMs, DigitsOf(q.Symbol)))],
            figures.EmergencyStop.WireName());
    }

    private static StatsJson Stats(WebServices services, AnalyticsReadModel analytics)
    {
        var figures = services.System?.Invoke() ?? SystemFigures.None;
        var total = analytics.Current(AnalyticsWindow.All)?.Report.Total;
        var log = services.EventLog?.Invoke();
        return new StatsJson(figures.Ticks, figures.Rejects.Values.Sum(), total?.Signals ?? 0, figures.Missions, figures.Fires, figures.Fills,
            figures.Refusals, new OutcomesJson(total?.Wins ?? 0, total?.Losses ?? 0), log is null ? null : new EventLogJson(log.QueueDepth, log.Capacity));
    }

    private sealed record StatusJson(string Status, long Uptime, IReadOnlyDictionary<string, string> Components, int Eas, IReadOnlyList<QuoteJson> Symbols,
        string EmergencyStop);

    /// <summary>The catalogue's quoted digits, so pages print prices as the engine rounds them; null for a symbol it does not list.</summary>
    private static int? DigitsOf(string symbol) => SymbolCatalogue.Default.TryGet(symbol, out var spec) ? spec.Digits : null;

    private sealed record QuoteJson(string Symbol, double Bid, double Ask, long Time, int? Digits);

    private sealed record StatsJson(long Ticks, long Rejects, int Signals, long Missions, long Fires, long Fills, IReadOnlyDictionary<string, long> Refusals,
        OutcomesJson Outcomes, EventLogJson? EventLog);

    private sealed record OutcomesJson(int Wins, int Losses);

    private sealed record EventLogJson(int QueueDepth, int Capacity);
}
