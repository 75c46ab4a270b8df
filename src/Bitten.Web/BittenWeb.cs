using System.Net;
using System.Threading.Channels;
using Bitten.Web.Api;
using Bitten.Web.Pages;
using Bitten.Web.ReadModels;
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
    public static WebApplication Build(WebOptions options, WebServices services, ILoggerProvider? logs = null) =>
        Build(WebSite.Trader, options.BindHost, options.Port, options, services, logs);

    /// <summary>
    /// Builds the Commander Throne: the same API (its routes check the ADMIN role themselves) and the Throne's page, on
    /// its own address, loopback by default.
    /// </summary>
    public static WebApplication BuildThrone(ThroneOptions throne, WebOptions options, WebServices services, ILoggerProvider? logs = null)
    {
        ArgumentNullException.ThrowIfNull(throne);
        var problems = throne.Validate().ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", problems), nameof(throne));
        }

        return Build(WebSite.Throne, throne.BindHost, throne.Port, options, services, logs);
    }

    private static WebApplication Build(WebSite site, string bindHost, int port, WebOptions options, WebServices services, ILoggerProvider? logs)
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
        builder.Services.AddRouting();
        builder.Services.AddWebAuth(services, options, site == WebSite.Throne ? WebAuth.ThroneAntiforgeryCookie : WebAuth.AntiforgeryCookie);
        builder.Services.AddLogging();
        builder.Services.AddBittenOpenApi();
        builder.Services.AddSingleton(new AnalyticsReadModel(services));
        builder.Services.AddSingleton(new HealthReadModel(services));
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }

        Listen(builder, bindHost, port, options);
        var app = builder.Build();
        app.UseApiErrors();
        app.UseWebAuth(options);
        var metrics = app.UseBittenMetrics(services);
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
        app.MapThresholdApi(services);
        app.MapUsersApi(services);
        app.MapMeApi(services);
        app.MapThroneApi(services);
        app.MapPerformanceApi(services);
        app.MapCandlesApi(services);
        app.MapStatusApi(services);
        app.MapStreamApi(services);
        app.MapMetricsApi(metrics);
        app.MapBittenOpenApi();
        app.MapWebPages(site);
        return app;
    }

    /// <summary>
    /// Builds a web edge: the trader's site on <see cref="WebOptions.BindHost"/>:<see cref="WebOptions.Port"/>, every
    /// request forwarded as it came (headers, cookies, bearer tokens, the event stream's response as it is written) to
    /// the engine's web at <see cref="WebOptions.Upstream"/>. It decides nothing and holds nothing: sign-in, fires and
    /// refusals are the engine's, so two edges given the same FIRE at once still make one fire. An engine it cannot
    /// reach is a 502 with the API's error shape, never a hang.
    /// </summary>
    public static WebApplication BuildEdge(WebOptions options, ILoggerProvider? logs = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate().ToList();
        if (options.Upstream is null)
        {
            problems.Add("a web edge needs Web:Upstream, the engine's web (e.g. http://10.0.0.3:8888)");
        }

        return Edge(options.BindHost, options.Port, options.Upstream, options, problems, nameof(options), logs);
    }

    /// <summary>
    /// Builds a Throne edge: the Commander Throne on <see cref="ThroneOptions.BindHost"/>:<see cref="ThroneOptions.Port"/>,
    /// every request forwarded to the engine's Throne at <see cref="ThroneOptions.Upstream"/>, exactly as a web edge does
    /// (the engine's Throne then listens on an address this machine reaches, not loopback).
    /// </summary>
    public static WebApplication BuildThroneEdge(ThroneOptions throne, WebOptions options, ILoggerProvider? logs = null)
    {
        ArgumentNullException.ThrowIfNull(throne);
        ArgumentNullException.ThrowIfNull(options);
        var problems = throne.Validate().Concat(options.Validate()).ToList();
        if (throne.Upstream is null)
        {
            problems.Add("a Throne edge needs Throne:Upstream, the engine's Throne (e.g. http://10.0.0.3:8899)");
        }

        return Edge(throne.BindHost, throne.Port, throne.Upstream, options, problems, nameof(throne), logs);
    }

    private static WebApplication Edge(string bindHost, int port, string? upstream, WebOptions limits, List<string> problems, string parameter,
        ILoggerProvider? logs)
    {
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", problems), parameter);
        }

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddRouting();
        builder.Services.AddLogging();
        builder.Services.AddHttpForwarder();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }

        Listen(builder, bindHost, port, limits);
        var app = builder.Build();
        app.MapEdgeForwarding(new Uri(upstream!));
        return app;
    }

    private static void Listen(WebApplicationBuilder builder, string bindHost, int port, WebOptions options) =>
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            if (IPAddress.TryParse(bindHost, out var address))
            {
                kestrel.Listen(address, port);
            }
            else
            {
                kestrel.ListenLocalhost(port);
            }
        });

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
