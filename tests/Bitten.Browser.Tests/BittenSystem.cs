using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Bitten.Gateway.Market;
using Bitten.Host;
using Bitten.Host.Roles;
using Bitten.Wire.Ea;
using Bitten.Zmq;
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

    /// <summary>How long a step of the whole system may take before the test fails (generous: two shared cores).</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The first bid and ask of each symbol the bridge publishes after this call, read from its market-data PUB as any
    /// subscriber would: each receive waits for the tick itself; the deadline only turns a hang into a failure.
    /// </summary>
    public Task<Dictionary<string, (double Bid, double Ask)>> LivePricesAsync(params string[] symbols) => Task.Run(() =>
    {
        using var context = new ZmqContext();
        using var sub = context.CreateSocket(ZmqSocketType.Sub);
        sub.Subscribe([]);
        sub.ReceiveTimeout = (int)Patience.TotalMilliseconds;
        sub.Connect($"tcp://127.0.0.1:{Services.GetRequiredService<MarketBridge>().MarketOutPort}");
        var prices = new Dictionary<string, (double Bid, double Ask)>(StringComparer.Ordinal);
        var deadline = DateTimeOffset.UtcNow + Patience;
        while (symbols.Any(s => !prices.ContainsKey(s)))
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"no tick of {string.Join(", ", symbols.Where(s => !prices.ContainsKey(s)))} within {Patience}");
            if (EaMessageParser.Parse(sub.ReceiveFrame()).Message is EaTick tick && symbols.Contains(tick.Symbol))
            {
                prices.TryAdd(tick.Symbol, (tick.Bid, tick.Ask));
            }
        }

        return prices;
    });

    /// <summary>A BUY at the live ask with SL and TP <paramref name="distance"/> away, injected as an operator would.</summary>
    public static async Task<string> InjectAsync(HttpClient api, string id, string symbol, (double Bid, double Ask) price, double distance)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var signal = new Dictionary<string, object>
        {
            ["signal_id"] = id, ["symbol"] = symbol, ["direction"] = "BUY", ["entry_price"] = price.Ask,
            ["sl"] = price.Bid - distance, ["tp"] = price.Ask + distance, ["stop_pips"] = 30, ["target_pips"] = 30, ["risk_reward"] = 1.0,
            ["confidence"] = 84, ["pattern_type"] = "ORDER_BLOCK_BOUNCE", ["timestamp"] = now, ["expires_at"] = now + (10 * 60_000),
        };
        (await api.PostAsJsonAsync("/api/signals", signal)).EnsureSuccessStatusCode();
        return id;
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
