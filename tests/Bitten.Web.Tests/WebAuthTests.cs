using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Bitten.Web.Api;
using Bitten.Web.Auth;

namespace Bitten.Web.Tests;

/// <summary>Who may call: API tokens, Mini App initData, login links and their session cookie, antiforgery and the rate limit.</summary>
public sealed class WebAuthTests : IAsyncLifetime
{
    private const long TraderTelegramId = 102;

    private WebHarness _web = null!;
    private FakeLogins _logins = null!;
    private HttpClient _browser = null!;
    private CookieContainer _cookies = null!;

    public async Task InitializeAsync() => await StartAsync(new WebOptions { Port = 0 }, InitDataTests.BotToken);

    public async Task DisposeAsync()
    {
        _browser.Dispose();
        await _web.DisposeAsync();
    }

    [Fact]
    public async Task ARequestWithoutACredentialIsRefusedWithJson()
    {
        var (status, body) = await _web.GetAsync("/api/fire-mode", null);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("unauthorized", body.GetProperty("error").GetString());
        Assert.Contains("Bearer", body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Bearer not-a-token", "unauthorized")]
    [InlineData("Bearer", "unauthorized")]
    [InlineData("Basic dXNlcjpwYXNz", "unauthorized")]
    [InlineData("tma", "init_data_missing")]
    [InlineData("tma user=1", "init_data_malformed")]
    public async Task ABadCredentialIsRefusedWithItsReason(string authorization, string error)
    {
        var (status, body) = await SendAsync(HttpMethod.Get, "/api/fire-mode", authorization);

        Assert.Equal((HttpStatusCode.Unauthorized, error), (status, body.GetProperty("error").GetString()));
    }

    [Fact]
    public async Task GenuineInitDataAuthenticatesItsUserAndMayWriteWithoutAntiforgery()
    {
        var initData = InitDataTests.Signed(InitDataTests.Fields(UnixNow(), TraderTelegramId));

        var (status, body) = await SendAsync(HttpMethod.Get, "/api/fire-mode", "tma " + initData);
        var (put, _) = await SendAsync(HttpMethod.Put, "/api/fire-mode", "tma " + initData, """{"mode":"MANUAL"}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("MANUAL", body.GetProperty("mode").GetString());
        Assert.Equal(HttpStatusCode.OK, put);
    }

    [Fact]
    public async Task ForgedInitDataIsRefused()
    {
        var forged = InitDataTests.Signed(InitDataTests.Fields(UnixNow(), TraderTelegramId), "1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");

        var (status, body) = await SendAsync(HttpMethod.Get, "/api/fire-mode", "tma " + forged);

        Assert.Equal((HttpStatusCode.Unauthorized, "init_data_bad_hash"), (status, body.GetProperty("error").GetString()));
    }

    [Fact]
    public async Task ExpiredInitDataIsRefused()
    {
        var old = InitDataTests.Signed(InitDataTests.Fields(UnixNow() - 86_400 - 120, TraderTelegramId));

        var (status, body) = await SendAsync(HttpMethod.Get, "/api/fire-mode", "tma " + old);

        Assert.Equal((HttpStatusCode.Unauthorized, "init_data_expired"), (status, body.GetProperty("error").GetString()));
    }

    [Fact]
    public async Task InitDataOfATelegramUserWhoIsNoBittenUserIsRefused()
    {
        var stranger = InitDataTests.Signed(InitDataTests.Fields(UnixNow(), 999_999));

        var (status, body) = await SendAsync(HttpMethod.Get, "/api/fire-mode", "tma " + stranger);

        Assert.Equal((HttpStatusCode.Unauthorized, "unknown_user"), (status, body.GetProperty("error").GetString()));
        Assert.Contains("999999", body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutABotTokenMiniAppLoginsAreRefusedWithAClearMessage()
    {
        await RestartAsync(new WebOptions { Port = 0 }, botToken: null);
        var initData = InitDataTests.Signed(InitDataTests.Fields(UnixNow(), TraderTelegramId));

        var (status, body) = await SendAsync(HttpMethod.Get, "/api/fire-mode", "tma " + initData);

        Assert.Equal((HttpStatusCode.Unauthorized, "tma_not_configured"), (status, body.GetProperty("error").GetString()));
        Assert.Contains("Telegram:BotToken", body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALoginLinkSetsAStrictHttpOnlySessionCookieAndRedirectsToTheLocalNext()
    {
        using var response = await _browser.GetAsync($"/login?token={_logins.CreateLink(WebHarness.TraderId)}&next=%2Fpositions%3Fx%3D1");

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/positions?x=1", response.Headers.Location?.OriginalString);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(WebAuth.SessionCookie + "=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase);
        var (status, body) = await BrowserAsync(HttpMethod.Get, "/api/fire-mode");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("MANUAL", body.GetProperty("mode").GetString());
    }

    [Theory]
    [InlineData("", "/")]
    [InlineData("&next=%2F%2Fevil.example%2F", "/")]
    [InlineData("&next=%2F%5Cevil.example", "/")]
    [InlineData("&next=https%3A%2F%2Fevil.example%2F", "/")]
    [InlineData("&next=%2Fmissions", "/missions")]
    public async Task ALoginRedirectsOnlyWithinTheSite(string next, string location)
    {
        using var response = await _browser.GetAsync($"/login?token={_logins.CreateLink(WebHarness.TraderId)}{next}");

        Assert.Equal((HttpStatusCode.SeeOther, location), (response.StatusCode, response.Headers.Location?.OriginalString));
    }

    [Fact]
    public async Task OverHttpsTheSessionCookieIsSecure()
    {
        await RestartAsync(new WebOptions { Port = 0, PublicUrl = "https://bitten.example" }, InitDataTests.BotToken);

        using var response = await _browser.GetAsync($"/login?token={_logins.CreateLink(WebHarness.TraderId)}");

        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(WebAuth.SessionCookie + "=", StringComparison.Ordinal)
            && c.Contains("secure", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task ALoginLinkUsedTwiceIsRefused()
    {
        var link = _logins.CreateLink(WebHarness.TraderId);
        using var first = await _browser.GetAsync($"/login?token={link}");

        var (status, body) = await BrowserAsync(HttpMethod.Get, $"/login?token={link}");

        Assert.Equal(HttpStatusCode.SeeOther, first.StatusCode);
        Assert.Equal((HttpStatusCode.Unauthorized, "login_link_used"), (status, body.GetProperty("error").GetString()));
    }

    [Fact]
    public async Task ALoginLinkAfterTenMinutesIsRefused()
    {
        var link = _logins.CreateLink(WebHarness.TraderId);
        _logins.Clock.Advance(TimeSpan.FromMinutes(10));

        var (status, body) = await BrowserAsync(HttpMethod.Get, $"/login?token={link}");

        Assert.Equal((HttpStatusCode.Unauthorized, "login_link_expired"), (status, body.GetProperty("error").GetString()));
    }

    [Theory]
    [InlineData("/login?token=nope")]
    [InlineData("/login")]
    public async Task AnUnknownLoginLinkIsRefused(string path)
    {
        var (status, body) = await BrowserAsync(HttpMethod.Get, path);

        Assert.Equal((HttpStatusCode.Unauthorized, "login_link_unknown"), (status, body.GetProperty("error").GetString()));
    }

    [Fact]
    public async Task AUserOnAnAdminRouteIsForbiddenWithJson()
    {
        var (status, body) = await _web.PostAsync("/api/emergency-stop", WebHarness.TraderToken, "{}");

        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), (status, body.GetProperty("error").GetString()));
    }

    [Fact]
    public async Task ACookieWriteNeedsTheAntiforgeryTokenAndSucceedsWithIt()
    {
        await LogInAsync();

        var (refused, refusal) = await BrowserAsync(HttpMethod.Put, "/api/fire-mode", """{"mode":"MANUAL"}""");
        var (tokenStatus, token) = await BrowserAsync(HttpMethod.Get, "/api/antiforgery");
        var (wrong, _) = await BrowserAsync(HttpMethod.Put, "/api/fire-mode", """{"mode":"MANUAL"}""", csrf: "forged");
        var (accepted, _) = await BrowserAsync(HttpMethod.Put, "/api/fire-mode", """{"mode":"MANUAL"}""", csrf: token.GetProperty("token").GetString());

        Assert.Equal((HttpStatusCode.Forbidden, "antiforgery"), (refused, refusal.GetProperty("error").GetString()));
        Assert.Equal(HttpStatusCode.OK, tokenStatus);
        Assert.Equal(WebAuth.AntiforgeryHeader, token.GetProperty("header").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, wrong);
        Assert.Equal(HttpStatusCode.OK, accepted);
    }

    [Fact]
    public async Task LogoutEndsTheSession()
    {
        await LogInAsync();
        var (_, token) = await BrowserAsync(HttpMethod.Get, "/api/antiforgery");

        var (logout, _) = await BrowserAsync(HttpMethod.Post, "/logout", "{}", csrf: token.GetProperty("token").GetString());

        Assert.Equal(HttpStatusCode.NoContent, logout);
        Assert.Equal(HttpStatusCode.Unauthorized, (await BrowserAsync(HttpMethod.Get, "/api/fire-mode")).Status);
    }

    [Fact]
    public async Task AnExpiredSessionIsRefused()
    {
        await LogInAsync();
        _logins.Clock.Advance(new WebOptions().SessionLifetime);

        var (status, body) = await BrowserAsync(HttpMethod.Get, "/api/fire-mode");

        Assert.Equal((HttpStatusCode.Unauthorized, "session_expired"), (status, body.GetProperty("error").GetString()));
    }

    [Fact]
    public async Task EachUserHasARateLimitThatAnswers429WithRetryAfterAndHealthzHasNone()
    {
        await RestartAsync(new WebOptions { Port = 0, RateLimit = new WebRateLimitOptions { PermitsPerMinute = 1, Burst = 2 } }, InitDataTests.BotToken);

        var first = await _web.GetAsync("/api/fire-mode", WebHarness.TraderToken);
        var second = await _web.GetAsync("/api/fire-mode", WebHarness.TraderToken);
        using var third = new HttpRequestMessage(HttpMethod.Get, "/api/fire-mode");
        third.Headers.Authorization = new AuthenticationHeaderValue("Bearer", WebHarness.TraderToken);
        using var limited = await _web.Http.SendAsync(third);
        var other = await _web.GetAsync("/api/fire-mode", WebHarness.AdminToken);
        var health = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            health.Add((await _web.GetAsync("/healthz", null)).Status);
        }

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.Status, second.Status));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 and <= 60 }, limited.Headers.RetryAfter?.ToString());
        var body = JsonDocument.Parse(await limited.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("rate_limited", body.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.OK, other.Status);
        Assert.All(health, s => Assert.Equal(HttpStatusCode.OK, s));
    }

    [Fact]
    public void OnlyPathsOnThisSiteAreLocal()
    {
        Assert.True(LoginApi.IsLocalPath("/"));
        Assert.True(LoginApi.IsLocalPath("/a/b?c=//d"));
        Assert.All(new[] { null, "", "//x", "/\\x", "x", "https://x/" }, next => Assert.False(LoginApi.IsLocalPath(next)));
    }

    private async Task StartAsync(WebOptions options, string? botToken)
    {
        _web = await WebHarness.StartAsync(options, users => _logins = new FakeLogins(users, botToken));
        _cookies = new CookieContainer();
        _browser = new HttpClient(new HttpClientHandler { CookieContainer = _cookies, AllowAutoRedirect = false }) { BaseAddress = _web.Http.BaseAddress };
    }

    private async Task RestartAsync(WebOptions options, string? botToken)
    {
        await DisposeAsync();
        await StartAsync(options, botToken);
    }

    private async Task LogInAsync()
    {
        using var response = await _browser.GetAsync($"/login?token={_logins.CreateLink(WebHarness.TraderId)}");
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
    }

    private Task<(HttpStatusCode Status, JsonElement Body)> BrowserAsync(HttpMethod method, string path, string? json = null, string? csrf = null) =>
        SendAsync(_browser, method, path, null, json, csrf);

    private Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string authorization, string? json = null) =>
        SendAsync(_web.Http, method, path, authorization, json, null);

    private static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(
        HttpClient client, HttpMethod method, string path, string? authorization, string? json, string? csrf)
    {
        using var request = new HttpRequestMessage(method, path);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        if (csrf is not null)
        {
            request.Headers.Add(WebAuth.AntiforgeryHeader, csrf);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private static long UnixNow() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();
}
