using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Engine.Tracking;
using Bitten.Web.ReadModels;

namespace Bitten.Web.Tests;

/// <summary>/api/stream, the stream hub's back-pressure, /openapi/v1.json, /scalar, /metrics and the analytics read model.</summary>
public sealed class StreamAndDocsTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private WebHarness _web = null!;

    public async Task InitializeAsync() => _web = await WebHarness.StartAsync();

    public async Task DisposeAsync() => await _web.DisposeAsync();

    [Fact]
    public async Task TheStreamSendsAnInjectedSignal()
    {
        using var timeout = new CancellationTokenSource(Patience);
        await using var stream = await OpenStreamAsync(WebHarness.TraderToken, timeout.Token);
        var now = WebHarness.Now;

        await _web.InjectSignalAsync(now, now + 1_800_000, "SIG-SSE");

        var (name, data) = await stream.NextAsync("signal", timeout.Token);
        Assert.Equal("signal", name);
        Assert.Equal("SIG-SSE", data.GetProperty("signal_id").GetString());
        Assert.Equal(JsonValueKind.Null, data.GetProperty("outcome").ValueKind);
        var (_, mission) = await stream.NextAsync("mission", timeout.Token);
        Assert.Equal($"SIG-SSE_U{WebHarness.TraderId}", mission.GetProperty("mission_id").GetString());
        Assert.Equal("PENDING", mission.GetProperty("status").GetString());
    }

    [Fact]
    public async Task AUserNeverSeesAnotherUsersMissionsOrFires()
    {
        Assert.True(await _web.CheckInTraderAsync());
        using var timeout = new CancellationTokenSource(Patience);
        await using var trader = await OpenStreamAsync(WebHarness.TraderToken, timeout.Token);
        await using var other = await OpenStreamAsync(WebHarness.NoEaToken, timeout.Token);
        var now = WebHarness.Now;
        await _web.InjectSignalAsync(now, now + 1_800_000, "SIG-MINE");
        var (status, _) = await _web.PostAsync("/api/fire", WebHarness.TraderToken, $"{{\"mission_id\":\"SIG-MINE_U{WebHarness.TraderId}\"}}");
        Assert.Equal(HttpStatusCode.OK, status);
        // A public event after the fire: everything before it has reached the other user's stream.
        await _web.InjectSignalAsync(now + 1, now + 1_800_000, "SIG-LAST");

        var (_, fire) = await trader.NextAsync("fire", timeout.Token);
        Assert.Equal("sent", fire.GetProperty("status").GetString());
        Assert.Equal(["fire_id", "mission_id", "status", "ticket", "price", "lot", "close_price", "pips", "profit", "message"],
            fire.EnumerateObject().Select(p => p.Name));

        var seen = new List<(string Name, JsonElement Data)>();
        while (true)
        {
            var next = await other.NextAsync(null, timeout.Token);
            seen.Add(next);
            if (next.Name == "signal" && next.Data.GetProperty("signal_id").GetString() == "SIG-LAST")
            {
                break;
            }
        }

        Assert.DoesNotContain(seen, e => e.Name == "fire");
        Assert.All(seen.Where(e => e.Name == "mission"),
            e => Assert.EndsWith($"_U{WebHarness.NoEaId}", e.Data.GetProperty("mission_id").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task ASlowSubscriberIsDroppedAndToldWithoutHoldingUpThePublisher()
    {
        var hub = new StreamHub();
        using var slow = hub.Subscribe(1);
        var frame = StreamHub.Frame("signal", "{}"u8);

        for (var i = 0; i <= StreamHub.Buffered; i++)
        {
            hub.Publish(frame, null);
        }

        Assert.True(slow.Overflowed);
        Assert.Equal(0, hub.Subscribers);
        Assert.Equal(1, hub.Dropped);
        var read = 0;
        await foreach (var _ in slow.Frames.ReadAllAsync())
        {
            read++;
        }

        Assert.Equal(StreamHub.Buffered, read);
    }

    [Fact]
    public async Task TheOpenApiDocumentListsTheRoutesAndScalarIsServedLocally()
    {
        var document = await _web.Http.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        using var json = JsonDocument.Parse(document);
        var paths = json.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        foreach (var path in new[] { "/api/signals", "/api/missions/{mission_id}", "/api/users/me", "/api/performance", "/api/candles", "/api/stream",
                     "/status", "/stats", "/healthz", "/api/pattern-analytics", "/api/fire" })
        {
            Assert.Contains(path, paths);
        }

        var get = json.RootElement.GetProperty("paths").GetProperty("/api/missions/{mission_id}").GetProperty("get");
        Assert.Equal("MissionHud", get.GetProperty("operationId").GetString());
        Assert.Equal("Fire", json.RootElement.GetProperty("paths").GetProperty("/api/fire").GetProperty("post").GetProperty("operationId").GetString());

        var page = await _web.Http.GetStringAsync(new Uri("/scalar/", UriKind.Relative));
        Assert.Contains("scalar.js", page, StringComparison.Ordinal);
        Assert.DoesNotContain("cdn.jsdelivr.net", page, StringComparison.Ordinal);
        Assert.DoesNotContain("fonts.scalar.com", page, StringComparison.Ordinal);
        using var script = await _web.Http.GetAsync(new Uri("/scalar/scalar.js", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.True((await script.Content.ReadAsByteArrayAsync()).Length > 100_000);
    }

    [Fact]
    public async Task MetricsExposeTheNamedSeries()
    {
        await _web.GetAsync("/healthz", null);

        var text = await _web.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        foreach (var series in new[] { "bitten_ticks_total", "bitten_signals", "bitten_missions_total", "bitten_fires_total", "bitten_fills_total",
                     "bitten_stream_subscribers", "http_request_duration_seconds_bucket" })
        {
            Assert.Contains(series, text, StringComparison.Ordinal);
        }

        // The process's memory, as a soak judges it: present and plausible (a running .NET process has some of each).
        double Value(string series) => double.Parse(text.Split('\n').Single(l => l.StartsWith(series + " ", StringComparison.Ordinal))[(series.Length + 1)..],
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(Value("bitten_process_resident_bytes"), 1_000_000, 1e12);
        Assert.InRange(Value("bitten_gc_heap_bytes"), 1, 1e12);
        Assert.Contains("bitten_gc_collections{generation=\"2\"}", text, StringComparison.Ordinal);
    }

    [Fact]
    public void TheAnalyticsReadModelGivesTheFreshBodyAndRebuildsOnlyWhenItsInputsChange()
    {
        var clock = new SteppingClock(1_760_000_000_000);
        IReadOnlyList<TrackedSignal> history = [Tracked("S1", clock.Ms - 60_000, null)];
        var services = new WebServices(_web.Kernel, _web.Desk, _web.Users, _web.Users, new SymbolRegistry(), clock, _ => false,
            History: () => history, PatternStates: () => PatternStates.None);
        var model = new AnalyticsReadModel(services);

        var first = model.Current(AnalyticsWindow.SixHours)!;
        Assert.Same(first, model.Current(AnalyticsWindow.SixHours));
        Assert.Equal(1, model.Builds);

        history = [Tracked("S1", clock.Ms - 60_000, Outcome.Win), Tracked("S2", clock.Ms - 30_000, Outcome.Loss)];
        var after = model.Current(AnalyticsWindow.SixHours)!;

        Assert.Equal(2, model.Builds);
        Assert.Equal(2, after.Report.Total.Resolved);
        var fresh = PatternAnalytics.Build(history, after.Report.NowMs, AnalyticsWindow.SixHours, PatternStates.None);
        Assert.Equal(AnalyticsReadModel.Serialize(fresh), after.Json);

        clock.Ms += UnixMs.Second;
        Assert.NotSame(after, model.Current(AnalyticsWindow.SixHours));
    }

    private static TrackedSignal Tracked(string id, long timestampMs, Outcome? outcome)
    {
        var signal = new Signal(id, "EURUSD", default, Direction.Buy, 1.1, 1.098, 1.104, 20, 40, 2, 85, PatternType.BbScalp, 7, "LONDON", timestampMs,
            timestampMs + 1_800_000, timestampMs);
        return new TrackedSignal(signal, outcome is { } o
            ? new SignalOutcome(id, o, o == Outcome.Win ? 1.104 : 1.098, timestampMs + 10_000, o == Outcome.Win ? 40 : -20, 10, 0, 0)
            : null);
    }

    private async Task<EventStream> OpenStreamAsync(string token, CancellationToken cancel)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/stream");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await _web.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel));
        // The opening comment: the subscription exists before anything is published.
        Assert.StartsWith(":", await reader.ReadLineAsync(cancel), StringComparison.Ordinal);
        return new EventStream(request, response, reader);
    }

    private sealed class EventStream(HttpRequestMessage request, HttpResponseMessage response, StreamReader reader) : IAsyncDisposable
    {
        /// <summary>The next event (of <paramref name="name"/> when given), skipping comments.</summary>
        public async Task<(string Name, JsonElement Data)> NextAsync(string? name, CancellationToken cancel)
        {
            string? eventName = null;
            while (await reader.ReadLineAsync(cancel) is { } line)
            {
                if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    eventName = line["event: ".Length..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal) && eventName is not null)
                {
                    if (name is null || eventName == name)
                    {
                        return (eventName, JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone());
                    }

                    eventName = null;
                }
            }

            throw new InvalidOperationException("the stream ended");
        }

        public ValueTask DisposeAsync()
        {
            reader.Dispose();
            response.Dispose();
            request.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    private sealed class SteppingClock(long ms) : TimeProvider
    {
        public long Ms { get; set; } = ms;

        public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(Ms);
    }
}
