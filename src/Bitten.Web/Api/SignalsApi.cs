using Bitten.Domain.Primitives;
using Bitten.Wire.Signals;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Bitten.Web.Api;

public static class SignalsApi
{
    /// <summary>
    /// POST /api/signals (ADMIN): a signal in the PRODUCT.md §4 JSON, injected as if Elite Guard had raised it, so an
    /// operator or an external engine can feed missions. 409 for a signal id already taken.
    /// </summary>
    public static IEndpointRouteBuilder MapSignalsApi(this IEndpointRouteBuilder endpoints, WebServices services)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(services);
        endpoints.MapPost("/api/signals", Task<IResult> (HttpContext http) => InjectAsync(http, services)).RequireUser(services, adminOnly: true);
        return endpoints;
    }

    private static async Task<IResult> InjectAsync(HttpContext http, WebServices services)
    {
        var body = await ApiJson.ReadBytesAsync(http.Request);
        var signal = SignalJson.Parse(body, services.Symbols, UnixMs.Now(services.Clock), out var error);
        if (signal is null)
        {
            return ApiJson.Error(StatusCodes.Status400BadRequest, "invalid_signal", error);
        }

        var inject = services.InjectSignal;
        var taken = await services.Kernel.AskAsync(() => inject(signal));
        if (taken && services.Stored is { } stored)
        {
            // "Accepted" means stored: a crash after this answer cannot lose the signal (nor its tracking).
            await stored();
        }

        return taken
            ? ApiJson.Ok(new { signal.SignalId })
            : ApiJson.Error(StatusCodes.Status409Conflict, "duplicate_signal", $"signal {signal.SignalId} was already taken");
    }
}
