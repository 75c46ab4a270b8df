using Bitten.Domain.Users;
using Bitten.Web.Api;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Bitten.Web.Auth;

/// <summary>
/// Who is calling, on ASP.NET Core authentication and authorization: one scheme (<see cref="WebAuthenticationHandler"/>),
/// a policy for users and one for admins, antiforgery on every write a session cookie authenticates, then the rate limiter
/// (<see cref="WebRateLimits"/>) partitioned by the user found.
/// </summary>
public static class WebAuth
{
    public const string Scheme = "Bitten";

    /// <summary>The HttpOnly, SameSite=Strict session cookie <c>GET /login</c> sets.</summary>
    public const string SessionCookie = "bitten_session";

    /// <summary>The header a cookie-authenticated write carries the token of <c>GET /api/antiforgery</c> in.</summary>
    public const string AntiforgeryHeader = "X-CSRF-TOKEN";

    /// <summary>The cookie antiforgery pairs its header token with (set by <c>GET /api/antiforgery</c>).</summary>
    public const string AntiforgeryCookie = "bitten_csrf";

    /// <summary>
    /// The Throne's own antiforgery cookie: cookies ignore ports, and each site's tokens are signed with its own keys, so
    /// one name for both would let either site's token overwrite the other's.
    /// </summary>
    public const string ThroneAntiforgeryCookie = "bitten_throne_csrf";

    /// <summary>AuthenticationType of an identity from each credential.</summary>
    public const string ByToken = "bearer";

    public const string ByMiniApp = "tma";

    public const string ByCookie = "cookie";

    internal const string UserPolicy = "bitten-user";

    internal const string AdminPolicy = "bitten-admin";

    private static readonly object UserKey = new();

    /// <summary>The user the request authenticated as, or null (anonymous, or a credential that failed).</summary>
    public static User? UserOf(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.Items.TryGetValue(UserKey, out var user) ? user as User : null;
    }

    /// <summary>Whether the request was authenticated by the session cookie (an ambient credential, so writes need antiforgery).</summary>
    public static bool IsCookie(HttpContext http) =>
        UserOf(http) is not null && string.Equals(http.User.Identity?.AuthenticationType, ByCookie, StringComparison.Ordinal);

    internal static void Remember(HttpContext http, User user) => http.Items[UserKey] = user;

    internal static void AddWebAuth(this IServiceCollection services, WebServices web, WebOptions options, string antiforgeryCookie)
    {
        services.AddSingleton(web);
        services.AddSingleton(options);
        services.AddAuthentication(Scheme).AddScheme<AuthenticationSchemeOptions, WebAuthenticationHandler>(Scheme, null);
        services.AddAuthorization(authorization =>
        {
            authorization.AddPolicy(UserPolicy, policy => policy.RequireAuthenticatedUser());
            authorization.AddPolicy(AdminPolicy, policy => policy.RequireAuthenticatedUser().RequireRole(Role.Admin.WireName()));
        });

        // Only antiforgery uses data protection (sessions are our own stored tokens), so its keys may live in memory:
        // after a restart a page asks for a fresh antiforgery token, nothing else is lost, and nothing is written to disk.
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.HeaderName = AntiforgeryHeader;
            antiforgery.Cookie.Name = antiforgeryCookie;
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.Cookie.HttpOnly = true;
            antiforgery.Cookie.SecurePolicy = options.IsHttps ? CookieSecurePolicy.Always : CookieSecurePolicy.None;
            antiforgery.SuppressXFrameOptionsHeader = false;
        });
        services.AddWebRateLimits(options.RateLimit);
    }

    /// <summary>Authentication, the rate limiter (which needs the user), authorization, then antiforgery for cookie writes.</summary>
    internal static void UseWebAuth(this WebApplication app, WebOptions options)
    {
        app.UseAuthentication();
        if (options.RateLimit.Enabled)
        {
            app.UseRateLimiter();
        }

        app.UseAuthorization();
        app.Use(async (http, next) =>
        {
            if (IsCookie(http) && !IsSafe(http.Request.Method)
                && !await http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http))
            {
                await ApiJson.Error(StatusCodes.Status403Forbidden, "antiforgery",
                    $"a write with the session cookie needs the {AntiforgeryHeader} header from GET /api/antiforgery").ExecuteAsync(http);
                return;
            }

            await next(http);
        });
    }

    private static bool IsSafe(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method);
}
