using System.Text.Json;
using Bitten.Domain.Primitives;
using Bitten.Domain.Users;
using Bitten.Engine.Execution;
using Bitten.Engine.Kernel;
using Bitten.Engine.Market;

namespace Bitten.Web.Tests;

/// <summary>/healthz shows the event log's back-pressure when the composition root hands its figures over.</summary>
public sealed class HealthzEventLogTests
{
    [Fact]
    public async Task HealthzShowsTheEventLogsQueueWaitsAndShedEventsLast()
    {
        var health = new ComponentHealth();
        await using var kernel = new TradingKernel(TimeProvider.System, new MarketOptions(), new KernelOptions(), health);
        var desk = new ExecutionDesk(TimeProvider.System, new ExecutionOptions(), new RecordingOutbox());
        var users = new FakeUsers(new User(7, 107, Tier.Fang, Role.User, FireMode.Manual, AutoFireSettings.Default, null, 0));
        var figures = new EventLogFigures(12, 100_000, 3, TimeSpan.FromMilliseconds(1_234.9),
            new Dictionary<string, long>(StringComparer.Ordinal) { ["market_data"] = 0, ["system_health"] = 5, ["pattern_detected"] = 1 });
        await using var app = BittenWeb.Build(new WebOptions { Port = 0 },
            new WebServices(kernel, desk, users, users, new SymbolRegistry(), TimeProvider.System, desk.Accept, health, EventLog: () => figures));
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };

        using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri("/healthz", UriKind.Relative)));

        var body = document.RootElement;
        Assert.Equal("event_log", body.EnumerateObject().Last().Name);
        var log = body.GetProperty("event_log");
        Assert.Equal(["queue_depth", "capacity", "waits", "waited_ms", "shed"], log.EnumerateObject().Select(p => p.Name));
        Assert.Equal(12, log.GetProperty("queue_depth").GetInt32());
        Assert.Equal(100_000, log.GetProperty("capacity").GetInt32());
        Assert.Equal(3, log.GetProperty("waits").GetInt64());
        Assert.Equal(1_234, log.GetProperty("waited_ms").GetInt64());
        Assert.Equal(["market_data:0", "system_health:5", "pattern_detected:1"],
            log.GetProperty("shed").EnumerateObject().Select(p => $"{p.Name}:{p.Value.GetInt64()}"));
        await app.StopAsync();
    }
}
