using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Bitten.Host;
using Bitten.Host.Roles;
using Bitten.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Bitten.Bench;

/// <summary>One wrk run against one URL: requests per second and latency percentiles, as wrk measured them.</summary>
public sealed record WebResult(string Target, string Url, int Connections, double Seconds, double RequestsPerSecond,
    double LatencyP50Ms, double LatencyP99Ms, long Requests, long Errors, long Non2xx);

/// <summary>
/// <c>bitten bench web</c>: wrk (Debian's) at many connections on loopback against BITTEN's /healthz, its pattern
/// analytics and a HUD page, beside the bare Kestrel endpoint of ../shared/limits/kestrel started in the same run —
/// the ceiling a JSON GET has on this machine. Runs are interleaved so a slow spell of the shared machine hits all.
/// </summary>
public static partial class WebBenchmark
{
    public static async Task<IReadOnlyList<WebResult>> RunAsync(string? kestrelProject, int connections, int seconds, int runs, int signals,
        TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (!File.Exists("/usr/bin/wrk"))
        {
            throw new InvalidOperationException("wrk is not installed: apt-get install wrk");
        }

        var folder = Directory.CreateTempSubdirectory("bitten-bench-web-");
        Process? kestrel = null;
        try
        {
            string? ceiling = null;
            if (kestrelProject is not null)
            {
                log.WriteLine($"building the bare Kestrel ceiling from {kestrelProject} …");
                (kestrel, ceiling) = await StartKestrelAsync(kestrelProject, folder.FullName, cancellationToken);
            }
            else
            {
                log.WriteLine("no bare Kestrel ceiling (../shared/limits/kestrel not found; give --kestrel DIR)");
            }

            using var host = BittenHost.Build([
                $"--Storage:ConnectionString=Data Source={Path.Combine(folder.FullName, "bitten.db")}",
                "--Web:Port=0", "--Throne:Enabled=false", "--Zmq:MarketInPort=0", "--Zmq:MarketOutPort=0", "--Zmq:SignalPort=0",
                "--Zmq:CommandPort=0", "--Zmq:ConfirmPort=0", "--Zmq:EventPort=0", "--Zmq:EventInPort=0",
                "--Logging:LogLevel:Default=Warning", "--Web:RateLimit:PermitsPerMinute=0",
            ], HostRoles.Server, TextWriter.Null);
            await BittenHost.StartAsync(host, cancellationToken);
            var web = host.Services.GetServices<IHostedService>().OfType<WebRole>().Single().Urls.First().TrimEnd('/');
            var (_, token) = host.Services.GetRequiredService<UserStore>().Add(900_001, Domain.Users.Tier.Commander, Domain.Users.Role.Admin,
                Domain.Users.FireMode.Manual, null);
            await SeedSignalsAsync(web, token, signals, cancellationToken);
            log.WriteLine($"BITTEN at {web} with {signals} tracked signals; wrk -t2 -c{connections} -d{seconds}s, {runs} interleaved run(s)");

            var targets = new List<(string Name, string Url, string? Token)>();
            if (ceiling is not null)
            {
                targets.Add(("bare Kestrel /healthz", ceiling + "/healthz", null));
            }

            targets.Add(("BITTEN /healthz", web + "/healthz", null));
            targets.Add(("BITTEN /api/pattern-analytics", web + "/api/pattern-analytics?timeframe=all", token));
            targets.Add(("BITTEN HUD page", web + "/hud/M-bench", null));
            // One short pass first, not counted: the JIT and the connection pools of both servers warm up on it.
            log.WriteLine("warm-up (not counted)");
            foreach (var (name, url, auth) in targets)
            {
                await WrkAsync(name, url, auth, connections, 2, cancellationToken);
            }

            var results = new List<WebResult>();
            for (var run = 1; run <= runs; run++)
            {
                log.WriteLine($"run {run} of {runs}");
                foreach (var (name, url, auth) in targets)
                {
                    var result = await WrkAsync(name, url, auth, connections, seconds, cancellationToken);
                    results.Add(result);
                    log.WriteLine("  " + Format(result));
                }
            }

            await host.StopAsync(cancellationToken);
            return results;
        }
        finally
        {
            if (kestrel is { HasExited: false })
            {
                kestrel.Kill(entireProcessTree: true);
                await kestrel.WaitForExitAsync(CancellationToken.None);
            }

            kestrel?.Dispose();
            try
            {
                folder.Delete(recursive: true);
            }
            catch (IOException)
            {
                // The temp folder's to clean.
            }
        }
    }

    public static string Format(WebResult r) => string.Create(CultureInfo.InvariantCulture,
        $"{r.Target,-32} {r.RequestsPerSecond,10:N0} req/s  p50 {r.LatencyP50Ms,7:F2} ms  p99 {r.LatencyP99Ms,7:F2} ms  errors {r.Errors}  non-2xx {r.Non2xx}");

    /// <summary>Signals of every pattern on the bundled symbols, injected through the API as an operator would.</summary>
    private static async Task SeedSignalsAsync(string web, string token, int count, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = new Uri(web) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        string[] patterns = ["VCB_BREAKOUT", "ORDER_BLOCK_BOUNCE", "FAIR_VALUE_GAP_FILL", "LIQUIDITY_SWEEP_REVERSAL", "BB_SCALP", "KALMAN_QUICKFIRE"];
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var i = 0; i < count; i++)
        {
            var buy = i % 2 == 0;
            var entry = 1.1000 + (i % 50 * 0.0001);
            var json = string.Create(CultureInfo.InvariantCulture,
                $$"""{"signal_id":"BENCH_{{i}}","symbol":"EURUSD","direction":"{{(buy ? "BUY" : "SELL")}}","entry_price":{{entry}},"sl":{{(buy ? entry - 0.0010 : entry + 0.0010)}},"tp":{{(buy ? entry + 0.0015 : entry - 0.0015)}},"stop_pips":10,"target_pips":15,"risk_reward":1.5,"confidence":{{70 + (i % 25)}},"pattern_type":"{{patterns[i % patterns.Length]}}","timestamp":{{now - ((count - i) * 1000L)}},"expires_at":{{now + 600_000}}}""");
            using var response = await http.PostAsync(new Uri("/api/signals", UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"), cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"seeding signal {i} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }
        }
    }

    private static async Task<(Process Process, string Url)> StartKestrelAsync(string project, string folder, CancellationToken cancellationToken)
    {
        var copy = Path.Combine(folder, "kestrel");
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(project))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        var build = Process.Start(new ProcessStartInfo("dotnet", ["build", copy, "-c", "Release", "-o", Path.Combine(copy, "out"), "--nologo", "-v", "q"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("cannot start dotnet");
        var output = await build.StandardOutput.ReadToEndAsync(cancellationToken);
        await build.WaitForExitAsync(cancellationToken);
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException($"the bare Kestrel project did not build: {output}");
        }

        var port = FreePort();
        var process = Process.Start(new ProcessStartInfo("dotnet", [Path.Combine(copy, "out", "kestrel.dll"), port.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("cannot start the bare Kestrel");
        var url = $"http://127.0.0.1:{port}";
        using var http = new HttpClient();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var answer = await http.GetAsync(new Uri(url + "/healthz"), cancellationToken);
                if (answer.IsSuccessStatusCode)
                {
                    return (process, url);
                }
            }
            catch (HttpRequestException) when (deadline.Elapsed < TimeSpan.FromSeconds(30) && !process.HasExited)
            {
                // Not listening yet: it was just started.
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private static async Task<WebResult> WrkAsync(string name, string url, string? token, int connections, int seconds, CancellationToken cancellationToken)
    {
        List<string> args = ["-t2", $"-c{connections}", $"-d{seconds}s", "--latency", "--timeout", "10s"];
        if (token is not null)
        {
            args.AddRange(["-H", $"Authorization: Bearer {token}"]);
        }

        args.Add(url);
        using var wrk = Process.Start(new ProcessStartInfo("/usr/bin/wrk", args) { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException("cannot start wrk");
        var text = await wrk.StandardOutput.ReadToEndAsync(cancellationToken);
        await wrk.WaitForExitAsync(cancellationToken);
        return Parse(name, url, connections, seconds, text);
    }

    /// <summary>Reads wrk's --latency report (public for its test: the format is wrk's, not ours).</summary>
    public static WebResult Parse(string name, string url, int connections, int seconds, string wrk)
    {
        ArgumentNullException.ThrowIfNull(wrk);
        var rps = RequestsPerSecond().Match(wrk);
        if (!rps.Success)
        {
            throw new InvalidOperationException($"wrk printed no Requests/sec for {url}: {wrk}");
        }

        var errors = SocketErrors().Match(wrk) is { Success: true } e
            ? e.Groups.Cast<Group>().Skip(1).Sum(g => long.Parse(g.Value, CultureInfo.InvariantCulture))
            : 0;
        return new WebResult(name, url, connections, seconds, double.Parse(rps.Groups[1].Value, CultureInfo.InvariantCulture),
            Percentile(wrk, "50%"), Percentile(wrk, "99%"),
            RequestsDone().Match(wrk) is { Success: true } d ? long.Parse(d.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
            errors, Non2xx().Match(wrk) is { Success: true } n ? long.Parse(n.Groups[1].Value, CultureInfo.InvariantCulture) : 0);
    }

    private static double Percentile(string wrk, string label)
    {
        var match = Regex.Match(wrk, $@"^\s*{Regex.Escape(label)}\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        if (!match.Success)
        {
            return double.NaN;
        }

        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch
        {
            "us" => value / 1000,
            "s" => value * 1000,
            _ => value,
        };
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex RequestsDone();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrors();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex Non2xx();
}
