using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Web.ReadModels;
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
        endpoints.MapGet("/api/signals", (HttpContext http) => List(http.Request.Query, services)).RequireUser(services)
            .WithName("ListSignals").WithSummary("Signals raised, newest first, with their outcomes (?symbol=&pattern=&limit=, default 100, at most 1000)");
        return endpoints;
    }

    public const int DefaultLimit = 100;
    public const int MaxLimit = 1_000;

    private static IResult List(IQueryCollection query, WebServices services)
    {
        if (!ApiQuery.TryLimit(query, DefaultLimit, MaxLimit, out var limit, out var invalid))
        {
            return invalid;
        }

        PatternType? pattern = null;
        if (query["pattern"] is { Count: > 0 } text)
        {
            if (text.Count > 1 || !PatternTypes.TryParse(text[0], out var parsed))
            {
                return ApiJson.Error(StatusCodes.Status400BadRequest, "invalid_pattern",
                    $"pattern must be one of {string.Join(", ", PatternTypes.All.Select(p => p.WireName()))}");
            }

            pattern = parsed;
        }

        if (services.History is not { } history)
        {
            return ApiJson.Error(StatusCodes.Status503ServiceUnavailable, "unavailable", "this server has no signal history");
        }

        var symbol = query["symbol"] is { Count: > 0 } s ? s[0] : null;
        var signals = history()
            .Where(t => (symbol is null || string.Equals(t.Signal.Symbol, symbol, StringComparison.OrdinalIgnoreCase))
                        && (pattern is null || t.Signal.PatternType == pattern))
            .OrderByDescending(t => t.Signal.TimestampMs)
            .ThenBy(t => t.Signal.SignalId, StringComparer.Ordinal)
            .Take(limit)
            .Select(SignalItemJson.Of)
            .ToList();
        return ApiJson.Ok(signals);
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
