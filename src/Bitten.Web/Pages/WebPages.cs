using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.FileProviders;

namespace Bitten.Web.Pages;

/// <summary>Which pages a web host serves: the trader's site on <c>Web:Port</c>, or the Commander Throne on <c>Throne:Port</c>.</summary>
public enum WebSite
{
    Trader,
    Throne,
}

/// <summary>
/// The pages: static HTML shells whose scripts read the JSON API (so every number on a page is one the API answers),
/// with their scripts, styles and the chart library from <c>wwwroot</c> beside the binaries. The shells are read once
/// and served from memory; a missing web root is a clear start-up error, not a 404 per page.
/// </summary>
public static class WebPages
{
    /// <summary>Where the build copies wwwroot (see Bitten.Web.csproj); every host that references Bitten.Web has it.</summary>
    public static string Root => Path.Combine(AppContext.BaseDirectory, "wwwroot");

    private static readonly (string Route, string File)[] TraderPages =
    [
        ("/", "index.html"),
        ("/hud/{missionId}", "hud.html"),
        ("/tracking", "tracking.html"),
        ("/analysis", "analysis.html"),
        ("/performance", "performance.html"),
    ];

    private static readonly (string Route, string File)[] ThronePages = [("/", "throne.html")];

    // Scripts and styles come from this origin only; the inline style attributes of the templates are the one exception.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'";

    public static WebApplication MapWebPages(this WebApplication app, WebSite site)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!Directory.Exists(Root))
        {
            throw new InvalidOperationException($"the web pages are missing: no {Root} (build Bitten.Web)");
        }

        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(Root),
            OnPrepareResponse = file =>
            {
                // Pages change with every build: revalidate scripts and styles, cache the pinned chart library.
                file.Context.Response.Headers.CacheControl = file.File.Name.StartsWith("lightweight-charts", StringComparison.Ordinal)
                    ? "public, max-age=86400" : "no-cache";
                file.Context.Response.Headers.XContentTypeOptions = "nosniff";
            },
        });
        foreach (var (route, file) in site == WebSite.Throne ? ThronePages : TraderPages)
        {
            var bytes = File.ReadAllBytes(Path.Combine(Root, file));
            app.MapGet(route, (HttpContext http) =>
            {
                var headers = http.Response.Headers;
                headers.CacheControl = "no-cache";
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "same-origin";
                return Results.Bytes(bytes, "text/html; charset=utf-8");
            }).ExcludeFromDescription();
        }

        return app;
    }
}
