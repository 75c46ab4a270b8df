using System.Net;

namespace Bitten.Web;

/// <summary>The web API (section <c>Web</c>).</summary>
public sealed class WebOptions
{
    public const string Section = "Web";

    /// <summary>An IP address, or <c>localhost</c>. Loopback by default: the API moves money, so exposing it is a choice.</summary>
    public string BindHost { get; set; } = "127.0.0.1";

    /// <summary>0 = any free port (tests); the bound address is then in <c>WebApplication.Urls</c> after start.</summary>
    public int Port { get; set; } = 8888;

    /// <summary>Request bodies above this are refused with 413: every API body is a small JSON object.</summary>
    public int MaxRequestBodyBytes { get; set; } = 64 * 1024;

    public IEnumerable<string> Validate()
    {
        if (!IPAddress.TryParse(BindHost, out _) && !string.Equals(BindHost, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            yield return $"Web:BindHost must be an IP address or localhost, not '{BindHost}'";
        }

        if (Port is < 0 or > 65_535)
        {
            yield return "Web:Port must be 0-65535 (0 = any free port)";
        }

        if (MaxRequestBodyBytes is < 1024 or > 16 * 1024 * 1024)
        {
            yield return "Web:MaxRequestBodyBytes must be between 1024 and 16777216";
        }
    }
}
