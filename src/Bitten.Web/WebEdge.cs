using System.Net;
using Bitten.Web.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Bitten.Web;

/// <summary>The forwarding of a web edge (<see cref="BittenWeb.BuildEdge"/>): every path, every method, to the engine's web.</summary>
public static class WebEdge
{
    /// <summary>How long the engine's web may take to answer a request's headers (a fire answers in milliseconds).</summary>
    public static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(30);

    public static IEndpointRouteBuilder MapEdgeForwarding(this IEndpointRouteBuilder endpoints, Uri upstream)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(upstream);
        var forwarder = endpoints.ServiceProvider.GetRequiredService<IHttpForwarder>();
        var log = endpoints.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("Bitten.Web.Edge");
        // One pooled client for every request: no cookies of its own, no redirects followed (the browser follows
        // the engine's), no proxy from the environment, and the response streamed as it comes (/api/stream).
        var client = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ActivityHeadersPropagator = null,
            ConnectTimeout = TimeSpan.FromSeconds(5),
        });
        var config = new ForwarderRequestConfig { ActivityTimeout = ResponseTimeout };
        var destination = upstream.GetLeftPart(UriPartial.Authority);
        endpoints.Map("/{**path}", async http =>
        {
            var error = await forwarder.SendAsync(http, destination, client, config, HttpTransformer.Default);
            if (error == ForwarderError.None)
            {
                return;
            }

            var reason = http.Features.Get<IForwarderErrorFeature>()?.Exception?.Message ?? error.ToString();
            log.LogWarning("Edge: {Method} {Path} could not be forwarded to {Upstream}: {Error} ({Reason})",
                http.Request.Method, http.Request.Path, destination, error, reason);
            if (!http.Response.HasStarted)
            {
                http.Response.Clear();
                await ApiJson.Error(StatusCodes.Status502BadGateway, "engine_unreachable",
                    $"the engine's web at {destination} did not answer ({error}); try again in a moment").ExecuteAsync(http);
            }
        });
        return endpoints;
    }
}
