using System.Globalization;
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

    /// <summary>
    /// The address people open (login links are printed with it), e.g. https://bitten.example; null =
    /// <c>http://127.0.0.1:&lt;port&gt;</c>. When https, the session cookie is Secure.
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>Telegram Mini App initData older than this is refused (Telegram signs auth_date, not an expiry).</summary>
    public int InitDataMaxAgeSeconds { get; set; } = 86_400;

    /// <summary>How long a browser session opened by a login link lasts.</summary>
    public double SessionLifetimeHours { get; set; } = 7 * 24;

    public WebRateLimitOptions RateLimit { get; set; } = new();

    /// <summary>
    /// The engine's web (e.g. http://10.0.0.3:8888), for a web role running without the engine: that process is then
    /// an edge that serves nothing itself and forwards every request there (pages, API, the event stream), so a
    /// second web machine adds capacity for TLS and connections while every decision stays with the one engine.
    /// </summary>
    public string? Upstream { get; set; }

    public TimeSpan InitDataMaxAge => TimeSpan.FromSeconds(InitDataMaxAgeSeconds);

    public TimeSpan SessionLifetime => TimeSpan.FromHours(SessionLifetimeHours);

    /// <summary>Whether people reach us over https, so cookies may be sent only that way.</summary>
    public bool IsHttps => PublicUrl is { } url && url.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    /// <summary><see cref="PublicUrl"/> without a trailing slash, or the loopback address on <paramref name="port"/> (the bound one when started on port 0).</summary>
    public string PublicBase(int port) => PublicUrl is { Length: > 0 } url
        ? url.TrimEnd('/')
        : string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");

    /// <summary>The one-time link that opens a session: <c>{PublicUrl}/login?token=…</c>.</summary>
    public string LoginUrl(int port, string linkToken) => $"{PublicBase(port)}/login?token={Uri.EscapeDataString(linkToken)}";

    /// <summary>What is wrong with an edge's upstream (an absolute http(s) URL without a path), or null when nothing is.</summary>
    internal static string? UpstreamProblem(string option, string site, string? upstream, int port) =>
        upstream is not null && !(Uri.TryCreate(upstream, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
            && url.AbsolutePath == "/" && string.IsNullOrEmpty(url.Query))
            ? $"{option} must be the engine's {site} as an absolute http(s) URL without a path, such as http://10.0.0.3:{port}, not '{upstream}'"
            : null;

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

        if (PublicUrl is not null && !(Uri.TryCreate(PublicUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
            && string.IsNullOrEmpty(url.Query) && string.IsNullOrEmpty(url.Fragment)))
        {
            yield return $"Web:PublicUrl must be an absolute http(s) URL without query, not '{PublicUrl}'";
        }

        if (UpstreamProblem("Web:Upstream", "web", Upstream, 8888) is { } upstream)
        {
            yield return upstream;
        }

        if (InitDataMaxAgeSeconds is < 60 or > 30 * 86_400)
        {
            yield return "Web:InitDataMaxAgeSeconds must be 60-2592000";
        }

        if (!(SessionLifetimeHours is >= 0.1 and <= 24 * 365))
        {
            yield return "Web:SessionLifetimeHours must be 0.1-8760";
        }

        foreach (var problem in RateLimit.Validate())
        {
            yield return problem;
        }
    }
}

/// <summary>
/// Requests per caller (section <c>Web:RateLimit</c>): a token bucket per user, or per remote address when anonymous;
/// /healthz is never limited.
/// </summary>
public sealed class WebRateLimitOptions
{
    /// <summary>The sustained rate; 0 turns the limit off (benchmarks).</summary>
    public int PermitsPerMinute { get; set; } = 600;

    /// <summary>
    /// How many requests may come at once before the rate applies: a minute's worth, so a page opening many panels or
    /// a script polling a few times a second for a minute is not refused, while a runaway loop is within seconds.
    /// </summary>
    public int Burst { get; set; } = 600;

    public bool Enabled => PermitsPerMinute > 0;

    public IEnumerable<string> Validate()
    {
        if (PermitsPerMinute is < 0 or > 1_000_000)
        {
            yield return "Web:RateLimit:PermitsPerMinute must be 0-1000000 (0 = no limit)";
        }

        if (Burst is < 1 or > 1_000_000)
        {
            yield return "Web:RateLimit:Burst must be 1-1000000";
        }
    }
}
