using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bitten.Testing;

namespace Bitten.EndToEnd.Tests;

/// <summary>
/// Crash-only recovery: a real `bitten run` is killed with SIGKILL in the middle of auto-fire traffic to a simulated EA
/// in its own process, and started again on the same store. Every stored fire reaches the EA exactly once (the EA
/// counts every fire command it receives, so its fire_id dedup cannot hide a repeated send), none stays unconfirmed,
/// and the slots in use equal the open positions.
/// </summary>
public sealed partial class CrashRecoveryTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private readonly StoreFile _store = new("bitten-crash-");
    private readonly int _command = TestPorts.Next();
    private readonly int _confirm = TestPorts.Next();
    private readonly int _market = TestPorts.Next();

    private string Store => _store.Argument;

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task AServerKilledMidTrafficLosesNoFireAndSendsNoneTwice()
    {
        using (var add = BittenProcess.Start(["user", "add", "--telegram-id", "9001", "--tier", "COMMANDER", "--uuid", "CRASH_EA", "--mode", "AUTO", "--admin", Store]))
        {
            Assert.Equal(0, await add.WaitForExitAsync(Timeout));
            _token = add.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].Trim();
        }

        using (var set = BittenProcess.Start(["user", "set", "--telegram-id", "9001", "--band", "0-100", "--slots", "20", Store]))
        {
            Assert.Equal(0, await set.WaitForExitAsync(Timeout));
        }

        using var ea = BittenProcess.Start(["sim-ea", "--uuid", "CRASH_EA", "--ticks", SharedData.Path("ticks/oanda-fx/eurusd"), "--speed", "max", "--loop", "--timestamps", "now",
            "--market-port", Port(_market), "--command-port", Port(_command), "--confirm-port", Port(_confirm), "--SimEa:HeartbeatSeconds=1"]);

        // First life: traffic, then SIGKILL right after the last signal is accepted — fires are in flight.
        var first = await StartServer();
        await first.Process.WaitForLineEverAsync(Connected(), Timeout);
        // Ten signals, and their fires filed in the store, before the last five go in right before the kill: what the
        // kill cuts short is those five (their fires may or may not have been committed), never the whole traffic.
        await Traffic(first.Web, 10);
        var filed = DateTime.UtcNow + Timeout;
        while (StoredFires() < 8 && DateTime.UtcNow < filed)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }

        await Traffic(first.Web, 5);
        await first.Process.KillAsync(Timeout);
        var firstOutput = first.Process.Output;
        first.Process.Dispose();

        // Second life on the same store: it resumes, the EA's connection comes back by itself, traffic goes on.
        var second = await StartServer();
        await second.Process.WaitForLineEverAsync(Restored(), Timeout);
        await second.Process.WaitForLineEverAsync(Connected(), Timeout);
        await Traffic(second.Web, 5);

        // Quiet: nothing unconfirmed in the store, and slots equal open positions.
        using var http = Client(second.Web);
        var settled = false;
        var deadline = DateTime.UtcNow + Timeout;
        var open = -1;
        while (!settled && DateTime.UtcNow < deadline)
        {
            var account = await http.GetFromJsonAsync<JsonElement>(new Uri("/api/account", UriKind.Relative));
            var positions = await http.GetFromJsonAsync<JsonElement>(new Uri("/api/positions", UriKind.Relative));
            open = positions.GetArrayLength();
            // Every position here closes on its next quote, so quiet means none open and nothing in flight.
            // The store's projections agree with the kernel: no slot held and no position open there either.
            settled = Unconfirmed() == 0 && open == 0 && account.GetProperty("slots").GetProperty("used").GetInt32() == 0
                && Scalar("SELECT COUNT(*) FROM slots WHERE released_at_ms IS NULL") == 0
                && Scalar("SELECT COUNT(*) FROM positions WHERE closed_at_ms IS NULL") == 0;
            if (!settled)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100));
            }
        }

        Assert.True(settled, $"still {Unconfirmed()} unconfirmed fires, or slots differ from positions (projections: " +
            $"{Scalar("SELECT COUNT(*) FROM slots WHERE released_at_ms IS NULL")} slots held, {Scalar("SELECT COUNT(*) FROM positions WHERE closed_at_ms IS NULL")} positions open):\n{HeldDiagnosis()}\n{second.Process.Output}");
        Assert.True(Scalar("SELECT COUNT(*) FROM slots") >= StoredFires() / 2, "the slots projection missed most fires");

        // Analytics count the first life's signals too (the history is rebuilt from the event log), and every signal
        // resolves: the ones the checkpoint was tracking and the ones raised after it alike. Each of these lost.
        var scalp = default(JsonElement);
        for (var resolved = false; !resolved && DateTime.UtcNow < deadline;)
        {
            var analytics = await http.GetFromJsonAsync<JsonElement>(new Uri("/api/pattern-analytics?timeframe=all", UriKind.Relative));
            scalp = analytics.GetProperty("patterns").GetProperty("BB_SCALP");
            resolved = scalp.GetProperty("open").GetInt32() == 0;
            if (!resolved)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100));
            }
        }

        Assert.True(scalp.GetProperty("open").GetInt32() == 0, $"{scalp}\n{second.Process.Output}");
        // Every signal the API accepted is stored before the answer, so all twenty survive the kill and resolve.
        var signalCount = scalp.GetProperty("signals").GetInt32();
        Assert.Equal(20, signalCount);
        Assert.Equal(signalCount, scalp.GetProperty("losses").GetInt32());
        // Twenty resolved losses switch the pattern off by its record (the Wilson rule needs at least twenty).
        Assert.True(scalp.GetProperty("disabled").GetBoolean() == (signalCount >= 20), scalp.ToString());

        // The admin override of auto-disable answers with the pattern's state.
        using var keep = await http.PostAsync(new Uri("/api/patterns/BB_SCALP", UriKind.Relative),
            new StringContent("""{"keep_on":true}""", Encoding.UTF8, "application/json"));
        Assert.True(keep.IsSuccessStatusCode, await keep.Content.ReadAsStringAsync());
        Assert.False((await keep.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("disabled").GetBoolean());
        Assert.Equal(0, await second.Process.TerminateAsync(Timeout));
        Assert.Equal(0, await ea.TerminateAsync(Timeout));

        // A third start keeps the admin's override: it is an event in the log, replayed at start.
        var third = await StartServer();
        await third.Process.WaitForLineEverAsync(KeptOn(), Timeout);
        using (var thirdHttp = Client(third.Web))
        {
            var analytics = await thirdHttp.GetFromJsonAsync<JsonElement>(new Uri("/api/pattern-analytics?timeframe=all", UriKind.Relative));
            Assert.False(analytics.GetProperty("patterns").GetProperty("BB_SCALP").GetProperty("disabled").GetBoolean(), analytics.ToString());
        }

        Assert.Equal(0, await third.Process.TerminateAsync(Timeout));

        var stats = FinalStats().Match(ea.Output);
        Assert.True(stats.Success, ea.Output);
        var received = long.Parse(stats.Groups["received"].Value, CultureInfo.InvariantCulture);
        var repeated = long.Parse(stats.Groups["repeated"].Value, CultureInfo.InvariantCulture);
        var stored = StoredFires();
        Assert.True(stored >= 10, $"only {stored} fires were made: the traffic was too thin to test anything");
        Assert.True(repeated == 0, $"the EA was sent {repeated} fire ids it had already had; server (second life):\n{second.Process.Output}\n\nfirst life:\n{firstOutput}");
        Assert.Equal(stored, received);
        Assert.True(open == int.Parse(stats.Groups["open"].Value, CultureInfo.InvariantCulture), $"the server holds {open} positions; the EA says:\n{ea.Output}");
    }

    private string _token = "";

    private async Task<(BittenProcess Process, string Web)> StartServer()
    {
        var process = BittenProcess.Start(["run", "--no-sim", Store, $"--Zmq:MarketInPort={_market}", "--Zmq:MarketOutPort=0", "--Zmq:SignalPort=0",
            $"--Zmq:CommandPort={_command}", $"--Zmq:ConfirmPort={_confirm}", "--Web:Port=0", "--Throne:Port=0", "--Status:IntervalSeconds=1",
            "--Execution:HeartbeatGraceSeconds=2",
            // Only the test's signals: Elite Guard's own (from the replayed ticks) would fire too and leave positions
            // whose stops straddle the price open at the end.
            "--EliteGuard:GlobalThreshold=100", "--EliteGuard:TuneThreshold=false"]);
        var web = (await process.WaitForLineAsync(WebUrl(), Timeout)).Groups["url"].Value;
        return (process, web);
    }

    private HttpClient Client(string web)
    {
        var http = new HttpClient { BaseAddress = new Uri(web) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        return http;
    }

    private async Task Traffic(string web, int count)
    {
        using var http = Client(web);
        await InjectedSignals.PostStoppedOutBuysAsync(http, count);
    }

    private long Unconfirmed() => Scalar("SELECT COUNT(*) FROM fires WHERE status = 'SENT' OR status = 'PENDING'");

    private long StoredFires() => Scalar("SELECT COUNT(*) FROM fires");

    /// <summary>For a failure message: each slot the projection holds and each fire still unconfirmed, with the events of its fire.</summary>
    private string HeldDiagnosis() => string.Join('\n', _store.Column("""
        SELECT h.fire_id || ': ' || COALESCE(group_concat(e.event_type || '@' || e.timestamp_ms || ' ' || e.data_json, ' | '), '')
        FROM (SELECT fire_id FROM slots WHERE released_at_ms IS NULL
              UNION SELECT fire_id FROM fires WHERE status IN ('SENT', 'PENDING')) h
        LEFT JOIN events_json e ON e.data_json LIKE '%' || h.fire_id || '%'
        GROUP BY h.fire_id
        """));

    private long Scalar(string sql) => _store.Scalar(sql);

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"web (?<url>http://127\.0\.0\.1:\d+)")]
    private static partial Regex WebUrl();

    [GeneratedRegex(@"EA CRASH_EA connected")]
    private static partial Regex Connected();

    [GeneratedRegex(@"kept on by an admin: BB_SCALP")]
    private static partial Regex KeptOn();

    [GeneratedRegex(@"Restored \d+ live missions")]
    private static partial Regex Restored();

    [GeneratedRegex(@"fires received (?<received>\d+), filled \d+, rejected \d+, repeated fire ids (?<repeated>\d+), open (?<open>\d+)")]
    private static partial Regex FinalStats();
}
