using Bitten.Domain.Users;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Bitten.Web.Api;

/// <summary>Bearer API tokens (PRODUCT.md §8): every /api route names its caller, and admin routes check the role.</summary>
public static class ApiAuth
{
    private static readonly object UserKey = new();

    /// <summary>Requires <c>Authorization: Bearer &lt;token&gt;</c> of a known user (and ADMIN when asked) before the handler runs.</summary>
    public static RouteHandlerBuilder RequireUser(this RouteHandlerBuilder route, WebServices services, bool adminOnly = false)
    {
        ArgumentNullException.ThrowIfNull(route);
        ArgumentNullException.ThrowIfNull(services);
        return route.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var user = Authenticate(http.Request, services.Tokens);
            if (user is null)
            {
                http.Response.Headers.WWWAuthenticate = "Bearer";
                return ApiJson.Error(StatusCodes.Status401Unauthorized, "unauthorized", "send a valid API token as 'Authorization: Bearer <token>'");
            }

            if (adminOnly && !user.IsAdmin)
            {
                return ApiJson.Error(StatusCodes.Status403Forbidden, "forbidden", "this needs the ADMIN role");
            }

            http.Items[UserKey] = user;
            return await next(context);
        });
    }

    /// <summary>The caller <see cref="RequireUser"/> authenticated.</summary>
    public static User CallerOf(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.Items.TryGetValue(UserKey, out var user) && user is User caller
            ? caller
            : throw new InvalidOperationException("the route has no RequireUser filter");
    }

    private static User? Authenticate(HttpRequest request, ITokenAuthenticator tokens)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = header[scheme.Length..].Trim();
        return token.Length == 0 ? null : tokens.Authenticate(token);
    }
}
