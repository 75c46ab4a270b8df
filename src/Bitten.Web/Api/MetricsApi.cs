using Bitten.Engine.Tracking;
using Bitten.Web.ReadModels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;

namespace Bitten.Web.Api;

/// <summary>
/// /metrics in Prometheus text format, from a registry of this web app's own (parallel hosts and tests never share
/// series). The trading figures are the counters the host already keeps, copied in when a scrape collects — nothing
/// is added to the tick or fire path; the HTTP request duration histogram is the one thing measured per request.
/// </summary>
public static class MetricsApi
{
    /// <summary>The registry and the HTTP middleware; call before the routes are mapped.</summary>
    public static CollectorRegistry UseBittenMetrics(this WebApplication app, WebServices services)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(services);
        var registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(registry);
        app.UseHttpMetrics(options =>
        {
            options.SetMetricFactory(factory);
            options.InProgress.Enabled = false;
            options.RequestCount.Enabled = false;
        });
        var analytics = app.Services.GetRequiredService<AnalyticsReadModel>();
        var ticks = factory.CreateCounter("bitten_ticks_total", "Ticks the bridge published to the kernel");
        var rejects = factory.CreateCounter("bitten_rejects_total", "Ticks the bridge refused, by reason", "reason");
        var signals = factory.CreateGauge("bitten_signals", "Signals in the tracked history");
        var outcomes = factory.CreateGauge("bitten_outcomes", "Resolved signals in the tracked history, by result", "result");
        var missions = factory.CreateCounter("bitten_missions_total", "Missions created");
        var fires = factory.CreateCounter("bitten_fires_total", "Fires sent to EAs");
        var fills = factory.CreateCounter("bitten_fills_total", "Fires filled");
        var refusals = factory.CreateCounter("bitten_refusals_total", "Fires refused before sending, by reason", "reason");
        var queue = factory.CreateGauge("bitten_event_log_queue_depth", "Events waiting for the event log's writer");
        var capacity = factory.CreateGauge("bitten_event_log_capacity", "The event log queue's capacity");
        var pages = factory.CreateGauge("bitten_stream_subscribers", "Pages connected to /api/stream");
        var botMessages = factory.CreateCounter("bitten_telegram_messages_total", "Bot messages handed to Telegram, or failed for good, by result", "result");
        var botWaiting = factory.CreateGauge("bitten_telegram_outbox_waiting", "Bot messages stored and not yet sent");
        var botFloodWaits = factory.CreateCounter("bitten_telegram_flood_waits_total", "Times Telegram answered 429 and sending paused");
        var botRetries = factory.CreateCounter("bitten_telegram_retries_total", "Sends tried again after a server or network failure");
        var botUpdates = factory.CreateCounter("bitten_telegram_updates_total", "Telegram updates, by what became of them", "kind");
        var botRefused = factory.CreateCounter("bitten_telegram_webhook_refused_total", "Webhook calls refused for a missing or wrong secret");
        var handshakes = factory.CreateCounter("bitten_zmq_handshake_failures_total", "CURVE handshakes refused on the ZeroMQ ports, by port and reason", "port", "reason");
        // The process's own memory, as a soak samples it: what "flat over ten minutes" is judged on.
        var resident = factory.CreateGauge("bitten_process_resident_bytes", "The process's resident set size (RSS)");
        var heap = factory.CreateGauge("bitten_gc_heap_bytes", "Bytes the managed heap holds now (live and not yet collected)");
        var collections = factory.CreateGauge("bitten_gc_collections", "Garbage collections since start, by generation", "generation");
        registry.AddBeforeCollectCallback(() =>
        {
            resident.Set(Environment.WorkingSet);
            heap.Set(GC.GetTotalMemory(forceFullCollection: false));
            for (var generation = 0; generation <= GC.MaxGeneration; generation++)
            {
                collections.WithLabels(generation.ToString(System.Globalization.CultureInfo.InvariantCulture)).Set(GC.CollectionCount(generation));
            }

            var figures = services.System?.Invoke() ?? SystemFigures.None;
            ticks.IncTo(figures.Ticks);
            foreach (var (reason, count) in figures.Rejects)
            {
                rejects.WithLabels(reason).IncTo(count);
            }

            foreach (var (reason, count) in figures.Refusals)
            {
                refusals.WithLabels(reason).IncTo(count);
            }

            missions.IncTo(figures.Missions);
            fires.IncTo(figures.Fires);
            fills.IncTo(figures.Fills);
            if (analytics.Current(AnalyticsWindow.All)?.Report.Total is { } total)
            {
                signals.Set(total.Signals);
                outcomes.WithLabels("win").Set(total.Wins);
                outcomes.WithLabels("loss").Set(total.Losses);
            }

            if (services.EventLog?.Invoke() is { } log)
            {
                queue.Set(log.QueueDepth);
                capacity.Set(log.Capacity);
            }

            pages.Set(services.Events?.Hub.Subscribers ?? 0);
            foreach (var (port, reason, count) in services.Curve?.Invoke().Failures ?? [])
            {
                handshakes.WithLabels(port, reason).IncTo(count);
            }

            if (services.Bot?.Invoke() is { } bot)
            {
                botMessages.WithLabels("sent").IncTo(bot.Sent);
                botMessages.WithLabels("failed").IncTo(bot.Failed);
                botWaiting.Set(bot.Waiting);
                botFloodWaits.IncTo(bot.FloodWaits);
                botRetries.IncTo(bot.Retries);
                botUpdates.WithLabels("message").IncTo(bot.Messages);
                botUpdates.WithLabels("callback").IncTo(bot.Callbacks);
                botUpdates.WithLabels("ignored").IncTo(bot.Ignored);
                botUpdates.WithLabels("failed").IncTo(bot.UpdatesFailed);
                botRefused.IncTo(bot.WebhookRefused);
            }
        });
        return registry;
    }

    public static IEndpointRouteBuilder MapMetricsApi(this IEndpointRouteBuilder endpoints, CollectorRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapMetrics("/metrics", registry).WithName("Metrics");
        return endpoints;
    }
}
