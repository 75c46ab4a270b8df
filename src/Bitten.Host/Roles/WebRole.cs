using Bitten.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace Bitten.Host.Roles;

/// <summary>A web site of its own (an ASP.NET Core application), started and stopped with the host.</summary>
/// <remarks>A site switched off by its options (<paramref name="web"/> null) starts nothing and has no address.</remarks>
public abstract class WebSiteRole(WebApplication? web, string portOption) : IHostedService
{
    private bool _started;

    public IEnumerable<string> Urls => web?.Urls ?? [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (web is null)
        {
            return;
        }

        try
        {
            await web.StartAsync(cancellationToken);
            _started = true;
            Started(new Uri(web.Urls.First()).Port);
        }
        catch (IOException e)
        {
            throw new StartupException($"Cannot open the {Name} port ({e.Message}); set another with --{portOption}=…", e);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_started && web is not null)
        {
            await web.StopAsync(cancellationToken);
        }
    }

    protected abstract string Name { get; }

    /// <summary>Called once the site listens, with its bound port (port 0 only knows it now).</summary>
    protected virtual void Started(int port)
    {
    }
}

/// <summary>The trader's site on <c>Web:Port</c>: pages, HUD and API; with the simulated EA, the demo user's login link is printed once it listens.</summary>
public sealed class WebRole(WebApplication web, DemoLogin? demo = null) : WebSiteRole(web, "Web:Port")
{
    protected override string Name => "web";

    protected override void Started(int port) => demo?.Print(port);
}

/// <summary>The Commander Throne on <c>Throne:Port</c> (the same services, the admin's page).</summary>
public sealed class ThroneRole(ThroneSite throne) : WebSiteRole(throne.App, "Throne:Port")
{
    protected override string Name => "Commander Throne";
}

/// <summary>The Throne's application (null when <c>Throne:Enabled</c> is false), as its own type so the container tells it from the trader's site.</summary>
public sealed record ThroneSite(WebApplication? App);
