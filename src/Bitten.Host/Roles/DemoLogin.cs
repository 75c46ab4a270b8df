using Bitten.Persistence;
using Bitten.Simulation.Ea;
using Bitten.Web;
using Microsoft.Extensions.Options;

namespace Bitten.Host.Roles;

/// <summary>
/// Once the web host listens, prints a one-time login link for the demo user (the one bound to the simulated EA), so
/// `./bitten run` ends with a link that opens the pages; with the bound port, which port 0 only knows after start.
/// </summary>
public sealed class DemoLogin(UserStore users, LoginStore logins, IOptions<SimulatedEaOptions> simEa, IOptions<WebOptions> web, HostOutput output)
{
    /// <summary>Prints the link and returns it, or null when there is no demo user (no engine made one).</summary>
    public string? Print(int boundPort)
    {
        if (users.ByEaUuid(simEa.Value.Uuid) is not { } user)
        {
            return null;
        }

        var url = web.Value.LoginUrl(boundPort, logins.CreateLink(user.UserId));
        output.Out.WriteLine($"Demo login for user {user.UserId} (valid {LoginStore.LinkLifetime.TotalMinutes:0} minutes, once): {url}");
        return url;
    }
}
