using Bitten.Domain.Signals;
using Bitten.Domain.Users;
using System.Net;
using System.Text.Json;
using Bitten.Domain.Trading;
using Bitten.Engine.Execution;

namespace Bitten.Web.Tests;

public sealed class WebApiTests : IAsyncLifetime
{
    private WebHarness _web = null!;

    public async Task InitializeAsync() => _web = await WebHarness.StartAsync();

    public async Task DisposeAsync() => await _web.DisposeAsync();

    [Fact]
    public async Task ApiRefusesRequestsWithoutAValidToken()
    {
        foreach (var token in new string?[] { null, "not-a-token" })
        {
            var (status, body) = await _web.GetAsync("/api/missions", token);
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            Assert.Equal("unauthorized", body.GetProperty("error").GetString());
            Assert.False(string.IsNullOrEmpty(body.GetProperty("message").GetString()));
        }
    }

    [Fact]
    public async Task HealthzAnswersWithoutATokenAndShowsTheKernel()
    {
        var (status, body) = await _web.GetAsync("/healthz", null);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("healthy", body.GetProperty("status").GetString());
        Assert.Equal("running", body.GetProperty("components").GetProperty("kernel").GetString());
    }

    [Fact]
    public async Task AnAdminSignalBecomesAPendingMissionForEachUser()
    {
        var now = WebHarness.Now;
        var (status, body) = await _web.PostAsync("/api/signals", WebHarness.AdminToken, WebHarness.SignalJsonText("SIG-1", now, now + 1_800_000));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("SIG-1", body.GetProperty("signal_id").GetString());

        foreach (var (token, userId) in new[] { (WebHarness.TraderToken, WebHarness.TraderId), (WebHarness.NoEaToken, WebHarness.NoEaId) })
        {
            var (listed, missions) = await _web.GetAsync("/api/missions", token);
            Assert.Equal(HttpStatusCode.OK, listed);
            var mission = Assert.Single(missions.EnumerateArray());
            Assert.Equal($"SIG-1_U{userId}", mission.GetProperty("mission_id").GetString());
            Assert.Equal("SIG-1", mission.GetProperty("signal_id").GetString());
            Assert.Equal("EURUSD", mission.GetProperty("symbol").GetString());
            Assert.Equal("BUY", mission.GetProperty("direction").GetString());
            Assert.Equal("BB_SCALP", mission.GetProperty("pattern_type").GetString());
            Assert.Equal("RAPID", mission.GetProperty("signal_class").GetString());
            Assert.Equal(85, mission.GetProperty("confidence").GetDouble());
            Assert.Equal(1.1, mission.GetProperty("entry_price").GetDouble());
            Assert.Equal(1.098, mission.GetProperty("sl").GetDouble());
            Assert.Equal(1.104, mission.GetProperty("tp").GetDouble());
            Assert.Equal("PENDING", mission.GetProperty("status").GetString());
            Assert.Equal(now + 1_800_000, mission.GetProperty("expires_at").GetInt64());
            Assert.True(mission.GetProperty("created_at").GetInt64() >= now);
            Assert.Equal(JsonValueKind.Null, mission.GetProperty("fire_id").ValueKind);
        }
    }

    [Fact]
    public async Task ASignalForASymbolWithoutATradingSpecIsAcceptedAndEachFireIsRefusedWithItsReason()
    {
        // An AUTO commander beside the harness's manual users: auto-fire meets the missing spec first.
        var auto = new User(9, 109, Tier.Commander, Role.User, FireMode.Auto, AutoFireSettings.Default, "EA-AUTO-9", 0);
        var desk = _web.Desk;
        await _web.Kernel.AskAsync(() =>
        {
            desk.UpsertUser(auto);
            return desk.OnCheckIn(new EaCheckIn("EA-AUTO-9", true, new AccountSnapshot(10_000m, 10_000m, 10_000m, "USD"), [], []));
        });
        Assert.True(await _web.CheckInTraderAsync());
        var now = WebHarness.Now;
        var signalId = SignalIds.Create(SignalClass.Rapid, PatternType.BbScalp, "ZZZUSD", now);

        var (status, body) = await _web.PostAsync("/api/signals", WebHarness.AdminToken, WebHarness.SignalJsonText(signalId, now, now + 1_800_000, "ZZZUSD"));
        Assert.True(status == HttpStatusCode.OK, body.ToString());

        // Every user got a mission; the AUTO one carries its refusal.
        var autoMission = Assert.Single(await _web.Kernel.AskAsync(() => desk.MissionsOf(auto.UserId)));
        Assert.Equal(FireRefusal.NoTradingSpec, autoMission.LastRefusal?.Refusal);
        var (fireStatus, fireBody) = await _web.PostAsync("/api/fire", WebHarness.TraderToken, $$"""{"mission_id":"{{signalId}}_U{{WebHarness.TraderId}}"}""");
        Assert.Equal(HttpStatusCode.Conflict, fireStatus);
        Assert.Equal("no_trading_spec", fireBody.GetProperty("error").GetString());

        var (_, missions) = await _web.GetAsync("/api/missions", WebHarness.TraderToken);
        var mission = Assert.Single(missions.EnumerateArray());
        Assert.Equal("PENDING", mission.GetProperty("status").GetString());
        var refusal = mission.GetProperty("refusal");
        Assert.Equal("no_trading_spec", refusal.GetProperty("code").GetString());
        Assert.Contains("ZZZUSD", refusal.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(_web.Outbox.Orders);
    }

    [Fact]
    public async Task MissionsAreListedNewestFirst()
    {
        var now = WebHarness.Now;
        await _web.InjectSignalAsync(now, now + 1_800_000, "OLDER");
        await _web.InjectSignalAsync(now, now + 1_800_000, "NEWER");

        var (_, missions) = await _web.GetAsync("/api/missions", WebHarness.TraderToken);

        var ids = missions.EnumerateArray().Select(m => m.GetProperty("signal_id").GetString()).ToList();
        Assert.Equal(2, ids.Count);
        Assert.Contains("OLDER", ids);
        Assert.Contains("NEWER", ids);
        var created = missions.EnumerateArray().Select(m => m.GetProperty("created_at").GetInt64()).ToList();
        Assert.True(created[0] >= created[1]);
    }

    [Fact]
    public async Task OnlyAnAdminMayInjectSignals()
    {
        var now = WebHarness.Now;
        var (status, body) = await _web.PostAsync("/api/signals", WebHarness.TraderToken, WebHarness.SignalJsonText("SIG-2", now, now + 60_000));
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("forbidden", body.GetProperty("error").GetString());
        Assert.Empty((await _web.GetAsync("/api/missions", WebHarness.TraderToken)).Body.EnumerateArray());
    }

    [Fact]
    public async Task ASignalIdTakenBeforeIsRefusedAsADuplicate()
    {
        var now = WebHarness.Now;
        await _web.InjectSignalAsync(now, now + 60_000, "SIG-3");
        var (status, body) = await _web.PostAsync("/api/signals", WebHarness.AdminToken, WebHarness.SignalJsonText("SIG-3", now, now + 60_000));
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("duplicate_signal", body.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("{\"signal_id\":\"X\",\"symbol\":\"EURUSD\"}")]
    [InlineData("[1,2]")]
    public async Task AnInvalidSignalIsRefusedWithItsReason(string json)
    {
        var (status, body) = await _web.PostAsync("/api/signals", WebHarness.AdminToken, json);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_signal", body.GetProperty("error").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task FiringWalksFromNoEaToAFillToAlreadyFired()
    {
        var now = WebHarness.Now;
        var signalId = await _web.InjectSignalAsync(now, now + 1_800_000);

        var (noEa, noEaBody) = await _web.PostAsync("/api/fire", WebHarness.NoEaToken, $$"""{"mission_id":"{{signalId}}_U{{WebHarness.NoEaId}}"}""");
        Assert.Equal(HttpStatusCode.Conflict, noEa);
        Assert.Equal("no_ea", noEaBody.GetProperty("error").GetString());
        Assert.False(string.IsNullOrEmpty(noEaBody.GetProperty("message").GetString()));

        var missionId = $"{signalId}_U{WebHarness.TraderId}";
        var fire = $$"""{"mission_id":"{{missionId}}"}""";
        var (unseen, unseenBody) = await _web.PostAsync("/api/fire", WebHarness.TraderToken, fire);
        Assert.Equal(HttpStatusCode.Conflict, unseen);
        Assert.Equal("ea_not_seen", unseenBody.GetProperty("error").GetString());

        Assert.True(await _web.CheckInTraderAsync());
        var (fired, firedBody) = await _web.PostAsync("/api/fire", WebHarness.TraderToken, fire);
        Assert.Equal(HttpStatusCode.OK, fired);
        var fireId = firedBody.GetProperty("fire_id").GetString();
        Assert.False(string.IsNullOrEmpty(fireId));
        Assert.Equal(missionId, firedBody.GetProperty("mission_id").GetString());
        Assert.True(firedBody.GetProperty("lot").GetDecimal() > 0);

        var order = Assert.IsType<FireOrder>(Assert.Single(_web.Outbox.Orders));
        Assert.Equal(fireId, order.FireId);
        Assert.Equal(WebHarness.TraderEa, order.EaUuid);
        Assert.Equal(missionId, order.MissionId);

        var (_, missions) = await _web.GetAsync("/api/missions", WebHarness.TraderToken);
        var mission = Assert.Single(missions.EnumerateArray());
        Assert.Equal("FIRED", mission.GetProperty("status").GetString());
        Assert.Equal(fireId, mission.GetProperty("fire_id").GetString());

        var (again, againBody) = await _web.PostAsync("/api/fire", WebHarness.TraderToken, fire);
        Assert.Equal(HttpStatusCode.Conflict, again);
        Assert.Equal("already_fired", againBody.GetProperty("error").GetString());
        Assert.Single(_web.Outbox.Orders);
    }

    [Fact]
    public async Task AnUnknownMissionIsNotFoundAndAMissingIdIsABadRequest()
    {
        var (status, body) = await _web.PostAsync("/api/fire", WebHarness.TraderToken, """{"mission_id":"NOPE"}""");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("not_found", body.GetProperty("error").GetString());

        var (missing, missingBody) = await _web.PostAsync("/api/fire", WebHarness.TraderToken, "{}");
        Assert.Equal(HttpStatusCode.BadRequest, missing);
        Assert.Equal("invalid_request", missingBody.GetProperty("error").GetString());
    }

    [Fact]
    public async Task AnExpiredMissionIsGone()
    {
        var now = WebHarness.Now;
        var signalId = await _web.InjectSignalAsync(now - 7_200_000, now - 3_600_000);
        Assert.True(await _web.CheckInTraderAsync());

        var (status, body) = await _web.PostAsync("/api/fire", WebHarness.TraderToken, $$"""{"mission_id":"{{signalId}}_U{{WebHarness.TraderId}}"}""");

        Assert.Equal(HttpStatusCode.Gone, status);
        Assert.Equal("expired", body.GetProperty("error").GetString());
        Assert.Empty(_web.Outbox.Orders);
    }

    [Fact]
    public async Task FireModeChangesRoundTripAndReachTheDesk()
    {
        var (status, body) = await _web.GetAsync("/api/fire-mode", WebHarness.AdminToken);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("MANUAL", body.GetProperty("mode").GetString());
        Assert.Equal(80, body.GetProperty("min_confidence").GetDouble());
        Assert.Equal(89, body.GetProperty("max_confidence").GetDouble());
        Assert.Equal(10, body.GetProperty("max_slots").GetInt32());
        Assert.Equal(5m, body.GetProperty("risk_percent").GetDecimal());

        var (put, putBody) = await _web.SendAsync(HttpMethod.Put, "/api/fire-mode", WebHarness.AdminToken,
            """{"mode":"AUTO","min_confidence":75,"max_slots":3,"risk_percent":2.5}""");
        Assert.Equal(HttpStatusCode.OK, put);
        Assert.Equal("AUTO", putBody.GetProperty("mode").GetString());
        Assert.Equal(75, putBody.GetProperty("min_confidence").GetDouble());
        Assert.Equal(89, putBody.GetProperty("max_confidence").GetDouble());
        Assert.Equal(3, putBody.GetProperty("max_slots").GetInt32());
        Assert.Equal(2.5m, putBody.GetProperty("risk_percent").GetDecimal());

        var (_, again) = await _web.GetAsync("/api/fire-mode", WebHarness.AdminToken);
        Assert.Equal(putBody.ToString(), again.ToString());

        // AUTO's slot limit is the band's: the desk has the new settings.
        var (_, account) = await _web.GetAsync("/api/account", WebHarness.AdminToken);
        Assert.Equal(3, account.GetProperty("slots").GetProperty("max").GetInt32());
    }

    [Theory]
    [InlineData("""{"mode":"AUTO"}""")]
    [InlineData("""{"mode":"SIDEWAYS"}""")]
    [InlineData("""{"min_confidence":95,"max_confidence":90}""")]
    [InlineData("""{"risk_percent":9}""")]
    [InlineData("""{"max_slots":"many"}""")]
    [InlineData("{}")]
    public async Task AnInvalidFireModeIsABadRequestAndChangesNothing(string json)
    {
        var (status, body) = await _web.SendAsync(HttpMethod.Put, "/api/fire-mode", WebHarness.TraderToken, json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_fire_mode", body.GetProperty("error").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("message").GetString()));
        var (_, now) = await _web.GetAsync("/api/fire-mode", WebHarness.TraderToken);
        Assert.Equal("MANUAL", now.GetProperty("mode").GetString());
        Assert.Equal(80, now.GetProperty("min_confidence").GetDouble());
    }

    [Fact]
    public async Task AnEmergencyStopRefusesFires()
    {
        var now = WebHarness.Now;
        var signalId = await _web.InjectSignalAsync(now, now + 1_800_000);
        Assert.True(await _web.CheckInTraderAsync());

        var (forbidden, _) = await _web.PostAsync("/api/emergency-stop", WebHarness.TraderToken, """{"mode":"SOFT"}""");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden);
        var (status, body) = await _web.PostAsync("/api/emergency-stop", WebHarness.AdminToken, """{"mode":"soft"}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("SOFT", body.GetProperty("emergency_stop").GetString());

        var (fired, firedBody) = await _web.PostAsync("/api/fire", WebHarness.TraderToken, $$"""{"mission_id":"{{signalId}}_U{{WebHarness.TraderId}}"}""");
        Assert.Equal(HttpStatusCode.Conflict, fired);
        Assert.Equal("emergency_stop", firedBody.GetProperty("error").GetString());
        Assert.Empty(_web.Outbox.Orders);

        var (_, account) = await _web.GetAsync("/api/account", WebHarness.TraderToken);
        Assert.Equal("SOFT", account.GetProperty("emergency_stop").GetString());

        var (bad, badBody) = await _web.PostAsync("/api/emergency-stop", WebHarness.AdminToken, """{"mode":"PANIC"}""");
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.Equal("invalid_request", badBody.GetProperty("error").GetString());
    }

    [Fact]
    public async Task AFilledFireIsAPositionThatCanBeClosed()
    {
        var now = WebHarness.Now;
        var signalId = await _web.InjectSignalAsync(now, now + 1_800_000);
        Assert.True(await _web.CheckInTraderAsync());
        var (_, fired) = await _web.PostAsync("/api/fire", WebHarness.TraderToken, $$"""{"mission_id":"{{signalId}}_U{{WebHarness.TraderId}}"}""");
        var fireId = fired.GetProperty("fire_id").GetString()!;
        var desk = _web.Desk;
        await _web.Kernel.AskAsync(() =>
        {
            desk.OnFill(new FillReport(fireId, WebHarness.TraderEa, true, 777, 1.1001, 0.5m, "ok", new AccountSnapshot(10_000m, 10_000m, 9_000m, "USD")));
            return true;
        });

        var (_, positions) = await _web.GetAsync("/api/positions", WebHarness.TraderToken);
        var position = Assert.Single(positions.EnumerateArray());
        Assert.Equal(777, position.GetProperty("ticket").GetInt64());
        Assert.Equal(fireId, position.GetProperty("fire_id").GetString());
        Assert.Equal("EURUSD", position.GetProperty("symbol").GetString());
        Assert.Equal("BUY", position.GetProperty("direction").GetString());
        Assert.Equal(0.5m, position.GetProperty("lot").GetDecimal());
        Assert.Equal(1.1001, position.GetProperty("open_price").GetDouble());
        Assert.Equal(1.098, position.GetProperty("sl").GetDouble());
        Assert.Equal(1.104, position.GetProperty("tp").GetDouble());
        Assert.False(position.GetProperty("adopted").GetBoolean());
        Assert.True(position.GetProperty("opened_at").GetInt64() >= now);

        var (_, account) = await _web.GetAsync("/api/account", WebHarness.TraderToken);
        Assert.Equal(WebHarness.TraderEa, account.GetProperty("ea_uuid").GetString());
        Assert.True(account.GetProperty("ea_alive").GetBoolean());
        Assert.Equal(10_000m, account.GetProperty("balance").GetDecimal());
        Assert.Equal(1, account.GetProperty("slots").GetProperty("used").GetInt32());
        Assert.Equal(2, account.GetProperty("slots").GetProperty("max").GetInt32());
        Assert.Equal(1, account.GetProperty("open_positions").GetInt32());
        Assert.Equal("NONE", account.GetProperty("emergency_stop").GetString());

        var (unknown, unknownBody) = await _web.PostAsync("/api/close", WebHarness.TraderToken, """{"ticket":1}""");
        Assert.Equal(HttpStatusCode.NotFound, unknown);
        Assert.Equal("not_found", unknownBody.GetProperty("error").GetString());
        var (empty, _) = await _web.PostAsync("/api/close", WebHarness.TraderToken, "{}");
        Assert.Equal(HttpStatusCode.BadRequest, empty);

        var (closed, closedBody) = await _web.PostAsync("/api/close", WebHarness.TraderToken, """{"ticket":777}""");
        Assert.Equal(HttpStatusCode.OK, closed);
        Assert.Equal(1, closedBody.GetProperty("closing").GetInt32());
        var close = Assert.IsType<CloseTicketOrder>(_web.Outbox.Orders[^1]);
        Assert.Equal(777, close.Ticket);
        Assert.Equal(WebHarness.TraderEa, close.EaUuid);
    }

    [Fact]
    public async Task AStoppedKernelAnswersUnavailableInsteadOfFailingSilently()
    {
        await _web.Kernel.DisposeAsync();

        var (status, body) = await _web.GetAsync("/api/missions", WebHarness.TraderToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("unavailable", body.GetProperty("error").GetString());
        var (_, health) = await _web.GetAsync("/healthz", null);
        Assert.Equal("degraded", health.GetProperty("status").GetString());
        Assert.Equal("stopped", health.GetProperty("components").GetProperty("kernel").GetString());
    }
}
