using System.Net;
using System.Text.Json;
using Bitten.Domain.Events;
using Bitten.Domain.Signals;
using Bitten.Domain.Trading;
using Bitten.Domain.Users;
using Bitten.Engine.Execution;
using Bitten.Engine.Tracking;
using Bitten.Wire.Events;

namespace Bitten.Web.Tests;

/// <summary>The Throne's actions: each acts (the kernel's state changes and the API shows it) and records one user_action.</summary>
public sealed class ThroneApiTests : IAsyncLifetime
{
    private WebHarness _web = null!;

    public async Task InitializeAsync() => _web = await WebHarness.StartAsync();

    public async Task DisposeAsync() => await _web.DisposeAsync();

    [Fact]
    public async Task AnAdminSwitchesAPatternOffAndOnAndEachSwitchIsOneStoredUserAction()
    {
        var (status, body) = await _web.PostAsync("/api/patterns/BB_SCALP", WebHarness.AdminToken, """{"enabled":false}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""{"pattern":"BB_SCALP","keep_on":false,"disabled_by_admin":true,"disabled":true,"override":"OFF"}""", body.GetRawText());
        var board = _web.Switchboard;
        Assert.True(await _web.Kernel.AskAsync(() => board.IsDisabled(PatternType.BbScalp)));
        AssertActed(AdminActions.PatternDisable, "BB_SCALP", "OFF", "AUTO");
        Assert.Equal(1, _web.Recorded.StoredWaits);

        var (_, analytics) = await _web.GetAsync("/api/pattern-analytics", WebHarness.TraderToken);
        Assert.True(analytics.GetProperty("patterns").GetProperty("BB_SCALP").GetProperty("disabled_by_admin").GetBoolean());
        Assert.True(analytics.GetProperty("patterns").GetProperty("BB_SCALP").GetProperty("disabled").GetBoolean());
        Assert.Equal(["BB_SCALP"], analytics.GetProperty("disabled_by_admin").EnumerateArray().Select(p => p.GetString()));
        var (_, health) = await _web.GetAsync("/healthz", null);
        Assert.Equal(5, health.GetProperty("patterns_active").GetInt32());

        (_, body) = await _web.PostAsync("/api/patterns/BB_SCALP", WebHarness.AdminToken, """{"enabled":true}""");
        Assert.Equal("KEEP_ON", body.GetProperty("override").GetString());
        Assert.False(body.GetProperty("disabled").GetBoolean());
        AssertActed(AdminActions.PatternEnable, "BB_SCALP", "KEEP_ON", "OFF", count: 2);

        (_, body) = await _web.PostAsync("/api/patterns/BB_SCALP", WebHarness.AdminToken, """{"keep_on":false}""");
        Assert.Equal("AUTO", body.GetProperty("override").GetString());
        AssertActed(AdminActions.PatternRelease, "BB_SCALP", "AUTO", "KEEP_ON", count: 3);
        Assert.Equal(PatternStates.None.ByRecord, await _web.Kernel.AskAsync(() => board.States.KeptOn));
    }

    [Theory]
    [InlineData("/api/patterns/BB_SCALP", "{}", HttpStatusCode.BadRequest)]
    [InlineData("/api/patterns/BB_SCALP", """{"enabled":"no"}""", HttpStatusCode.BadRequest)]
    [InlineData("/api/patterns/BB_SCALP", """{"enabled":false,"keep_on":true}""", HttpStatusCode.BadRequest)]
    [InlineData("/api/patterns/BB_SCALP", "[true]", HttpStatusCode.BadRequest)]
    [InlineData("/api/patterns/NO_SUCH_PATTERN", """{"enabled":false}""", HttpStatusCode.NotFound)]
    [InlineData("/api/emergency-stop", """{"mode":"PANIC"}""", HttpStatusCode.BadRequest)]
    [InlineData("/api/threshold", "{}", HttpStatusCode.BadRequest)]
    [InlineData("/api/threshold", """{"threshold":"high"}""", HttpStatusCode.BadRequest)]
    [InlineData("/api/threshold", """{"threshold":101}""", HttpStatusCode.BadRequest)]
    [InlineData("/api/threshold", """{"min":75}""", HttpStatusCode.BadRequest)]
    [InlineData("/api/threshold", """{"min":80,"max":75,"threshold":77}""", HttpStatusCode.BadRequest)]
    public async Task ABadOrUnknownActionIsRefusedAndChangesAndRecordsNothing(string path, string json, HttpStatusCode expected)
    {
        var (forbidden, refusal) = await _web.PostAsync(path, WebHarness.TraderToken, json);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden);
        Assert.Equal("forbidden", refusal.GetProperty("error").GetString());

        var (status, body) = await _web.PostAsync(path, WebHarness.AdminToken, json);
        Assert.Equal(expected, status);
        Assert.False(string.IsNullOrEmpty(body.GetProperty("error").GetString()));
        Assert.False(string.IsNullOrEmpty(body.GetProperty("message").GetString()));
        Assert.Empty(_web.Recorded.All);
        var (board, tuner, desk) = (_web.Switchboard, _web.Tuner, _web.Desk);
        Assert.Equal((0, 70.0, 70.0, 78.0, EmergencyStop.None),
            await _web.Kernel.AskAsync(() => (board.Disabled, tuner.Threshold, tuner.Min, tuner.Max, desk.EmergencyStop)));
    }

    [Fact]
    public async Task AnAdminSetsTheLiveThresholdAndTheTunersRange()
    {
        var (forbidden, _) = await _web.GetAsync("/api/threshold", WebHarness.TraderToken);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden);
        var (_, before) = await _web.GetAsync("/api/threshold", WebHarness.AdminToken);
        Assert.Equal("""{"threshold":70,"min":70,"max":78,"auto_tune":true,"moves":0,"last_reason":"ON_TARGET"}""", before.GetRawText());

        var (status, body) = await _web.PostAsync("/api/threshold", WebHarness.AdminToken, """{"threshold":74}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(74, body.GetProperty("threshold").GetDouble());
        var tuner = _web.Tuner;
        Assert.Equal(74, await _web.Kernel.AskAsync(() => tuner.Threshold));
        AssertActed(AdminActions.Threshold, "global", "74 (70-78)", "70 (70-78)");

        (status, body) = await _web.PostAsync("/api/threshold", WebHarness.AdminToken, """{"threshold":81,"min":80,"max":85}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((81, 80, 85), (body.GetProperty("threshold").GetDouble(), body.GetProperty("min").GetDouble(), body.GetProperty("max").GetDouble()));
        Assert.Equal((81.0, 80.0, 85.0), await _web.Kernel.AskAsync(() => (tuner.Threshold, tuner.Min, tuner.Max)));
        AssertActed(AdminActions.Threshold, "global", "81 (80-85)", "74 (70-78)", count: 2);
        var (_, after) = await _web.GetAsync("/api/threshold", WebHarness.AdminToken);
        Assert.Equal(body.GetRawText(), after.GetRawText());
    }

    [Fact]
    public async Task AnAdminListsUsersAndChangesOnesTierModeAndBand()
    {
        var (forbidden, _) = await _web.GetAsync("/api/users", WebHarness.TraderToken);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden);
        Assert.True(await _web.CheckInTraderAsync());
        var (_, users) = await _web.GetAsync("/api/users", WebHarness.AdminToken);
        Assert.Equal([WebHarness.AdminId, WebHarness.TraderId, WebHarness.NoEaId], users.EnumerateArray().Select(u => u.GetProperty("user_id").GetInt64()));
        Assert.Equal(
            $$"""{"user_id":2,"telegram_id":102,"tier":"FANG","role":"USER","mode":"MANUAL","min_confidence":80,"max_confidence":89,"max_slots":10,"risk_percent":5,"ea_uuid":"{{WebHarness.TraderEa}}","slots":{"used":0,"max":2},"balance":10000,"open_positions":0,"press_pass_expires_ms":null,"mission_alerts":false,"on_leaderboard":true}""",
            users[1].GetRawText());

        var (status, body) = await _web.SendAsync(HttpMethod.Put, "/api/users/102", WebHarness.AdminToken,
            """{"tier":"commander","mode":"AUTO","min_confidence":75,"max_slots":4}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("COMMANDER", "AUTO", 75, 89, 4), (body.GetProperty("tier").GetString(), body.GetProperty("mode").GetString(),
            body.GetProperty("min_confidence").GetDouble(), body.GetProperty("max_confidence").GetDouble(), body.GetProperty("max_slots").GetInt32()));
        // The desk trades with it now: AUTO's slot limit is the band's.
        Assert.Equal(4, body.GetProperty("slots").GetProperty("max").GetInt32());
        var desk = _web.Desk;
        Assert.Equal((Tier.Commander, FireMode.Auto, 4), await _web.Kernel.AskAsync(() =>
            desk.TraderOf(WebHarness.TraderId) is { } t ? (t.User.Tier, t.User.Mode, t.Account.SlotLimit) : default));
        AssertActed(AdminActions.UserSettings, "102", "COMMANDER AUTO band 75-89 slots 4 risk 5%", "FANG MANUAL band 80-89 slots 10 risk 5%");
    }

    [Theory]
    [InlineData("/api/users/103", """{"mode":"AUTO"}""", HttpStatusCode.BadRequest)]
    [InlineData("/api/users/103", """{"tier":"EMPEROR"}""", HttpStatusCode.BadRequest)]
    [InlineData("/api/users/103", """{"min_confidence":95,"max_confidence":90}""", HttpStatusCode.BadRequest)]
    [InlineData("/api/users/103", "{}", HttpStatusCode.BadRequest)]
    [InlineData("/api/users/999", """{"tier":"FANG"}""", HttpStatusCode.NotFound)]
    [InlineData("/api/users/nobody", """{"tier":"FANG"}""", HttpStatusCode.NotFound)]
    public async Task AChangeOfUserThatBreaksARuleOrNamesNoUserIsRefusedWhole(string path, string json, HttpStatusCode expected)
    {
        var (forbidden, _) = await _web.SendAsync(HttpMethod.Put, path, WebHarness.TraderToken, json);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden);
        var (status, body) = await _web.SendAsync(HttpMethod.Put, path, WebHarness.AdminToken, json);
        Assert.Equal(expected, status);
        Assert.False(string.IsNullOrEmpty(body.GetProperty("message").GetString()));
        Assert.Empty(_web.Recorded.All);
        var desk = _web.Desk;
        Assert.Equal((Tier.Nibbler, FireMode.Manual, AutoFireSettings.Default),
            await _web.Kernel.AskAsync(() => desk.TraderOf(WebHarness.NoEaId) is { } t ? (t.User.Tier, t.User.Mode, t.User.Auto) : default));
        Assert.Equal(Tier.Nibbler, _web.Users.All.Single(u => u.UserId == WebHarness.NoEaId).Tier);
    }

    [Fact]
    public async Task AHardStopClosesEveryPositionAndAFireThatFillsAfterItAndIsOneUserAction()
    {
        var now = WebHarness.Now;
        var first = await _web.InjectSignalAsync(now, now + 1_800_000);
        var second = await _web.InjectSignalAsync(now + 1, now + 1_800_000);
        Assert.True(await _web.CheckInTraderAsync());
        var (_, filled) = await _web.PostAsync("/api/fire", WebHarness.TraderToken, $$"""{"mission_id":"{{first}}_U{{WebHarness.TraderId}}"}""");
        var (_, inFlight) = await _web.PostAsync("/api/fire", WebHarness.TraderToken, $$"""{"mission_id":"{{second}}_U{{WebHarness.TraderId}}"}""");
        var desk = _web.Desk;
        var account = new AccountSnapshot(10_000m, 10_000m, 9_000m, "USD");
        await _web.Kernel.AskAsync(() =>
        {
            desk.OnFill(new FillReport(filled.GetProperty("fire_id").GetString()!, WebHarness.TraderEa, true, 777, 1.1001, 0.5m, "ok", account));
            return true;
        });

        var (status, body) = await _web.PostAsync("/api/emergency-stop", WebHarness.AdminToken, """{"mode":"HARD"}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("HARD", body.GetProperty("emergency_stop").GetString());
        Assert.Equal(new CloseAllOrder(WebHarness.TraderEa), _web.Outbox.Orders[^1]);
        AssertActed(AdminActions.EmergencyStop, "trading", "HARD", "NONE");

        // The second fire was still in flight: when it fills, it is closed at once.
        await _web.Kernel.AskAsync(() =>
        {
            desk.OnFill(new FillReport(inFlight.GetProperty("fire_id").GetString()!, WebHarness.TraderEa, true, 778, 1.2701, 0.5m, "ok", account));
            return true;
        });
        Assert.Equal(new CloseTicketOrder(WebHarness.TraderEa, inFlight.GetProperty("fire_id").GetString(), 778), _web.Outbox.Orders[^1]);
    }

    [Fact]
    public async Task TheThroneShowsComponentsEasUsersSignalsSlotsPatternsTheThresholdAndTheLastEvents()
    {
        var (forbidden, _) = await _web.GetAsync("/api/throne", WebHarness.TraderToken);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden);
        Assert.True(await _web.CheckInTraderAsync());
        await _web.PostAsync("/api/patterns/VCB_BREAKOUT", WebHarness.AdminToken, """{"enabled":false}""");
        await _web.PostAsync("/api/emergency-stop", WebHarness.AdminToken, """{"mode":"SOFT"}""");

        var (status, throne) = await _web.GetAsync("/api/throne", WebHarness.AdminToken);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["components", "emergency_stop", "eas", "users", "signals", "slots", "patterns", "threshold", "events"],
            throne.EnumerateObject().Select(p => p.Name));
        Assert.Equal("running", throne.GetProperty("components").GetProperty("kernel").GetProperty("state").GetString());
        Assert.Equal("SOFT", throne.GetProperty("emergency_stop").GetString());
        var ea = Assert.Single(throne.GetProperty("eas").EnumerateArray());
        Assert.Equal((WebHarness.TraderEa, WebHarness.TraderId, true, 10_000m, 0),
            (ea.GetProperty("ea_uuid").GetString(), ea.GetProperty("user_id").GetInt64(), ea.GetProperty("alive").GetBoolean(),
                ea.GetProperty("balance").GetDecimal(), ea.GetProperty("positions").GetInt32()));
        Assert.True(ea.GetProperty("last_seen").GetInt64() > 0);
        Assert.Equal(3, throne.GetProperty("users").GetArrayLength());
        Assert.Equal(0, throne.GetProperty("signals").GetArrayLength());
        Assert.Equal("""{"used":0,"max":13}""", throne.GetProperty("slots").GetRawText());
        var vcb = throne.GetProperty("patterns").EnumerateArray().Single(p => p.GetProperty("pattern").GetString() == "VCB_BREAKOUT");
        Assert.Equal("""{"pattern":"VCB_BREAKOUT","disabled":true,"by_record":false,"kept_on":false,"disabled_by_admin":true}""", vcb.GetRawText());
        Assert.Equal(70, throne.GetProperty("threshold").GetProperty("threshold").GetDouble());
        Assert.Equal(["user_action", "user_action"], throne.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("event_type").GetString()));
        Assert.Equal("admin 1: emergency_stop trading NONE -> SOFT", throne.GetProperty("events")[0].GetProperty("summary").GetString());
    }

    /// <summary>The <paramref name="count"/>th recorded event is the admin's action, and its envelope passes the §7 validation.</summary>
    private void AssertActed(string action, string target, string value, string previous, int count = 1)
    {
        var all = _web.Recorded.All;
        Assert.Equal(count, all.Count);
        var acted = Assert.IsType<AdminActed>(all[^1]);
        Assert.Equal((WebHarness.AdminId, action, target, value, previous), (acted.AdminUserId, acted.Action, acted.Target, acted.Value, acted.Previous));
        var envelope = TradingEventJson.ToEnvelope(acted);
        var parsed = EventJson.Parse(EventJson.Write(envelope), out var error);
        Assert.True(parsed is not null, error);
        Assert.Equal(EventTypes.UserAction, parsed.EventType);
        using var data = JsonDocument.Parse(parsed.DataJson);
        Assert.Equal(action, data.RootElement.GetProperty("action").GetString());
        Assert.Equal(WebHarness.AdminId.ToString(System.Globalization.CultureInfo.InvariantCulture), data.RootElement.GetProperty("user_id").GetString());
    }
}
