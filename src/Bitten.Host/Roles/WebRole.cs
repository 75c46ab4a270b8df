using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace Bitten.Host.Roles;

/// <summary>
/// The web API (its own ASP.NET Core application, started and stopped with the host); with the simulated EA, the demo
/// user's login link is printed once it listens.
/// </summary>
public sealed class WebRole(WebApplication web, DemoLogin? demo = null) : IHostedService
{
    private bool _started;

    public IEnumerable<string> Urls => web.Urls;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await web.StartAsync(cancellationToken);
            _started = true;
            demo?.Print(new Uri(web.Urls.First()).Port);
        }
        catch (IOException e)
        {
            throw new StartupException($"Cannot open the web port ({e.Message}); set another with --Web:Port=…", e);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_started)
        {
            await web.StopAsync(cancellationToken);
        }
    }
}
