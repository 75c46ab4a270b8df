using System.Security.Claims;
using System.Text.Encodings.Web;
using Bitten.Domain.Users;
using Bitten.Web.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bitten.Web.Auth;

/// <summary>A refusal the 401 reports: its error code and the sentence for the caller.</summary>
internal sealed class AuthRefusal(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>
/// The one authentication scheme of the web host. It reads, in this order, <c>Authorization: Bearer &lt;api token&gt;</c>,
/// <c>Authorization: tma &lt;initData&gt;</c> (a Telegram Mini App) and the <see cref="WebAuth.SessionCookie"/>. An
/// Authorization header wins over the cookie; a header that fails is not rescued by a cookie. The identity's
/// AuthenticationType says which one it was (<see cref="WebAuth.ByCookie"/> matters: only ambient credentials need
/// antiforgery). Challenges and forbids answer in the API's JSON.
/// </summary>
internal sealed class WebAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    WebServices services,
    WebOptions web) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private const string AnyCredential =
        "send 'Authorization: Bearer <api token>', 'Authorization: tma <initData>' from the Mini App, or open a login link";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString().Trim();
        if (header.Length > 0)
        {
            var space = header.IndexOf(' ', StringComparison.Ordinal);
            var scheme = space < 0 ? header : header[..space];
            var credential = space < 0 ? "" : header[(space + 1)..].Trim();
            return Task.FromResult(scheme.ToUpperInvariant() switch
            {
                "BEARER" => Bearer(credential),
                "TMA" => MiniApp(credential),
                _ => Refuse("unauthorized", $"unknown Authorization scheme '{scheme}': {AnyCredential}"),
            });
        }

        return Task.FromResult(Request.Cookies.TryGetValue(WebAuth.SessionCookie, out var session) && session.Length > 0
            ? Session(session)
            : AuthenticateResult.NoResult());
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var (code, message) = result.Failure is AuthRefusal refusal ? (refusal.Code, refusal.Message) : ("unauthorized", AnyCredential);
        Response.Headers.WWWAuthenticate = "Bearer";
        await ApiJson.Error(StatusCodes.Status401Unauthorized, code, message).ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiJson.Error(StatusCodes.Status403Forbidden, "forbidden", "this needs the ADMIN role").ExecuteAsync(Context);

    private AuthenticateResult Bearer(string token) =>
        token.Length > 0 && services.Tokens.Authenticate(token) is { } user
            ? Accept(user, WebAuth.ByToken)
            : Refuse("unauthorized", "the API token is unknown or revoked: send a valid one as 'Authorization: Bearer <token>'");

    private AuthenticateResult MiniApp(string initData)
    {
        var now = services.Clock.GetUtcNow().ToUnixTimeSeconds();
        var result = InitData.Verify(initData, services.Logins?.TelegramBotToken, now, web.InitDataMaxAge);
        return result.Refusal switch
        {
            null => services.Logins?.ByTelegramId(result.TelegramId) is { } user
                ? Accept(user, WebAuth.ByMiniApp)
                : Refuse("unknown_user", $"no BITTEN user has Telegram id {result.TelegramId}: ask an admin to add you"),
            InitDataRefusal.NoBotToken => Refuse("tma_not_configured",
                "this server has no Telegram bot token (Telegram:BotToken), so it cannot check Mini App logins"),
            InitDataRefusal.Missing => Refuse("init_data_missing", "'Authorization: tma' needs the Mini App's initData after it"),
            InitDataRefusal.Malformed => Refuse("init_data_malformed", "the initData is not Telegram's query string with hash, auth_date and user"),
            InitDataRefusal.BadHash => Refuse("init_data_bad_hash", "the initData is not signed by this server's bot"),
            InitDataRefusal.Expired => Refuse("init_data_expired", "the initData is too old (or from the future): reopen the Mini App"),
            _ => Refuse("unauthorized", AnyCredential),
        };
    }

    private AuthenticateResult Session(string session) =>
        services.Logins?.BySession(session) is { } user
            ? Accept(user, WebAuth.ByCookie)
            : Refuse("session_expired", "the session has ended or expired: open a new login link");

    private AuthenticateResult Accept(User user, string how)
    {
        WebAuth.Remember(Context, user);
        Claim[] claims =
        [
            new(ClaimTypes.NameIdentifier, user.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new(ClaimTypes.Role, user.Role.WireName()),
        ];
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, how));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    private static AuthenticateResult Refuse(string code, string message) => AuthenticateResult.Fail(new AuthRefusal(code, message));
}
