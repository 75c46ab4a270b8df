using Bitten.Domain.Primitives;
using Bitten.Engine.Tracking;
using Bitten.Web.ReadModels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Bitten.Web.Api;

public static class AnalyticsApi
{
    /// <summary>
    /// GET /api/pattern-analytics?timeframe=6h|24h|7d|all (default 6h, any user): seed 000's
    /// <c>{timeframe, total_signals, patterns:{NAME:{signals, wins, wr}}, recommendation}</c> with every pattern
    /// (all six, so the shape never changes) and our additions: losses, open, the Wilson interval, pips, expectancy in
    /// R, duration, disabled (and disabled_by_admin: switched off by an admin whatever the record), per-pattern and overall breakdowns by symbol, session and confidence, and calibration.
    /// Percentages (wr, wilson_*) are 0–100 with one decimal and null when nothing has resolved.
    /// </summary>
    public static IEndpointRouteBuilder MapAnalyticsApi(this IEndpointRouteBuilder endpoints, WebServices services)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(services);
        var analytics = endpoints.ServiceProvider.GetRequiredService<AnalyticsReadModel>();
        endpoints.MapGet("/api/pattern-analytics", (HttpContext http) =>
        {
            var text = http.Request.Query["timeframe"];
            if (text.Count > 1 || !AnalyticsWindows.TryParse(text.Count == 0 ? "6h" : text[0], out var window))
            {
                return ApiJson.Error(StatusCodes.Status400BadRequest, "invalid_timeframe", "timeframe must be one of 6h, 24h, 7d, all");
            }

            // Never an empty report that looks like "no signals" when this host was built without the tracked history.
            return analytics.Current(window) is { } entry
                ? ApiJson.Bytes(entry.Json)
                : ApiJson.Error(StatusCodes.Status503ServiceUnavailable, "unavailable", "this server has no signal history");
        }).RequireUser(services).WithName("PatternAnalytics").WithSummary("Win rates, Wilson intervals and breakdowns per pattern for a window (6h, 24h, 7d, all)");
        return endpoints;
    }

    /// <summary>The kernel's switchboard's states: what Elite Guard obeys is what the API shows.</summary>
    internal static PatternStates States(WebServices services) => services.PatternStates?.Invoke() ?? PatternStates.None;

    internal static Dictionary<string, object?> Body(PatternAnalyticsReport report)
    {
        var patterns = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var row in report.Patterns)
        {
            var json = Stats(row.Stats);
            json["disabled"] = row.Disabled;
            json["auto_disabled"] = row.AutoDisabled;
            json["overridden"] = row.Overridden;
            json["disabled_by_admin"] = row.DisabledByAdmin;
            json["recommendation"] = row.Recommendation;
            json["by_symbol"] = Group(row.BySymbol);
            json["by_session"] = Group(row.BySession);
            json["by_confidence"] = Group(row.ByConfidence);
            patterns[row.Name] = json;
        }

        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["timeframe"] = report.Window.WireName(),
            ["total_signals"] = report.Total.Signals,
            ["patterns"] = patterns,
            ["recommendation"] = report.Recommendation,
            ["generated_at"] = UnixMs.ToDateTime(report.NowMs).UtcDateTime,
            ["total"] = Stats(report.Total),
            ["patterns_active"] = report.PatternsActive,
            ["disabled"] = report.Patterns.Where(p => p.Disabled).Select(p => p.Name).ToList(),
            ["disabled_by_admin"] = report.Patterns.Where(p => p.DisabledByAdmin).Select(p => p.Name).ToList(),
            ["by_symbol"] = Group(report.BySymbol),
            ["by_session"] = Group(report.BySession),
            ["by_confidence"] = Group(report.ByConfidence),
            ["calibration"] = report.Calibration.Select(c => new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["bucket"] = c.Bucket,
                ["signals"] = c.Signals,
                ["resolved"] = c.Resolved,
                ["wins"] = c.Wins,
                ["wr"] = Percent(c.WinRate, c.Resolved),
                ["wilson_lower"] = Percent(c.WilsonLower, c.Resolved),
                ["wilson_upper"] = Percent(c.WilsonUpper, c.Resolved),
                ["mean_confidence"] = c.MeanConfidence is { } m ? Math.Round(m, 1) : null,
            }).ToList(),
        };
    }

    private static Dictionary<string, object?> Stats(PerformanceStats s) => new(StringComparer.Ordinal)
    {
        ["signals"] = s.Signals,
        ["wins"] = s.Wins,
        ["wr"] = Percent(s.WinRate, s.Resolved),
        ["losses"] = s.Losses,
        ["open"] = s.Open,
        ["wilson_lower"] = Percent(s.WilsonLower, s.Resolved),
        ["wilson_upper"] = Percent(s.WilsonUpper, s.Resolved),
        ["total_pips"] = Math.Round(s.TotalPips, 1),
        ["avg_pips"] = Math.Round(s.AveragePips, 2),
        ["expectancy_r"] = Math.Round(s.ExpectancyR, 3),
        ["avg_duration_minutes"] = s.AverageDurationMinutes is { } d ? Math.Round(d, 1) : null,
    };

    private static Dictionary<string, object?> Group(IReadOnlyDictionary<string, PerformanceStats> groups) =>
        groups.ToDictionary(g => g.Key, g => (object?)Stats(g.Value), StringComparer.Ordinal);

    /// <summary>A 0–1 rate as seed 000's percentage with one decimal; null when there is nothing to rate.</summary>
    internal static double? Percent(double rate, int resolved) => resolved == 0 ? null : Math.Round(rate * 100, 1);
}
