using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Bitten.Web.Api;

/// <summary>The API's JSON: snake_case names, and one error shape <c>{"error","message"}</c> for every failure.</summary>
internal static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public static IResult Ok(object value) => Results.Json(value, Options);

    /// <summary>A body serialised beforehand (a read model's cached JSON), written as is.</summary>
    public static IResult Bytes(byte[] json) => Results.Bytes(json, "application/json; charset=utf-8");

    public static IResult Error(int status, string error, string message) =>
        Results.Json(new ErrorBody(error, message), Options, statusCode: status);

    public static IResult InvalidRequest(string message) => Error(StatusCodes.Status400BadRequest, "invalid_request", message);

    /// <summary>
    /// Reads the body as one JSON object, or returns the 400 to send. The document is cloned out so the caller
    /// holds no pooled buffers.
    /// </summary>
    public static async Task<(JsonElement Body, IResult? Error)> ReadObjectAsync(HttpRequest request)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? (document.RootElement.Clone(), null)
                : (default, InvalidRequest("the body must be a JSON object"));
        }
        catch (JsonException)
        {
            return (default, InvalidRequest("the body is not JSON"));
        }
    }

    public static async Task<byte[]> ReadBytesAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        return buffer.ToArray();
    }

    private sealed record ErrorBody(string Error, string Message);
}
