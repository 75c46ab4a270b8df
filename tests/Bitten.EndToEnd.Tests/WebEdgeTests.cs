using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bitten.Testing;
using Npgsql;

namespace Bitten.EndToEnd.Tests;

/// <summary>
/// Web instances apart from the engine, as an operator deploys them: the engine (with bridge, collector, gateway and
/// its web) on PostgreSQL, two <c>bitten run --roles web</c> edges forwarding to it, and the simulated EA. A signal's
/// mission is fired through both edges at once: one answer is the fire, the other is <c>already_fired</c>, and
/// exactly one fire is stored and reaches the EA. The Commander Throne through a Throne edge answers the admin and
/// refuses anyone else, as the engine's own does. An edge whose engine is gone answers 502 with the reason.
/// </summary>
public sealed partial class WebEdgeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [PostgresStoreFact]
    public async Task TwoEdgesGivenTheSameFireAtOnceMakeOneFireAtTheEa()
    {
        var (connection, drop) = TestPostgres.Fresh("bitten_edge_");
        try
        {
            await Run(connection);
        }
        finally
        {
            drop();
        }
    }

    private static async Task Run(string pg)
    {
        string[] store = ["--Storage:Provider=postgres", $"--Storage:ConnectionString={pg}"];
        string token;
        using (var add = BittenProcess.Start(["user", "add", "--telegram-id", "9201", "--tier", "COMMANDER", "--uuid", "EDGE_EA", "--mode", "MANUAL", "--admin", .. store]))
        {
            Assert.True(await add.WaitForExitAsync(Timeout) == 0, add.Output);
            token = add.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].Trim();
        }

        var (marketIn, command, confirm, web) = (TestPorts.Next(), TestPorts.Next(), TestPorts.Next(), TestPorts.Next());
        var (throne, throneEdgePort) = (TestPorts.Next(), TestPorts.Next());
        using var engine = BittenProcess.Start(["run", "--roles", "bridge,engine,collector,gateway,web,throne", $"--Throne:Port={throne}", $"--Zmq:MarketInPort={marketIn}",
            "--Zmq:MarketOutPort=0", "--Zmq:SignalPort=0", "--Zmq:EventPort=0", "--Zmq:EventInPort=0", $"--Zmq:CommandPort={command}",
            $"--Zmq:ConfirmPort={confirm}", $"--Web:Port={web}", "--Status:IntervalSeconds=1",
            // Only the test's signal: Elite Guard's own, from the replayed ticks, would make missions of their own.
            "--EliteGuard:GlobalThreshold=100", "--EliteGuard:TuneThreshold=false", .. store]);
        await engine.WaitForLineAsync(RunningLine(), Timeout);
        using var ea = BittenProcess.Start(["sim-ea", "--uuid", "EDGE_EA", "--ticks", SharedData.Path("ticks/oanda-fx/eurusd"), "--speed", "max", "--loop",
            "--timestamps", "now", "--host", "127.0.0.1", "--market-port", marketIn.ToString(CultureInfo.InvariantCulture),
            "--command-port", command.ToString(CultureInfo.InvariantCulture), "--confirm-port", confirm.ToString(CultureInfo.InvariantCulture),
            "--SimEa:HeartbeatSeconds=1"]);
        await engine.WaitForLineEverAsync(Connected(), Timeout);

        var edgePorts = new[] { TestPorts.Next(), TestPorts.Next() };
        using var first = Edge(edgePorts[0], web);
        using var second = Edge(edgePorts[1], web);
        foreach (var edge in new[] { first, second })
        {
            await edge.WaitForLineAsync(RunningLine(), Timeout);
            Assert.Matches(EdgeLine(), edge.Output);
        }

        using var throneEdge = BittenProcess.Start(["run", "--roles", "throne", $"--Throne:Port={throneEdgePort}", $"--Throne:Upstream=http://127.0.0.1:{throne}"]);
        await throneEdge.WaitForLineAsync(RunningLine(), Timeout);
        Assert.Matches(ThroneEdgeLine(), throneEdge.Output);
        using (var admin = Client(throneEdgePort, token))
        using (var anonymous = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{throneEdgePort}") })
        {
            using var seen = await admin.GetAsync(new Uri("/api/throne", UriKind.Relative));
            using var refusedThrone = await anonymous.GetAsync(new Uri("/api/throne", UriKind.Relative));
            Assert.True(seen.StatusCode == HttpStatusCode.OK, await seen.Content.ReadAsStringAsync());
            Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(await seen.Content.ReadAsStringAsync()).RootElement.ValueKind);
            Assert.Equal(HttpStatusCode.Unauthorized, refusedThrone.StatusCode);
        }

        Assert.Equal(0, await throneEdge.TerminateAsync(Timeout));

        using var one = Client(edgePorts[0], token);
        using var two = Client(edgePorts[1], token);
        await InjectedSignals.PostStoppedOutBuysAsync(one, 1);
        var mission = await PendingMission(two);

        // The same FIRE at both edges at once: the engine decides, once.
        var body = $$"""{"mission_id":"{{mission}}"}""";
        var answers = await Task.WhenAll(one.PostAsync(new Uri("/api/fire", UriKind.Relative), Json(body)),
            two.PostAsync(new Uri("/api/fire", UriKind.Relative), Json(body)));
        var texts = await Task.WhenAll(answers.Select(a => a.Content.ReadAsStringAsync()));
        var statuses = answers.Select(a => a.StatusCode).Order().ToList();
        Assert.True(statuses.SequenceEqual([HttpStatusCode.OK, HttpStatusCode.Conflict]), string.Join("\n", texts));
        var refused = texts[Array.FindIndex(answers, a => a.StatusCode == HttpStatusCode.Conflict)];
        Assert.Equal("already_fired", JsonDocument.Parse(refused).RootElement.GetProperty("error").GetString());

        await using var db = NpgsqlDataSource.Create(pg);
        await Settled(db, engine);
        Assert.Equal(1, TestPostgres.Count(db, $"SELECT COUNT(*) FROM fires WHERE mission_id = '{mission}'"));
        Assert.Equal(1, TestPostgres.Count(db, $"SELECT COUNT(*) FROM fire_locks WHERE mission_id = '{mission}'"));
        Assert.Equal(0, await ea.TerminateAsync(Timeout));
        var stats = FinalStats().Match(ea.Output);
        Assert.True(stats.Success, ea.Output);
        Assert.Equal(("1", "1", "0"), (stats.Groups["received"].Value, stats.Groups["filled"].Value, stats.Groups["repeated"].Value));

        // The engine gone, an edge says so in the API's shape instead of hanging or answering an empty 502.
        Assert.Equal(0, await engine.TerminateAsync(Timeout));
        using var down = await one.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadGateway, down.StatusCode);
        Assert.Equal("engine_unreachable", JsonDocument.Parse(await down.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
        Assert.Equal(0, await first.TerminateAsync(Timeout));
        Assert.Equal(0, await second.TerminateAsync(Timeout));
    }

    private static BittenProcess Edge(int port, int upstream) =>
        BittenProcess.Start(["run", "--roles", "web", $"--Web:Port={port}", $"--Web:Upstream=http://127.0.0.1:{upstream}"]);

    private static HttpClient Client(int port, string token)
    {
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>The caller's pending mission, read through an edge once the engine has made it (it answers the signal's POST first).</summary>
    private static async Task<string> PendingMission(HttpClient http)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (DateTime.UtcNow < deadline)
        {
            using var response = await http.GetAsync(new Uri("/api/missions", UriKind.Relative));
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            using var missions = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            foreach (var mission in missions.RootElement.EnumerateArray())
            {
                if (mission.GetProperty("status").GetString() == "PENDING")
                {
                    return mission.GetProperty("mission_id").GetString()!;
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        throw new TimeoutException("no pending mission appeared");
    }

    /// <summary>Waits until the one fire is stored and confirmed and its position closed (the stop is hit on the next quote).</summary>
    private static async Task Settled(NpgsqlDataSource db, BittenProcess engine)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (TestPostgres.Count(db, "SELECT COUNT(*) FROM fires") == 1
                && TestPostgres.Count(db, "SELECT COUNT(*) FROM fires WHERE status IN ('SENT', 'PENDING')") == 0
                && TestPostgres.Count(db, "SELECT COUNT(*) FROM positions WHERE closed_at_ms IS NULL") == 0)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }

        Assert.Fail($"not settled: {TestPostgres.Count(db, "SELECT COUNT(*) FROM fires")} fires\n{engine.Output}");
    }

    [GeneratedRegex(@"^BITTEN running\.")]
    private static partial Regex RunningLine();

    [GeneratedRegex(@"web http://127\.0\.0\.1:\d+ \(an edge: every request goes to the engine's web at http://127\.0\.0\.1:\d+\)")]
    private static partial Regex EdgeLine();

    [GeneratedRegex(@"Throne edge: every request goes to the engine's Throne at http://127\.0\.0\.1:\d+")]
    private static partial Regex ThroneEdgeLine();

    [GeneratedRegex(@"EA EDGE_EA connected")]
    private static partial Regex Connected();

    [GeneratedRegex(@"fires received (?<received>\d+), filled (?<filled>\d+), rejected \d+, repeated fire ids (?<repeated>\d+), open \d+")]
    private static partial Regex FinalStats();
}
