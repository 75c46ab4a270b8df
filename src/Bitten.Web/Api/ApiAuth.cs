using Bitten.Domain.Users;
using Bitten.Web.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Bitten.Web.Api;

/// <summary>
/// Every /api route names its caller (PRODUCT.md §8), and admin routes check the role. Built on ASP.NET Core
/// authorization (see <see cref="WebAuth"/>): an API token, Telegram Mini App initData or the session cookie; a caller
/// without one gets 401 <c>{"error","message"}</c>, a USER on an admin route 403 <c>forbidden</c>.
/// </summary>
public static class ApiAuth
{
    /// <summary>Requires a known user (and ADMIN when asked) before the handler runs.</summary>
    public static RouteHandlerBuilder RequireUser(this RouteHandlerBuilder route, WebServices services, bool adminOnly = false) =>
        RequireUser<RouteHandlerBuilder>(route, services, adminOnly);

    /// <summary>The same for any endpoint or group of them (pages: <c>app.MapGroup("/app").RequireUser(services)</c>).</summary>
    public static TBuilder RequireUser<TBuilder>(this TBuilder builder, WebServices services, bool adminOnly = false)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(services);
        return builder.RequireAuthorization(adminOnly ? WebAuth.AdminPolicy : WebAuth.UserPolicy);
    }

    /// <summary>The caller <see cref="RequireUser"/> authenticated.</summary>
    public static User CallerOf(HttpContext http) =>
        WebAuth.UserOf(http) ?? throw new InvalidOperationException("the route has no RequireUser");

    /// <summary>The caller when the request carries a valid credential, else null (for pages that show a login hint).</summary>
    public static User? TryCallerOf(HttpContext http) => WebAuth.UserOf(http);
}
