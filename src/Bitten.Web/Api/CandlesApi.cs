using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Bitten.Web.Api;

public static class CandlesApi
{
    public const int DefaultLimit = 300;
    public const int MaxLimit = 1_000;

    /// <summary>
    /// GET /api/candles?symbol=EURUSD&amp;limit=300: the symbol's closed M5 bars, oldest first, in mid prices, as Elite Guard's
    /// history holds them (asked of the kernel); <c>t</c> is the bar's open in Unix seconds. 404 for a symbol never seen.
    /// </summary>
    public static IEndpointRouteBuilder MapCandlesApi(this IEndpointRouteBuilder endpoints, WebServices services)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(services);
        endpoints.MapGet("/api/candles", Task<IResult> (HttpContext http) => GetAsync(http.Request.Query, services)).RequireUser(services)
            .WithName("Candles").WithSummary("Closed M5 bars of a symbol, oldest first, mid prices (?symbol=EURUSD&limit=300)");
        return endpoints;
    }

    private static async Task<IResult> GetAsync(IQueryCollection query, WebServices services)
    {
        if (!ApiQuery.TryLimit(query, DefaultLimit, MaxLimit, out var limit, out var invalid))
        {
            return invalid;
        }

        if (query["symbol"] is not { Count: 1 } text || string.IsNullOrWhiteSpace(text[0]))
        {
            return ApiJson.InvalidRequest("name one symbol: ?symbol=EURUSD");
        }

        var name = text[0]!.Trim().ToUpperInvariant();
        if (!services.Symbols.TryGet(name, out var symbol))
        {
            return ApiJson.Error(StatusCodes.Status404NotFound, "not_found", $"no candles for '{name}': the feed has never sent it");
        }

        if (services.M5Candles is not { } candles)
        {
            return ApiJson.Error(StatusCodes.Status503ServiceUnavailable, "unavailable", "this server keeps no candle history");
        }

        var bars = await services.Kernel.AskAsync(() => candles(symbol));
        return ApiJson.Ok(bars.Skip(Math.Max(0, bars.Length - limit))
            .Select(c => new CandleJson(c.OpenTimeMs / 1000, c.Mid.Open, c.Mid.High, c.Mid.Low, c.Mid.Close)).ToList());
    }

    private sealed record CandleJson(long T, double Open, double High, double Low, double Close);
}
