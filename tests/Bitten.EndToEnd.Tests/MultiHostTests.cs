using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Bitten.Simulation.Telegram;
using Bitten.Testing;
using Bitten.Zmq;
using Npgsql;

namespace Bitten.EndToEnd.Tests;

/// <summary>
/// The split deployment across machines, on one machine: the simulated EA in one network namespace, the bridge in a
/// second, the engine with the collector, gateway, its web and Throne in a third, PostgreSQL in a fourth, and the
/// traders' web edge with the Telegram bot in a fifth (every request of the test goes through the web edge; the bot
/// edge alone talks to the Bot API, which the test runs) — every link a real TCP connection between
/// addresses, CURVE on every ZeroMQ port (the bind addresses are not loopback). A signal
/// fires at the EA across them and its confirmation comes back; then the EA's cable is pulled for 30 s while fires go
/// out, and once it is back everything reconciles: no fire executed twice, nothing unconfirmed, slots equal positions.
/// </summary>
public sealed partial class MultiHostTests
{
    private const int Ea = 0;
    private const int Bridge = 1;
    private const int Server = 2;
    private const int Postgres = 3;
    private const int Web = 4;
    private const long Group = -100_9101;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [NamespacesFact]
    public async Task ASignalFiresAcrossMachinesAndAPulledCableIsReconciledWithoutADuplicate()
    {
        using var net = NetworkNamespaces.Create(5);
        var pg = StartPostgres(net[Postgres], net.Address(Postgres));
        try
        {
            await Run(net, pg.ConnectionString);
        }
        finally
        {
            StopPostgres(pg.Directory);
        }
    }

    private static async Task Run(NetworkNamespaces net, string pgConnection)
    {
        await using var telegram = await SimulatedBotApi.StartAsync(host: System.Net.IPAddress.Parse(net.RootAddress));
        string[] bot = [$"--Telegram:BotToken={telegram.Token}", $"--Telegram:GroupChatId={Group}"];
        string[] store = ["--Storage:Provider=postgres", $"--Storage:ConnectionString={pgConnection}"];
        var (serverPublic, serverSecret) = ZmqCurve.GenerateKeyPair();
        var curve = new Dictionary<string, string> { ["BITTEN_Zmq__CurveSecretKey"] = serverSecret };
        // ZMTP heartbeats on every link, short for the test: a pulled cable is noticed within 3 s on both sides and
        // redialled as soon as it is back; fires still unconfirmed 2 s after their send go again with a heartbeat.
        string[] ping = ["--Zmq:PingSeconds=1", "--Zmq:PingTimeoutSeconds=3"];

        string token;
        using (var add = BittenProcess.Start(["user", "add", "--telegram-id", "9101", "--tier", "COMMANDER", "--uuid", "FAR_EA", "--mode", "AUTO", "--admin", .. store]))
        {
            Assert.True(await add.WaitForExitAsync(Timeout) == 0, add.Output);
            token = add.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].Trim();
        }

        using (var set = BittenProcess.Start(["user", "set", "--telegram-id", "9101", "--band", "0-100", "--slots", "20", .. store]))
        {
            Assert.True(await set.WaitForExitAsync(Timeout) == 0, set.Output);
        }

        using var bridge = BittenProcess.Start(["run", "--roles", "bridge", $"--Zmq:BindHost={net.Address(Bridge)}", "--Zmq:MarketInPort=5556",
            "--Zmq:MarketOutPort=5560", "--Status:IntervalSeconds=1", .. ping], curve, net[Bridge]);
        await bridge.WaitForLineAsync(RunningLine(), Timeout);

        var engineWeb = $"http://{net.Address(Server)}:8888";
        using var server = BittenProcess.Start(["run", "--roles", "engine,collector,gateway,web,throne", $"--Zmq:BindHost={net.Address(Server)}",
            "--Zmq:CommandPort=5555", "--Zmq:ConfirmPort=5558", "--Zmq:SignalPort=5557", $"--Bridge:Upstream=tcp://{net.Address(Bridge)}:5560",
            $"--Web:BindHost={net.Address(Server)}", "--Web:Port=8888", "--Status:IntervalSeconds=1", "--Execution:HeartbeatGraceSeconds=2", "--Execution:ResendAfterSeconds=2", .. ping,
            // Only the test's signals: Elite Guard's own, from the replayed ticks, would leave positions open at the end.
            "--EliteGuard:GlobalThreshold=100", "--EliteGuard:TuneThreshold=false", .. bot, .. store], curve, net[Server]);
        await server.WaitForLineAsync(RunningLine(), Timeout);

        // The traders' web and the bot on a machine of their own: edges forwarding to the engine's web, the bot's on the same store.
        using var edge = BittenProcess.Start(["run", "--roles", "web,bot", $"--Web:BindHost={net.Address(Web)}", "--Web:Port=8888",
            $"--Web:Upstream={engineWeb}", $"--Telegram:ApiBaseUrl={telegram.BaseUrl}", .. bot, .. store], netns: net[Web]);
        await edge.WaitForLineAsync(RunningLine(), Timeout);
        var web = $"http://{net.Address(Web)}:8888";

        using var ea = BittenProcess.Start(["sim-ea", "--uuid", "FAR_EA", "--ticks", SharedData.Path("ticks/oanda-fx/eurusd"), "--speed", "max", "--loop",
            "--timestamps", "now", "--host", net.Address(Server), "--market-host", net.Address(Bridge), "--market-port", "5556", "--command-port", "5555",
            "--confirm-port", "5558", "--curve-server-key", serverPublic, "--SimEa:HeartbeatSeconds=1", "--SimEa:PingSeconds=1", "--SimEa:PingTimeoutSeconds=3"], netns: net[Ea]);
        await server.WaitForLineEverAsync(Connected(), Timeout);

        using var http = new HttpClient { BaseAddress = new Uri(web) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        await using var db = NpgsqlDataSource.Create(pgConnection);

        // Across the machines: each signal's fire reaches the EA, fills, hits its stop and is closed, all confirmed back.
        await InjectedSignals.PostStoppedOutBuysAsync(http, 5);
        await Settled(db, 5, server, ea);
        // The signals' announcements, stored by the engine, went out from the bot's machine.
        var announced = await telegram.WaitUntilAsync(all => all.Count(IsAnnouncement) >= 5, Timeout);
        Assert.Equal(5, announced.Count(IsAnnouncement));
        // The engine's prices came from the bridge's machine: its market feed counted the EA's ticks.
        Assert.Matches(FedTicks(), await server.WaitForLineAsync(StatusLine(), Timeout) is var status ? status.Value : "");

        // The EA's cable pulled for 30 s (the outage itself, not a wait for anything): fires go out into the cut.
        net.SetLink(Ea, up: false);
        await InjectedSignals.PostStoppedOutBuysAsync(http, 3);
        await Task.Delay(TimeSpan.FromSeconds(30));
        net.SetLink(Ea, up: true);
        var back = Stopwatch.StartNew();
        await Settled(db, 8, server, ea);
        var reconciled = back.Elapsed;

        Assert.Equal(0, await ea.TerminateAsync(Timeout));
        var stats = FinalStats().Match(ea.Output);
        Assert.True(stats.Success, ea.Output);
        // Each of the eight fires executed once at the EA (a resend after the cut would be refused by its fire id and
        // counted as repeated, never filled twice), and the store holds each once.
        Assert.Equal(8, TestPostgres.Count(db, "SELECT COUNT(*) FROM fires"));
        Assert.Equal(8, long.Parse(stats.Groups["filled"].Value, CultureInfo.InvariantCulture));
        Assert.Equal(0, long.Parse(stats.Groups["open"].Value, CultureInfo.InvariantCulture));
        Assert.Equal(0, await server.TerminateAsync(Timeout));
        Assert.Equal(0, await bridge.TerminateAsync(Timeout));
        Assert.Equal(0, await edge.TerminateAsync(Timeout));
        Console.WriteLine($"multi-host: reconciled {reconciled.TotalSeconds:0.0} s after the cable was back; EA: {stats.Value}");
    }

    /// <summary>Waits until <paramref name="fires"/> fires are stored, none is unconfirmed, no slot is held and no position open.</summary>
    private static async Task Settled(NpgsqlDataSource db, int fires, BittenProcess server, BittenProcess ea)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (TestPostgres.Count(db, "SELECT COUNT(*) FROM fires") == fires
                && TestPostgres.Count(db, "SELECT COUNT(*) FROM fires WHERE status IN ('SENT', 'PENDING')") == 0
                && TestPostgres.Count(db, "SELECT COUNT(*) FROM slots WHERE released_at_ms IS NULL") == 0
                && TestPostgres.Count(db, "SELECT COUNT(*) FROM positions WHERE closed_at_ms IS NULL") == 0)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }

        Assert.Fail($"not settled: {TestPostgres.Count(db, "SELECT COUNT(*) FROM fires")} fires (of {fires}), "
            + $"{TestPostgres.Count(db, "SELECT COUNT(*) FROM fires WHERE status IN ('SENT', 'PENDING')")} unconfirmed, "
            + $"{TestPostgres.Count(db, "SELECT COUNT(*) FROM slots WHERE released_at_ms IS NULL")} slots held, "
            + $"{TestPostgres.Count(db, "SELECT COUNT(*) FROM positions WHERE closed_at_ms IS NULL")} positions open\nserver:\n{server.Output}\nEA:\n{ea.Output}");
    }

    private static bool IsAnnouncement(SimulatedMessage message) => message.ChatId == Group && message.Text.Contains("SIGNAL", StringComparison.Ordinal);

    private static (string ConnectionString, string Directory) StartPostgres(string netns, string address)
    {
        var info = new ProcessStartInfo("bash", [Checkout.Path("scripts/postgres.sh"), "start"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["BITTEN_PG_LISTEN"] = address;
        info.Environment["BITTEN_PG_NETNS"] = netns;
        using var script = Process.Start(info)!;
        var output = script.StandardOutput.ReadToEnd();
        var error = script.StandardError.ReadToEnd();
        script.WaitForExit();
        Assert.True(script.ExitCode == 0, "PostgreSQL did not start in its namespace: " + error);
        return (Exported().Match(output).Groups["pg"].Value, DirectoryLine().Match(output).Groups["dir"].Value);
    }

    private static void StopPostgres(string directory)
    {
        using var script = Process.Start(new ProcessStartInfo("bash", [Checkout.Path("scripts/postgres.sh"), "stop", directory])
        {
            RedirectStandardError = true,
        })!;
        script.StandardError.ReadToEnd();
        script.WaitForExit();
    }


    [GeneratedRegex(@"export BITTEN_TEST_PG='(?<pg>[^']+)'")]
    private static partial Regex Exported();

    [GeneratedRegex(@"export BITTEN_PG_DIR='(?<dir>[^']+)'")]
    private static partial Regex DirectoryLine();

    [GeneratedRegex(@"^BITTEN running\.")]
    private static partial Regex RunningLine();

    [GeneratedRegex(@"EA FAR_EA connected")]
    private static partial Regex Connected();

    [GeneratedRegex(@"\| in \d+ out")]
    private static partial Regex StatusLine();

    [GeneratedRegex(@"\| in [1-9]\d* out")]
    private static partial Regex FedTicks();

    [GeneratedRegex(@"fires received (?<received>\d+), filled (?<filled>\d+), rejected \d+, repeated fire ids (?<repeated>\d+), open (?<open>\d+)")]
    private static partial Regex FinalStats();
}
