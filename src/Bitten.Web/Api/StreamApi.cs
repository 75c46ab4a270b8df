using System.Text;
using Bitten.Web.ReadModels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace Bitten.Web.Api;

public static class StreamApi
{
    /// <summary>How often a quiet stream sends a comment, so proxies and browsers keep it open.</summary>
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    private static readonly byte[] Opened = Encoding.UTF8.GetBytes(": connected\n\n");
    private static readonly byte[] Beat = Encoding.UTF8.GetBytes(": heartbeat\n\n");
    private static readonly byte[] TooSlow = StreamHub.Frame("dropped",
        Encoding.UTF8.GetBytes($"{{\"reason\":\"too_slow\",\"message\":\"this page fell {StreamHub.Buffered} events behind; reconnect and reload\"}}"));

    /// <summary>
    /// GET /api/stream: server-sent events for the pages — <c>signal</c>, <c>outcome</c>, <c>stop</c> and <c>pattern</c>
    /// for everyone, <c>mission</c> and <c>fire</c> for the caller's own only; a comment every 15 s. A page that falls
    /// <see cref="StreamHub.Buffered"/> events behind gets <c>event: dropped</c> and the stream ends.
    /// </summary>
    public static IEndpointRouteBuilder MapStreamApi(this IEndpointRouteBuilder endpoints, WebServices services)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(services);
        endpoints.MapGet("/api/stream", Task<IResult> (HttpContext http) => StreamAsync(http, services)).RequireUser(services)
            .WithName("Stream").WithSummary("Server-sent events: signals, outcomes, your missions and fires, stops, pattern switches");
        return endpoints;
    }

    private static async Task<IResult> StreamAsync(HttpContext http, WebServices services)
    {
        if (services.Events is not { } events)
        {
            return ApiJson.Error(StatusCodes.Status503ServiceUnavailable, "unavailable", "this server publishes no events");
        }

        using var subscription = events.Hub.Subscribe(ApiAuth.CallerOf(http).UserId);
        var response = http.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var aborted = http.RequestAborted;
        try
        {
            await response.Body.WriteAsync(Opened, aborted);
            await response.Body.FlushAsync(aborted);
            var frames = subscription.Frames;
            Task<bool>? ready = null;
            while (true)
            {
                ready ??= frames.WaitToReadAsync(aborted).AsTask();
                using var quiet = CancellationTokenSource.CreateLinkedTokenSource(aborted);
                var beat = Task.Delay(Heartbeat, services.Clock, quiet.Token);
                if (await Task.WhenAny(ready, beat) == beat)
                {
                    await response.Body.WriteAsync(Beat, aborted);
                    await response.Body.FlushAsync(aborted);
                    continue;
                }

                await quiet.CancelAsync();
                if (!await ready)
                {
                    break;
                }

                ready = null;
                while (frames.TryRead(out var frame))
                {
                    await response.Body.WriteAsync(frame, aborted);
                }

                await response.Body.FlushAsync(aborted);
            }

            if (subscription.Overflowed)
            {
                await response.Body.WriteAsync(TooSlow, aborted);
                await response.Body.FlushAsync(aborted);
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The page went away: nothing to answer.
        }

        return Results.Empty;
    }
}
