using System.Text.RegularExpressions;
using Bitten.Host;
using Bitten.Host.Roles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Bitten.Browser.Tests;

/// <summary>
/// The whole system as <c>bitten run</c> starts it — engine, event log, gateway, bridge, web, Throne and the simulated
/// EA replaying the bundled real ticks — in this process, on a throwaway SQLite store and random loopback ports.
/// </summary>
internal sealed partial class BittenSystem : IAsyncDisposable
{
    private readonly DirectoryInfo _folder;
    private readonly StringWriter _output;

    private BittenSystem(IHost host, DirectoryInfo folder, StringWriter output)
    {
        Host = host;
        _folder = folder;
        _output = output;
    }

    public IHost Host { get; }

    public IServiceProvider Services => Host.Services;

    /// <summary>The trader's site, e.g. http://127.0.0.1:41234 (no trailing slash).</summary>
    public string Web => Role<WebRole>().Urls.First().TrimEnd('/');

    public string Throne => Role<ThroneRole>().Urls.First().TrimEnd('/');

    /// <summary>What the host printed for a person (the demo user's token and login link among it).</summary>
    public string Output => _output.ToString();

    /// <summary>The demo user's API token, as <c>bitten run</c> printed it.</summary>
    public string DemoToken => DemoTokenLine().Match(Output) is { Success: true } m ? m.Groups[1].Value
        : throw new InvalidOperationException($"no demo token in: {Output}");

    /// <summary>The demo user's one-time login link, as <c>bitten run</c> printed it once the web host listened.</summary>
    public string DemoLoginLink => DemoLoginLine().Match(Output) is { Success: true } m ? m.Groups[1].Value
        : throw new InvalidOperationException($"no demo login link in: {Output}");

    /// <summary>An API client on the trader's site, signed in with the demo user's (ADMIN) token.</summary>
    public HttpClient Api()
    {
        var http = new HttpClient { BaseAddress = new Uri(Web) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", DemoToken);
        return http;
    }

    public static async Task<BittenSystem> StartAsync(params string[] extra)
    {
        var folder = Directory.CreateTempSubdirectory("bitten-browser-");
        var output = new StringWriter();
        string[] args =
        [
            $"--Storage:ConnectionString=Data Source={Path.Combine(folder.FullName, "bitten.db")}",
            "--Web:Port=0", "--Throne:Port=0",
            "--Zmq:MarketInPort=0", "--Zmq:MarketOutPort=0", "--Zmq:SignalPort=0", "--Zmq:EventPort=0", "--Zmq:EventInPort=0",
            "--Zmq:CommandPort=0", "--Zmq:ConfirmPort=0",
            "--Logging:LogLevel:Default=Warning",
            .. extra,
        ];
        var host = BittenHost.Build(args, [.. HostRoles.Server, HostRole.SimulatedEa], output);
        try
        {
            await BittenHost.StartAsync(host, CancellationToken.None);
        }
        catch
        {
            host.Dispose();
            folder.Delete(recursive: true);
            throw;
        }

        return new BittenSystem(host, folder, output);
    }

    public T Role<T>()
        where T : IHostedService => Services.GetServices<IHostedService>().OfType<T>().Single();

    public async ValueTask DisposeAsync()
    {
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            await Host.StopAsync(stop.Token);
        }

        Host.Dispose();
        try
        {
            _folder.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A file still closing is the temp folder's to clean.
        }
    }

    [GeneratedRegex(@"Demo login for user \d+ [^:]*: (\S+)")]
    private static partial Regex DemoLoginLine();

    [GeneratedRegex(@"API token \(shown once\): (\S+)")]
    private static partial Regex DemoTokenLine();
}
