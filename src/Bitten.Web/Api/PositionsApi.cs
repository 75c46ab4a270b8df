using System.Text.Json;
using System.Text.Json.Serialization;
using Bitten.Domain.Signals;
using Bitten.Domain.Trading;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Bitten.Web.Api;

public static class PositionsApi
{
    /// <summary>
    /// GET /api/positions: the caller's open positions. POST /api/close <c>{"ticket"}</c>, <c>{"fire_id"}</c> or
    /// <c>{"all":true}</c>: sends the close orders and answers how many went out; the positions close when the EA confirms.
    /// </summary>
    public static IEndpointRouteBuilder MapPositionsApi(this IEndpointRouteBuilder endpoints, WebServices services)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(services);
        endpoints.MapGet("/api/positions", Task<IResult> (HttpContext http) => ListAsync(http, services)).RequireUser(services);
        endpoints.MapPost("/api/close", Task<IResult> (HttpContext http) => CloseAsync(http, services)).RequireUser(services);
        return endpoints;
    }

    private static async Task<IResult> ListAsync(HttpContext http, WebServices services)
    {
        var userId = ApiAuth.CallerOf(http).UserId;
        var desk = services.Desk;
        var positions = await services.Kernel.AskAsync(() => desk.PositionsOf(userId));
        return ApiJson.Ok(positions.Select(p => new PositionJson(p.Ticket, p.FireId, p.Symbol, p.Direction.WireName(), p.Lot, p.OpenPrice,
            p.StopLoss, p.TakeProfit, p.OpenedAtMs, p.Adopted)).ToList());
    }

    private static async Task<IResult> CloseAsync(HttpContext http, WebServices services)
    {
        var (body, invalid) = await ApiJson.ReadObjectAsync(http.Request);
        if (invalid is not null)
        {
            return invalid;
        }

        long? ticket = null;
        string? fireId = null;
        var all = false;
        if (body.TryGetProperty("ticket", out var t))
        {
            if (t.ValueKind != JsonValueKind.Number || !t.TryGetInt64(out var value))
            {
                return ApiJson.InvalidRequest("'ticket' must be an integer");
            }

            ticket = value;
        }

        if (body.TryGetProperty("fire_id", out var f))
        {
            if (f.ValueKind != JsonValueKind.String || f.GetString() is not { Length: > 0 } value)
            {
                return ApiJson.InvalidRequest("'fire_id' must be a non-empty string");
            }

            fireId = value;
        }

        if (body.TryGetProperty("all", out var a))
        {
            if (a.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return ApiJson.InvalidRequest("'all' must be true or false");
            }

            all = a.GetBoolean();
        }

        if (ticket is null && fireId is null && !all)
        {
            return ApiJson.InvalidRequest("name a 'ticket', a 'fire_id' or \"all\": true");
        }

        var userId = ApiAuth.CallerOf(http).UserId;
        var desk = services.Desk;
        var closing = await services.Kernel.AskAsync(() => desk.Close(userId, ticket, fireId, all));
        return closing < 0
            ? ApiJson.Error(StatusCodes.Status404NotFound, "not_found", "you have no open position with that ticket or fire id")
            : ApiJson.Ok(new { Closing = closing });
    }

    private sealed record PositionJson(
        long Ticket,
        string FireId,
        string Symbol,
        string Direction,
        decimal Lot,
        double OpenPrice,
        [property: JsonPropertyName("sl")] double StopLoss,
        [property: JsonPropertyName("tp")] double TakeProfit,
        long OpenedAt,
        bool Adopted);
}
