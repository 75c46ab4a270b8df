using System.Net;
using System.Text.Json;
using Bitten.Domain.Events;
using Bitten.Domain.Market;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Domain.Trading;

namespace Bitten.Web.Tests;

/// <summary>The read routes added for the pages: signals, the mission HUD, the caller, performance, candles, status and stats.</summary>
public sealed class WebRoutesTests : IAsyncLifetime
{
    private WebHarness _web = null!;

    public async Task InitializeAsync() => _web = await WebHarness.StartAsync();

    public async Task DisposeAsync() => await _web.DisposeAsync();

    [Theory]
    [InlineData("/api/signals")]
    [InlineData("/api/missions/SIG_U2")]
    [InlineData("/api/users/me")]
    [InlineData("/api/performance")]
    [InlineData("/api/candles?symbol=EURUSD")]
    [InlineData("/api/stream")]
    public async Task UserRoutesRefuseACallerWithoutAToken(string path)
    {
        var (status, body) = await _web.GetAsync(path, null);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("unauthorized", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task SignalsAreListedNewestFirstWithTheirFieldsAndFilters()
    {
        var now = WebHarness.Now;
        await _web.InjectSignalAsync(now - 60_000, now + 1_800_000, "SIG-OLD");
        await _web.InjectSignalAsync(now, now + 1_800_000, "SIG-NEW");

        var (status, list) = await _web.GetAsync("/api/signals", WebHarness.TraderToken);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["SIG-NEW", "SIG-OLD"], list.EnumerateArray().Select(s => s.GetProperty("signal_id").GetString()!));
        var first = list[0];
        Assert.Equal(
            ["signal_id", "symbol", "direction", "pattern_type", "signal_class", "confidence", "citadel_score", "entry_price", "sl", "tp", "stop_pips",
                "target_pips", "session", "timestamp", "expires_at", "outcome"],
            first.EnumerateObject().Select(p => p.Name));
        Assert.Equal("BB_SCALP", first.GetProperty("pattern_type").GetString());
        Assert.Equal(7, first.GetProperty("citadel_score").GetDouble());
        Assert.Equal(now, first.GetProperty("timestamp").GetInt64());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("outcome").ValueKind);

        Assert.Single((await _web.GetAsync("/api/signals?limit=1", WebHarness.TraderToken)).Body.EnumerateArray());
        Assert.Equal(2, (await _web.GetAsync("/api/signals?symbol=eurusd&pattern=BB_SCALP", WebHarness.TraderToken)).Body.GetArrayLength());
        Assert.Equal(0, (await _web.GetAsync("/api/signals?symbol=GBPUSD", WebHarness.TraderToken)).Body.GetArrayLength());
        Assert.Equal(0, (await _web.GetAsync("/api/signals?pattern=VCB_BREAKOUT", WebHarness.TraderToken)).Body.GetArrayLength());
        var (badPattern, error) = await _web.GetAsync("/api/signals?pattern=NOT_A_PATTERN", WebHarness.TraderToken);
        Assert.Equal(HttpStatusCode.BadRequest, badPattern);
        Assert.Equal("invalid_pattern", error.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await _web.GetAsync("/api/signals?limit=1001", WebHarness.TraderToken)).Status);
    }

    [Fact]
    public async Task TheMissionHudShowsRiskRecordSlotsAndTheFireDecisionAFireWouldGet()
    {
        Assert.True(await _web.CheckInTraderAsync());
        var now = WebHarness.Now;
        await _web.InjectSignalAsync(now, now + 1_800_000, "SIG-HUD");
        var missionId = $"SIG-HUD_U{WebHarness.TraderId}";

        var (status, hud) = await _web.GetAsync($"/api/missions/{missionId}", WebHarness.TraderToken);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(missionId, hud.GetProperty("mission_id").GetString());
        Assert.Equal("PENDING", hud.GetProperty("status").GetString());
        Assert.True(hud.GetProperty("now").GetInt64() >= now);
        Assert.Equal(20, hud.GetProperty("stop_pips").GetDouble());
        Assert.Equal(40, hud.GetProperty("target_pips").GetDouble());
        var risk = hud.GetProperty("risk");
        var lot = risk.GetProperty("lot").GetDecimal();
        Assert.True(lot > 0);
        // EURUSD fallback: 20 pips of one lot is 200 USD, 40 pips 400.
        Assert.Equal(lot * 200m, risk.GetProperty("money_at_risk").GetDecimal());
        Assert.Equal(lot * 400m, risk.GetProperty("money_to_gain").GetDecimal());
        Assert.Equal("USD", risk.GetProperty("currency").GetString());
        Assert.Equal(1, hud.GetProperty("pattern_record").GetProperty("signals").GetInt32());
        Assert.False(hud.GetProperty("pattern_record").GetProperty("disabled").GetBoolean());
        Assert.Equal(0, hud.GetProperty("slots").GetProperty("used").GetInt32());
        Assert.True(hud.GetProperty("can_fire").GetProperty("ok").GetBoolean());
        Assert.Equal(JsonValueKind.Null, hud.GetProperty("fire").ValueKind);

        var (fired, fire) = await _web.PostAsync("/api/fire", WebHarness.TraderToken, $"{{\"mission_id\":\"{missionId}\"}}");
        Assert.Equal(HttpStatusCode.OK, fired);
        Assert.Equal(lot, fire.GetProperty("lot").GetDecimal());

        (_, hud) = await _web.GetAsync($"/api/missions/{missionId}", WebHarness.TraderToken);
        Assert.Equal("FIRED", hud.GetProperty("status").GetString());
        Assert.Equal(1, hud.GetProperty("slots").GetProperty("used").GetInt32());
        Assert.Equal("already_fired", hud.GetProperty("can_fire").GetProperty("code").GetString());
        Assert.Equal(fire.GetProperty("fire_id").GetString(), hud.GetProperty("fire").GetProperty("fire_id").GetString());
        Assert.Equal("sent", hud.GetProperty("fire").GetProperty("status").GetString());
    }

    [Fact]
    public async Task TheHudsRefusalIsTheOneAFireGetsAndNobodySeesAnothersMission()
    {
        var now = WebHarness.Now;
        await _web.InjectSignalAsync(now, now + 1_800_000, "SIG-NOEA");
        var missionId = $"SIG-NOEA_U{WebHarness.NoEaId}";

        var (_, hud) = await _web.GetAsync($"/api/missions/{missionId}", WebHarness.NoEaToken);
        var (_, refused) = await _web.PostAsync("/api/fire", WebHarness.NoEaToken, $"{{\"mission_id\":\"{missionId}\"}}");

        var canFire = hud.GetProperty("can_fire");
        Assert.False(canFire.GetProperty("ok").GetBoolean());
        Assert.Equal(refused.GetProperty("error").GetString(), canFire.GetProperty("code").GetString());
        Assert.Equal(refused.GetProperty("message").GetString(), canFire.GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.Null, hud.GetProperty("risk").ValueKind);
        Assert.False(string.IsNullOrEmpty(hud.GetProperty("risk_reason").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await _web.GetAsync($"/api/missions/{missionId}", WebHarness.TraderToken)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _web.GetAsync("/api/missions/NOPE", WebHarness.NoEaToken)).Status);
    }

    [Fact]
    public async Task MeShowsTheCallerAndTheirAccount()
    {
        Assert.True(await _web.CheckInTraderAsync());

        var (status, me) = await _web.GetAsync("/api/users/me", WebHarness.TraderToken);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(
            ["user_id", "telegram_id", "tier", "role", "mode", "min_confidence", "max_confidence", "max_slots", "risk_percent", "ea_uuid", "account", "progress",
                "press_pass_expires_ms", "mission_alerts", "on_leaderboard"],
            me.EnumerateObject().Select(p => p.Name));
        Assert.Equal(WebHarness.TraderId, me.GetProperty("user_id").GetInt64());
        Assert.Equal(102, me.GetProperty("telegram_id").GetInt64());
        Assert.Equal("FANG", me.GetProperty("tier").GetString());
        Assert.Equal("USER", me.GetProperty("role").GetString());
        Assert.Equal("MANUAL", me.GetProperty("mode").GetString());
        Assert.Equal(WebHarness.TraderEa, me.GetProperty("ea_uuid").GetString());
        Assert.Equal(10_000m, me.GetProperty("account").GetProperty("balance").GetDecimal());
        Assert.Equal("""{"xp":0,"level":1,"next_level_xp":100,"win_streak":0,"achievements":[]}""", me.GetProperty("progress").GetRawText());
    }

    [Fact]
    public async Task MeShowsTheCallersXpLevelAndAchievements()
    {
        const long t = 1_704_189_600_000;
        await _web.Kernel.AskAsync(() =>
        {
            var book = _web.Progression;
            book.Apply(new FireSent(t, WebHarness.TraderId, "F1", "M1", "S1", WebHarness.TraderEa, "EURUSD", Direction.Buy, 0.1m, 1.098, 1.103, FireSource.Manual, 1));
            book.Apply(new FireFilled(t, WebHarness.TraderId, "F1", "M1", "EURUSD", Direction.Buy, 0.1m, 9, 1.1, 1.098, 1.103, FillEvidence.Confirmation));
            return book.Apply(new PositionClosed(t + 60_000, WebHarness.TraderId, "M1", "F1", 9, "EURUSD", Direction.Buy, 0.1m, PositionCloseReason.TakeProfit, 1.103, 3m));
        });

        var (_, me) = await _web.GetAsync("/api/users/me", WebHarness.TraderToken);

        Assert.Equal(
            """{"xp":125,"level":2,"next_level_xp":250,"win_streak":1,"achievements":[{"code":"first_fire","name":"First fire","unlocked_at":1704189600000},{"code":"first_tp","name":"First take profit","unlocked_at":1704189660000}]}""",
            me.GetProperty("progress").GetRawText());
        var (_, throne) = await _web.GetAsync("/api/throne", WebHarness.AdminToken);
        var trader = throne.GetProperty("users").EnumerateArray().Single(u => u.GetProperty("user_id").GetInt64() == WebHarness.TraderId);
        Assert.Equal((125, 2), (trader.GetProperty("xp").GetInt64(), trader.GetProperty("level").GetInt32()));
    }

    [Fact]
    public async Task PerformanceFoldsTheCallersFillsClosesAndBalances()
    {
        var events = _web.Events;
        var id = WebHarness.TraderId;
        events.OnEvent(new FireSent(1_000, id, "F2-1", "M1", "S1", WebHarness.TraderEa, "EURUSD", Direction.Buy, 0.5m, 1.0980, 1.1040, FireSource.Manual, 1));
        events.OnEvent(new FireFilled(2_000, id, "F2-1", "M1", "EURUSD", Direction.Buy, 0.5m, 77, 1.1000, 1.0980, 1.1040, FillEvidence.Confirmation));
        events.OnEvent(new PositionClosed(3_000, id, "M1", "F2-1", 77, "EURUSD", Direction.Buy, 0.5m, PositionCloseReason.TakeProfit, 1.1040, 200m));
        events.OnEvent(new SlotReleased(3_000, id, "F2-1", SlotReleaseReason.Closed, 0, 3));
        events.OnEvent(new BalanceUpdated(3_000, id, null, 10_200m, 10_200m));
        events.OnEvent(new BalanceUpdated(4_000, WebHarness.NoEaId, null, 1m, 1m));

        var (status, body) = await _web.GetAsync("/api/performance", WebHarness.TraderToken);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["trades", "equity", "wins", "losses", "win_rate", "total_pips", "total_profit", "slots"], body.EnumerateObject().Select(p => p.Name));
        var trade = Assert.Single(body.GetProperty("trades").EnumerateArray());
        Assert.Equal(
            ["fire_id", "mission_id", "symbol", "direction", "lot", "open_price", "close_price", "opened_at", "closed_at", "pips", "profit", "close_reason"],
            trade.EnumerateObject().Select(p => p.Name));
        Assert.Equal(40, trade.GetProperty("pips").GetDouble());
        Assert.Equal("TP", trade.GetProperty("close_reason").GetString());
        Assert.Equal(2_000, trade.GetProperty("opened_at").GetInt64());
        Assert.Equal(1, body.GetProperty("wins").GetInt32());
        Assert.Equal(100, body.GetProperty("win_rate").GetDouble());
        Assert.Equal(200m, body.GetProperty("total_profit").GetDecimal());
        var point = Assert.Single(body.GetProperty("equity").EnumerateArray());
        Assert.Equal(10_200m, point.GetProperty("balance").GetDecimal());
        Assert.Equal([1, 0], body.GetProperty("slots").EnumerateArray().Select(s => s.GetProperty("used").GetInt32()));
        Assert.Equal(0, (await _web.GetAsync("/api/performance", WebHarness.AdminToken)).Body.GetProperty("trades").GetArrayLength());
    }

    [Fact]
    public async Task CandlesAreTheSymbolsClosedBarsOldestFirstAndAnUnknownSymbolIsNotFound()
    {
        var eurusd = _web.Symbols.GetOrAdd("EURUSD");
        _web.Candles[eurusd] = [.. Enumerable.Range(0, 5).Select(i => Bar(eurusd, i))];

        var (status, bars) = await _web.GetAsync("/api/candles?symbol=EURUSD&limit=3", WebHarness.TraderToken);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([600L, 900L, 1200L], bars.EnumerateArray().Select(b => b.GetProperty("t").GetInt64()));
        Assert.Equal(["t", "open", "high", "low", "close"], bars[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(1.2, bars[0].GetProperty("high").GetDouble());
        Assert.Equal(HttpStatusCode.NotFound, (await _web.GetAsync("/api/candles?symbol=XXXYYY", WebHarness.TraderToken)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await _web.GetAsync("/api/candles", WebHarness.TraderToken)).Status);
    }

    [Fact]
    public async Task StatusAndStatsAnswerWithoutATokenInTheirShapes()
    {
        var (status, body) = await _web.GetAsync("/status", null);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["status", "uptime", "components", "eas", "symbols", "emergency_stop"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal("running", body.GetProperty("components").GetProperty("kernel").GetString());
        Assert.Equal("NONE", body.GetProperty("emergency_stop").GetString());

        var now = WebHarness.Now;
        await _web.InjectSignalAsync(now, now + 1_800_000, "SIG-STATS");
        (status, body) = await _web.GetAsync("/stats", null);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["ticks", "rejects", "signals", "missions", "fires", "fills", "refusals", "outcomes", "event_log"],
            body.EnumerateObject().Select(p => p.Name));
        Assert.Equal(1, body.GetProperty("signals").GetInt32());
        Assert.Equal(0, body.GetProperty("outcomes").GetProperty("wins").GetInt32());
    }

    private static Candle Bar(SymbolId symbol, int i)
    {
        var ohlc = new Ohlc(1.1, 1.2, 1.0, 1.15);
        return new Candle(symbol, Timeframe.M5, i * 300_000L, ohlc, ohlc, ohlc, 10);
    }
}
