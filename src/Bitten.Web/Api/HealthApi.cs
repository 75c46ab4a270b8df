using System.Globalization;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Engine.Kernel;
using Bitten.Engine.Tracking;
using Bitten.Web.ReadModels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Bitten.Web.Api;

public static class HealthApi
{
    /// <summary>The <see cref="ComponentHealth"/> name the event bus reports under; read for <c>event_bus_status</c>.</summary>
    public const string EventBusComponent = "event-bus";

    /// <summary>
    /// GET /healthz (no auth, for probes) in seed 000's shape: status "healthy" when every component is running,
    /// "degraded" otherwise; uptime in seconds since the web host was mapped (it starts with the process);
    /// signals_last_6h, win_rate (% of the resolved ones, null when none) and avg_trade_duration (minutes, null when
    /// none) over signals stamped in the last 6 hours; active_slots "used/max" and ea_connected from
    /// <see cref="WebServices.Figures"/> ("0/0" and false without it); event_bus_status "operational" when the
    /// <see cref="EventBusComponent"/> runs, else its state or "not_running"; patterns_active = 6 minus the disabled;
    /// then each component's state; last, with <see cref="WebServices.EventLog"/>, event_log: queue_depth, capacity,
    /// waits and waited_ms (producers held back by a full queue), shed (events shed, by type); with <see cref="WebServices.Curve"/>, curve: enabled, refused (handshakes refused in all) and by_port (port → reason → count). Without a <see cref="ComponentHealth"/> the kernel is the one component shown.
    /// Reads no kernel state, so it answers while the kernel is stopped.
    /// </summary>
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder endpoints, WebServices services)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(services);
        var health = endpoints.ServiceProvider.GetRequiredService<HealthReadModel>();
        endpoints.MapGet("/healthz", () => ApiJson.Bytes(health.Current()))
            .WithName("Health").WithSummary("Liveness and the headline figures (no token: for probes)");
        return endpoints;
    }

    /// <summary>Every component's state (the kernel alone without a <see cref="ComponentHealth"/>), by name, and whether all run.</summary>
    internal static (IReadOnlyList<(string Component, ComponentState State, string Detail)> Snapshot, Dictionary<string, string> ByName, bool AllRunning)
        Components(WebServices services)
    {
        IReadOnlyList<(string Component, ComponentState State, string Detail)> snapshot =
            services.Health?.Snapshot() ?? [(TradingKernel.ComponentName, services.Kernel.State, "")];
        return (snapshot, snapshot.ToDictionary(c => c.Component, c => c.State.ToString().ToLowerInvariant(), StringComparer.Ordinal),
            snapshot.All(c => c.State == ComponentState.Running));
    }

    /// <summary>The /healthz body at this instant (the read model caches it).</summary>
    internal static Dictionary<string, object?> Body(WebServices services, long startedMs, long nowMs)
    {
        var (snapshot, components, ok) = Components(services);

        var history = services.History?.Invoke() ?? [];
        var recent = history.Where(t => AnalyticsWindow.SixHours.Contains(t.Signal.TimestampMs, nowMs)).ToList();
        var stats = PatternAnalytics.Stats(recent);
        var disabled = AnalyticsApi.States(services).Disabled;
        var figures = services.Figures?.Invoke() ?? new HealthFigures(0, 0, false);
        var eventBus = snapshot.Where(c => c.Component == EventBusComponent).Select(c => c.State).FirstOrDefault(ComponentState.Stopped);
        var eventBusStatus = !components.ContainsKey(EventBusComponent) ? "not_running"
            : eventBus == ComponentState.Running ? "operational"
            : eventBus.ToString().ToLowerInvariant();

        // A dictionary, not an anonymous type: the naming policy would write "signals_last6h".
        var body = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["status"] = ok ? "healthy" : "degraded",
            ["uptime"] = Math.Max(0, (nowMs - startedMs) / UnixMs.Second),
            ["signals_last_6h"] = stats.Signals,
            ["win_rate"] = AnalyticsApi.Percent(stats.WinRate, stats.Resolved),
            ["active_slots"] = string.Create(CultureInfo.InvariantCulture, $"{figures.SlotsUsed}/{figures.SlotsMax}"),
            ["ea_connected"] = figures.EaConnected,
            ["event_bus_status"] = eventBusStatus,
            ["patterns_active"] = PatternTypes.All.Count - disabled.Count,
            ["avg_trade_duration"] = stats.AverageDurationMinutes is { } d ? Math.Round(d, 1) : null,
            ["components"] = components,
        };
        if (services.EventLog?.Invoke() is { } log)
        {
            body["event_log"] = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["queue_depth"] = log.QueueDepth,
                ["capacity"] = log.Capacity,
                ["waits"] = log.Waits,
                ["waited_ms"] = (long)log.Waited.TotalMilliseconds,
                ["shed"] = log.Shed,
            };
        }

        if (services.Curve?.Invoke() is { } curve)
        {
            body["curve"] = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["enabled"] = curve.Enabled,
                ["refused"] = curve.Refused,
                ["by_port"] = curve.Failures.GroupBy(f => f.Port, StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => g.ToDictionary(f => f.Reason, f => f.Count, StringComparer.Ordinal), StringComparer.Ordinal),
            };
        }

        return body;
    }
}
