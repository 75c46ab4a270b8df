using System.Net;
using System.Threading.Channels;
using Bitten.Web.Api;
using Bitten.Web.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bitten.Web;

/// <summary>The web host: Kestrel on <see cref="WebOptions.BindHost"/>:<see cref="WebOptions.Port"/> and the minimal APIs.</summary>
public static class BittenWeb
{
    /// <summary>
    /// Builds (does not start) the web application. The caller starts it (<c>StartAsync</c>) and disposes it; with
    /// port 0 the bound address is in <c>Urls</c> once started.
    /// </summary>
    public static WebApplication Build(WebOptions options, WebServices services, ILoggerProvider? logs = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(services);
        var problems = options.Validate().ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", problems), nameof(options));
        }

        // The empty builder reads no appsettings, environment or ASPNETCORE_URLS: the process's one configuration
        // (the CLI's) decides where we listen, nothing else can move the port behind its back.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddRoutingCore();
        builder.Services.AddWebAuth(services, options);
        builder.Services.AddLogging();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }

        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            if (IPAddress.TryParse(options.BindHost, out var address))
            {
                kestrel.Listen(address, options.Port);
            }
            else
            {
                kestrel.ListenLocalhost(options.Port);
            }
        });

        var app = builder.Build();
        app.UseApiErrors();
        app.UseWebAuth(options);
        app.MapLoginApi(services, options);
        app.MapHealthApi(services);
        app.MapSignalsApi(services);
        app.MapMissionsApi(services);
        app.MapFireApi(services);
        app.MapPositionsApi(services);
        app.MapAccountApi(services);
        app.MapFireModeApi(services);
        app.MapAdminApi(services);
        app.MapAnalyticsApi(services);
        return app;
    }

    /// <summary>Unhandled failures become the API's JSON error shape instead of an empty 500.</summary>
    private static void UseApiErrors(this WebApplication app)
    {
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Bitten.Web");
        app.Use(async (http, next) =>
        {
            try
            {
                await next(http);
            }
            catch (BadHttpRequestException e) when (!http.Response.HasStarted)
            {
                await ApiJson.Error(e.StatusCode, "bad_request", e.Message).ExecuteAsync(http);
            }
            catch (ChannelClosedException) when (!http.Response.HasStarted)
            {
                // The kernel has stopped (shutdown): the request cannot be served, but the host may still answer.
                await ApiJson.Error(StatusCodes.Status503ServiceUnavailable, "unavailable", "the trading kernel is stopped").ExecuteAsync(http);
            }
            catch (Exception e) when (!http.Response.HasStarted && !http.RequestAborted.IsCancellationRequested)
            {
                log.LogError(e, "{Method} {Path} failed", http.Request.Method, http.Request.Path);
                await ApiJson.Error(StatusCodes.Status500InternalServerError, "internal_error", e.Message).ExecuteAsync(http);
            }
        });
    }
}
