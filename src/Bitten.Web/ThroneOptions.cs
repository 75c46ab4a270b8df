using System.Net;

namespace Bitten.Web;

/// <summary>The Commander Throne's own address (section <c>Throne</c>): loopback by default, since it stops trading for everyone.</summary>
public sealed class ThroneOptions
{
    public const string Section = "Throne";

    /// <summary>Whether the Throne is served at all (its API routes stay on the web port for ADMIN tokens either way).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>An IP address, or <c>localhost</c>.</summary>
    public string BindHost { get; set; } = "127.0.0.1";

    /// <summary>0 = any free port (tests).</summary>
    public int Port { get; set; } = 8899;

    /// <summary>
    /// The engine's Throne (e.g. http://10.0.0.3:8899), for a throne role running without the engine: that process is
    /// then an edge forwarding every request there, as a web edge does for the trader's site.
    /// </summary>
    public string? Upstream { get; set; }

    public IEnumerable<string> Validate()
    {
        if (!IPAddress.TryParse(BindHost, out _) && !string.Equals(BindHost, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            yield return $"Throne:BindHost must be an IP address or localhost, not '{BindHost}'";
        }

        if (Port is < 0 or > 65_535)
        {
            yield return "Throne:Port must be 0-65535 (0 = any free port)";
        }

        if (WebOptions.UpstreamProblem("Throne:Upstream", "Throne", Upstream, 8899) is { } upstream)
        {
            yield return upstream;
        }
    }
}
