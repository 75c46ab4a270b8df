using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Domain.Users;
using Bitten.Engine.Execution;
using Bitten.Engine.Kernel;
using Bitten.Engine.Market;
using Bitten.Engine.Tracking;
using Bitten.Web.Api;
using Microsoft.AspNetCore.Builder;

namespace Bitten.Web.Tests;

/// <summary>
/// /api/pattern-analytics and /healthz on a real host whose history, overrides and figures the test sets; the web
/// clock is fixed so windows are exact.
/// </summary>
public sealed class AnalyticsApiTests : IAsyncLifetime
{
    private const string Token = "analytics-token";
    private const long Now = 1_760_000_000_000;
    private const long Hour = 60 * UnixMs.Minute;

    private readonly ComponentHealth _health = new();
    private readonly HashSet<PatternType> _overrides = [];
    private List<TrackedSignal> _history = [];
    private HealthFigures? _figures;
    private TradingKernel _kernel = null!;
    private WebApplication _app = null!;
    private HttpClient _http = null!;
    private int _sequence;

    public async Task InitializeAsync()
    {
        _kernel = new TradingKernel(TimeProvider.System, new MarketOptions(), new KernelOptions(), _health);
        var desk = new ExecutionDesk(TimeProvider.System, new ExecutionOptions(), new RecordingOutbox());
        var users = new FakeUsers(new User(7, 107, Tier.Fang, Role.User, FireMode.Manual, AutoFireSettings.Default, null, 0));
        users.Tokens[Token] = 7;
        _kernel.Start();
        var services = new WebServices(_kernel, desk, users, users, new SymbolRegistry(), new FixedClock(Now), desk.Accept, _health,
            History: () => _history,
            PatternStates: () => PatternStates.Of(_history, _overrides),
            Figures: () => _figures ?? new HealthFigures(0, 0, false));
        _app = BittenWeb.Build(new WebOptions { Port = 0 }, services);
        await _app.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(_app.Urls.Single()) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _kernel.DisposeAsync();
    }

    [Fact]
    public async Task PatternAnalyticsNeedsAToken()
    {
        var (status, body) = await GetAsync("/api/pattern-analytics", null);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("unauthorized", body.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("1h")]
    [InlineData("6H")]
    [InlineData("")]
    [InlineData("6h&timeframe=24h")]
    public async Task AnUnknownTimeframeIsABadRequest(string timeframe)
    {
        var (status, body) = await GetAsync($"/api/pattern-analytics?timeframe={timeframe}", Token);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_timeframe", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task TheAnswerHasSeedShapeAndOurAdditions()
    {
        _history =
        [
            .. Enumerable.Range(0, 12).Select(_ => Resolved(PatternType.KalmanQuickfire, Now - Hour, Outcome.Win, 15, "EURUSD", 85)),
            Resolved(PatternType.KalmanQuickfire, Now - Hour, Outcome.Loss, -10, "XAUUSD", 72),
            Resolved(PatternType.FairValueGapFill, Now - (2 * Hour), Outcome.Loss, -10, "EURUSD", 75),
            Resolved(PatternType.FairValueGapFill, Now - (2 * Hour), Outcome.Loss, -10, "EURUSD", 75),
            Open(PatternType.BbScalp, Now - (3 * Hour)),
            Resolved(PatternType.BbScalp, Now - (10 * Hour), Outcome.Win, 15, "EURUSD", 91),
        ];

        var (status, body) = await GetAsync("/api/pattern-analytics?timeframe=6h", Token);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("6h", body.GetProperty("timeframe").GetString());
        Assert.Equal(16, body.GetProperty("total_signals").GetInt32());
        var patterns = body.GetProperty("patterns");
        Assert.Equal(PatternTypes.All.Select(p => p.WireName()), patterns.EnumerateObject().Select(p => p.Name));
        var kalman = patterns.GetProperty("KALMAN_QUICKFIRE");
        Assert.Equal(13, kalman.GetProperty("signals").GetInt32());
        Assert.Equal(12, kalman.GetProperty("wins").GetInt32());
        Assert.Equal(92.3, kalman.GetProperty("wr").GetDouble());
        Assert.Equal(1, kalman.GetProperty("losses").GetInt32());
        Assert.Equal(0, kalman.GetProperty("open").GetInt32());
        var (lower, upper) = WinRate.Wilson(12, 13);
        Assert.Equal(Math.Round(lower * 100, 1), kalman.GetProperty("wilson_lower").GetDouble());
        Assert.Equal(Math.Round(upper * 100, 1), kalman.GetProperty("wilson_upper").GetDouble());
        Assert.Equal(170, kalman.GetProperty("total_pips").GetDouble());
        Assert.Equal(Math.Round(((12 * 1.5) - 1) / 13, 3), kalman.GetProperty("expectancy_r").GetDouble());
        Assert.False(kalman.GetProperty("disabled").GetBoolean());
        Assert.Equal(12, kalman.GetProperty("by_symbol").GetProperty("EURUSD").GetProperty("wins").GetInt32());
        Assert.Equal(1, kalman.GetProperty("by_confidence").GetProperty("70-79").GetProperty("losses").GetInt32());
        var fvg = patterns.GetProperty("FAIR_VALUE_GAP_FILL");
        Assert.Equal((2, 0, 0.0), (fvg.GetProperty("signals").GetInt32(), fvg.GetProperty("wins").GetInt32(), fvg.GetProperty("wr").GetDouble()));
        var bb = patterns.GetProperty("BB_SCALP");
        Assert.Equal((1, 1), (bb.GetProperty("signals").GetInt32(), bb.GetProperty("open").GetInt32()));
        Assert.Equal(JsonValueKind.Null, bb.GetProperty("wr").ValueKind);
        Assert.Equal("Monitor FAIR_VALUE_GAP_FILL for potential disable", body.GetProperty("recommendation").GetString());
        Assert.Equal(6, body.GetProperty("patterns_active").GetInt32());
        Assert.Equal(15, body.GetProperty("by_symbol").GetProperty("EURUSD").GetProperty("signals").GetInt32());
        Assert.Equal(1, body.GetProperty("by_symbol").GetProperty("XAUUSD").GetProperty("losses").GetInt32());
        Assert.Equal(16, body.GetProperty("by_session").GetProperty("LONDON").GetProperty("signals").GetInt32());
        Assert.Equal(["60-69", "70-79", "80-89", "90-100"],
            body.GetProperty("calibration").EnumerateArray().Select(c => c.GetProperty("bucket").GetString()!).ToList());
        var eighties = body.GetProperty("calibration")[2];
        Assert.Equal((12, 12, 100.0), (eighties.GetProperty("resolved").GetInt32(), eighties.GetProperty("wins").GetInt32(), eighties.GetProperty("wr").GetDouble()));
    }

    [Fact]
    public async Task TheTimeframeWidensTheWindowAndDefaultsToSixHours()
    {
        _history =
        [
            Resolved(PatternType.BbScalp, Now - Hour, Outcome.Win, 15, "EURUSD", 80),
            Resolved(PatternType.BbScalp, Now - (20 * Hour), Outcome.Win, 15, "EURUSD", 80),
            Resolved(PatternType.BbScalp, Now - (6 * 24 * Hour), Outcome.Win, 15, "EURUSD", 80),
            Resolved(PatternType.BbScalp, Now - (60 * 24 * Hour), Outcome.Win, 15, "EURUSD", 80),
        ];

        foreach (var (query, count) in new[] { ("", 1), ("?timeframe=6h", 1), ("?timeframe=24h", 2), ("?timeframe=7d", 3), ("?timeframe=all", 4) })
        {
            var (status, body) = await GetAsync("/api/pattern-analytics" + query, Token);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(count, body.GetProperty("total_signals").GetInt32());
        }
    }

    [Fact]
    public async Task AnAutoDisabledPatternShowsDisabledUntilAnAdminOverridesIt()
    {
        _history = [.. Enumerable.Range(0, 20).Select(_ => Resolved(PatternType.VcbBreakout, Now - Hour, Outcome.Loss, -10, "EURUSD", 80))];

        var (_, body) = await GetAsync("/api/pattern-analytics?timeframe=24h", Token);
        var vcb = body.GetProperty("patterns").GetProperty("VCB_BREAKOUT");
        Assert.True(vcb.GetProperty("disabled").GetBoolean());
        Assert.True(vcb.GetProperty("auto_disabled").GetBoolean());
        Assert.Equal(5, body.GetProperty("patterns_active").GetInt32());
        Assert.Equal(["VCB_BREAKOUT"], body.GetProperty("disabled").EnumerateArray().Select(d => d.GetString()!).ToList());
        Assert.Equal(5, (await GetAsync("/healthz", null)).Body.GetProperty("patterns_active").GetInt32());

        _overrides.Add(PatternType.VcbBreakout);
        (_, body) = await GetAsync("/api/pattern-analytics?timeframe=24h", Token);
        vcb = body.GetProperty("patterns").GetProperty("VCB_BREAKOUT");
        Assert.False(vcb.GetProperty("disabled").GetBoolean());
        Assert.True(vcb.GetProperty("overridden").GetBoolean());
        Assert.Equal(6, body.GetProperty("patterns_active").GetInt32());
        Assert.Equal(6, (await GetAsync("/healthz", null)).Body.GetProperty("patterns_active").GetInt32());
    }

    [Fact]
    public async Task HealthzHasTheSeedShapeWithRealFigures()
    {
        _history =
        [
            Resolved(PatternType.BbScalp, Now - Hour, Outcome.Win, 15, "EURUSD", 80, minutes: 30),
            Resolved(PatternType.BbScalp, Now - Hour, Outcome.Win, 15, "EURUSD", 80, minutes: 40),
            Resolved(PatternType.OrderBlockBounce, Now - (2 * Hour), Outcome.Loss, -10, "EURUSD", 80, minutes: 20),
            Open(PatternType.KalmanQuickfire, Now - (3 * Hour)),
            Resolved(PatternType.BbScalp, Now - (8 * Hour), Outcome.Loss, -10, "EURUSD", 80, minutes: 500),
        ];
        _figures = new HealthFigures(4, 10, true);
        _health.Report(HealthApi.EventBusComponent, ComponentState.Running);

        var (status, body) = await GetAsync("/healthz", null);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(
            ["status", "uptime", "signals_last_6h", "win_rate", "active_slots", "ea_connected", "event_bus_status", "patterns_active", "avg_trade_duration", "components"],
            body.EnumerateObject().Select(p => p.Name).ToList());
        Assert.Equal("healthy", body.GetProperty("status").GetString());
        Assert.Equal(0, body.GetProperty("uptime").GetInt64());
        Assert.Equal(4, body.GetProperty("signals_last_6h").GetInt32());
        Assert.Equal(66.7, body.GetProperty("win_rate").GetDouble());
        Assert.Equal("4/10", body.GetProperty("active_slots").GetString());
        Assert.True(body.GetProperty("ea_connected").GetBoolean());
        Assert.Equal("operational", body.GetProperty("event_bus_status").GetString());
        Assert.Equal(6, body.GetProperty("patterns_active").GetInt32());
        Assert.Equal(30, body.GetProperty("avg_trade_duration").GetDouble());
        Assert.Equal("running", body.GetProperty("components").GetProperty("event-bus").GetString());
        Assert.Equal("running", body.GetProperty("components").GetProperty("kernel").GetString());
    }

    [Fact]
    public async Task HealthzShowsNoWinRateWithoutResolvedSignalsAndNoEventBusUntilItReports()
    {
        var (_, body) = await GetAsync("/healthz", null);

        Assert.Equal("healthy", body.GetProperty("status").GetString());
        Assert.Equal(0, body.GetProperty("signals_last_6h").GetInt32());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("win_rate").ValueKind);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("avg_trade_duration").ValueKind);
        Assert.Equal("0/0", body.GetProperty("active_slots").GetString());
        Assert.False(body.GetProperty("ea_connected").GetBoolean());
        Assert.Equal("not_running", body.GetProperty("event_bus_status").GetString());
    }

    [Fact]
    public async Task ADegradedEventBusDegradesHealth()
    {
        _health.Report(HealthApi.EventBusComponent, ComponentState.Degraded, "subscriber lagging");

        var (_, body) = await GetAsync("/healthz", null);

        Assert.Equal("degraded", body.GetProperty("status").GetString());
        Assert.Equal("degraded", body.GetProperty("event_bus_status").GetString());
    }

    [Fact]
    public async Task WithoutHistoryOrFiguresAnalyticsIsUnavailableAndHealthzShowsNone()
    {
        var desk = new ExecutionDesk(TimeProvider.System, new ExecutionOptions(), new RecordingOutbox());
        var users = new FakeUsers(new User(7, 107, Tier.Fang, Role.User, FireMode.Manual, AutoFireSettings.Default, null, 0));
        users.Tokens[Token] = 7;
        await using var app = BittenWeb.Build(new WebOptions { Port = 0 },
            new WebServices(_kernel, desk, users, users, new SymbolRegistry(), new FixedClock(Now), desk.Accept, _health));
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/pattern-analytics");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);

        using var response = await http.SendAsync(request);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("unavailable", body.RootElement.GetProperty("error").GetString());
        using var health = JsonDocument.Parse(await http.GetStringAsync(new Uri("/healthz", UriKind.Relative)));
        Assert.Equal(0, health.RootElement.GetProperty("signals_last_6h").GetInt32());
        Assert.Equal("0/0", health.RootElement.GetProperty("active_slots").GetString());
        Assert.False(health.RootElement.GetProperty("ea_connected").GetBoolean());
        Assert.Equal(6, health.RootElement.GetProperty("patterns_active").GetInt32());
        await app.StopAsync();
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private TrackedSignal Open(PatternType pattern, long atMs) => new(Make(pattern, atMs, "EURUSD", 80), null);

    private TrackedSignal Resolved(PatternType pattern, long atMs, Outcome outcome, double pips, string symbol, double confidence, double minutes = 20)
    {
        var signal = Make(pattern, atMs, symbol, confidence);
        return new TrackedSignal(signal, new SignalOutcome(signal.SignalId, outcome, 1.1, atMs + (long)(minutes * UnixMs.Minute), pips, minutes,
            Math.Max(pips, 0), Math.Max(-pips, 0)));
    }

    private Signal Make(PatternType pattern, long atMs, string symbol, double confidence) =>
        new($"{SignalIds.Create(pattern.Class(), pattern, symbol, atMs)}_{++_sequence}", symbol, default, Direction.Buy, 1.1, 1.099, 1.1015,
            10, 15, 1.5, confidence, pattern, 5, "LONDON", atMs, atMs + (30 * UnixMs.Minute), atMs);

    /// <summary>A clock that always reads one instant, so windows and uptime are exact.</summary>
    private sealed class FixedClock(long nowMs) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(nowMs);
    }
}
