using Bitten.Web.Auth;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Bitten.Web.Api;

/// <summary>Browser logins: one-time links open a session cookie, logout ends it, and pages fetch their antiforgery token.</summary>
public static class LoginApi
{
    /// <summary>
    /// GET /login?token=…&amp;next=/path redeems a link from <c>bitten user login-link</c>, sets <see cref="WebAuth.SessionCookie"/>
    /// and answers 303 to <c>next</c> when it is a local path, else to "/"; a used, expired or unknown link is 401
    /// <c>login_link_used|login_link_expired|login_link_unknown</c>. POST /logout ends the session (204; with the cookie
    /// it needs the antiforgery header like every cookie write). GET /api/antiforgery answers
    /// <c>{"token","header":"X-CSRF-TOKEN"}</c> and sets the cookie the token pairs with.
    /// </summary>
    public static IEndpointRouteBuilder MapLoginApi(this IEndpointRouteBuilder endpoints, WebServices services, WebOptions options)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        endpoints.MapGet("/login", (HttpContext http) => Login(http, services, options));
        endpoints.MapPost("/logout", (HttpContext http) =>
        {
            if (http.Request.Cookies.TryGetValue(WebAuth.SessionCookie, out var session) && session.Length > 0)
            {
                services.Logins?.EndSession(session);
            }

            http.Response.Cookies.Delete(WebAuth.SessionCookie, Cookie(options, expires: null));
            return Results.NoContent();
        }).RequireUser(services);
        endpoints.MapGet("/api/antiforgery", (HttpContext http, IAntiforgery antiforgery) =>
            ApiJson.Ok(new AntiforgeryToken(antiforgery.GetAndStoreTokens(http).RequestToken!, WebAuth.AntiforgeryHeader))).RequireUser(services);
        return endpoints;
    }

    /// <summary>Whether <paramref name="next"/> stays on this site: a path, not "//host" or "/\host" (which browsers read as another host).</summary>
    public static bool IsLocalPath(string? next) =>
        next is { Length: > 0 } && next[0] == '/' && (next.Length == 1 || (next[1] != '/' && next[1] != '\\'));

    private static IResult Login(HttpContext http, WebServices services, WebOptions options)
    {
        if (services.Logins is not { } logins)
        {
            return ApiJson.Error(StatusCodes.Status503ServiceUnavailable, "unavailable", "this host has no login store");
        }

        var login = logins.Redeem(http.Request.Query["token"].ToString(), options.SessionLifetime);
        if (login.User is null || login.SessionToken is null)
        {
            return login.Problem switch
            {
                LoginLinkProblem.Used => Refused("login_link_used", "this login link was used already: ask for a new one"),
                LoginLinkProblem.Expired => Refused("login_link_expired", "this login link has expired (links last 10 minutes): ask for a new one"),
                _ => Refused("login_link_unknown", "this is not a login link of this server"),
            };
        }

        http.Response.Cookies.Append(WebAuth.SessionCookie, login.SessionToken, Cookie(options, login.Expires));
        var next = http.Request.Query["next"].ToString();
        http.Response.Headers.CacheControl = "no-store";
        return new SeeOther(IsLocalPath(next) ? next : "/");
    }

    private static IResult Refused(string code, string message) => ApiJson.Error(StatusCodes.Status401Unauthorized, code, message);

    private static CookieOptions Cookie(WebOptions options, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Path = "/",
        Secure = options.IsHttps,
        Expires = expires,
        IsEssential = true,
    };

    private sealed record AntiforgeryToken(string Token, string Header);

    /// <summary>303: the browser follows with a GET whatever the method was (Results.Redirect has only 302/307).</summary>
    private sealed class SeeOther(string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            httpContext.Response.Headers.Location = location;
            return Task.CompletedTask;
        }
    }
}
