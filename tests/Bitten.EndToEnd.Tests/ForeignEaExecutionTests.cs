using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bitten.Testing;

namespace Bitten.EndToEnd.Tests;

/// <summary>
/// The whole server as an operator runs it (`bitten run --no-sim`) with a user added by `bitten user add`, and a foreign
/// EA in Python: HELLO on the command port, an injected signal through the API, the auto-fire arriving at this EA with
/// the right fields, its confirmation, and the position visible in /api/positions.
/// </summary>
public sealed partial class ForeignEaExecutionTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private const string Ea = """
        import sys, json, zmq
        cmd_ep, confirm_ep, uuid = sys.argv[1:4]
        ctx = zmq.Context()
        account = {"balance": 10000.0, "equity": 10000.0, "margin": 0, "free_margin": 10000.0, "margin_level": 0,
                   "currency": "USD", "leverage": 500, "account_login": "42", "broker": "PY"}
        d = ctx.socket(zmq.DEALER)
        d.setsockopt(zmq.IDENTITY, uuid.encode())
        d.setsockopt(zmq.LINGER, 0)
        d.connect(cmd_ep)
        push = ctx.socket(zmq.PUSH)
        push.connect(confirm_ep)
        hello = {"type": "HELLO", "user_uuid": uuid, "node_id": "py", "timestamp": 1, "positions": [],
                 "symbols": [{"symbol": "EURUSD", "digits": 5, "point": 0.00001, "tick_value": 1.0, "tick_size": 0.00001,
                              "volume_min": 0.01, "volume_step": 0.01, "volume_max": 50, "stops_level": 0}]}
        hello.update(account)
        d.send(json.dumps(hello).encode())
        print(json.dumps({"phase": "hello"}), flush=True)
        if not d.poll(60000):
            sys.exit("no fire arrived")
        fire = json.loads(d.recv())
        confirmation = {"type": "confirmation", "fire_id": fire["fire_id"], "user_uuid": uuid, "node_id": "py",
                        "status": "success", "ticket": 777001, "price": 1.10011, "lot": fire["lot"], "message": "filled",
                        "timestamp": 2}
        confirmation.update(account)
        push.send(json.dumps(confirmation).encode())
        print(json.dumps({"phase": "confirmed", "fire": fire}), flush=True)
        """;

    private readonly StoreFile _store = new("bitten-foreign-ea-");

    private string Store => _store.Argument;

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task AnInjectedSignalIsFiredToTheUsersOwnEaAndItsFillShowsInThePositions()
    {
        using var add = BittenProcess.Start(["user", "add", "--telegram-id", "7001", "--tier", "COMMANDER", "--uuid", "PY_EA_7", "--mode", "AUTO", "--admin", Store]);
        Assert.Equal(0, await add.WaitForExitAsync(Timeout));
        var token = add.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].Trim();

        var command = TestPorts.Next();
        var confirm = TestPorts.Next();
        using var bitten = BittenProcess.Start(["run", "--no-sim", Store, "--Zmq:MarketInPort=0", "--Zmq:MarketOutPort=0", "--Zmq:SignalPort=0",
            $"--Zmq:CommandPort={command}", $"--Zmq:ConfirmPort={confirm}", "--Web:Port=0", "--Throne:Port=0", "--Status:IntervalSeconds=1"]);
        var web = (await bitten.WaitForLineAsync(WebUrl(), Timeout)).Groups["url"].Value;
        using var http = new HttpClient { BaseAddress = new Uri(web) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var ea = PyZmq.Start(Ea, $"tcp://127.0.0.1:{command}", $"tcp://127.0.0.1:{confirm}", "PY_EA_7");
        Assert.Equal("hello", (await NextLine(ea)).GetProperty("phase").GetString());
        await bitten.WaitForLineAsync(Connected(), Timeout);

        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var signalId = $"ELITE_RAPID_BB_SCALP_EURUSD_{now}";
        var signal = string.Create(CultureInfo.InvariantCulture, $$"""
            {"signal_id":"{{signalId}}","symbol":"EURUSD","direction":"BUY","entry_price":1.10000,"sl":1.09800,"tp":1.10300,
             "stop_pips":20,"target_pips":30,"risk_reward":1.5,"confidence":85,"pattern_type":"BB_SCALP","signal_class":"RAPID",
             "citadel_score":7,"session":"LONDON","timestamp":{{now}},"expires_at":{{now + 1_800_000}}}
            """);
        using var injected = await http.PostAsync(new Uri("/api/signals", UriKind.Relative), new StringContent(signal, Encoding.UTF8, "application/json"));
        Assert.True(injected.IsSuccessStatusCode, await injected.Content.ReadAsStringAsync());

        var confirmed = await NextLine(ea);
        var fire = confirmed.GetProperty("fire");
        Assert.Equal("fire", fire.GetProperty("type").GetString());
        Assert.Equal("PY_EA_7", fire.GetProperty("target_uuid").GetString());
        Assert.Equal("EURUSD", fire.GetProperty("symbol").GetString());
        Assert.Equal("BUY", fire.GetProperty("direction").GetString());
        Assert.Equal(1.09800, fire.GetProperty("sl").GetDouble());
        Assert.Equal(1.10300, fire.GetProperty("tp").GetDouble());
        Assert.Equal(0, fire.GetProperty("entry").GetDouble());
        // 5 % of 10,000 over a 20-pip stop at $1 per point per lot (the EA's own specs): 500 / 200 = 2.50 lot.
        Assert.Equal(2.5m, fire.GetProperty("lot").GetDecimal());
        var fireId = fire.GetProperty("fire_id").GetString();
        Assert.NotEqual(signalId, fireId);

        // The confirmation travels EA → PUSH → gateway → kernel; the API shows the position once it has landed.
        var positions = await Until(async () => await http.GetFromJsonAsync<JsonElement>(new Uri("/api/positions", UriKind.Relative)),
            p => p.GetArrayLength() > 0);
        var position = Assert.Single(positions.EnumerateArray());
        Assert.Equal(777001, position.GetProperty("ticket").GetInt64());
        Assert.Equal(fireId, position.GetProperty("fire_id").GetString());

        var missions = await http.GetFromJsonAsync<JsonElement>(new Uri("/api/missions", UriKind.Relative));
        Assert.Equal("FILLED", Assert.Single(missions.EnumerateArray()).GetProperty("status").GetString());
        await ea.WaitForExitAsync();

        // The operator's emergency stop from the command line reaches the running server, and resume lifts it.
        using (var stop = BittenProcess.Start(["stop", "--soft", "--url", web, "--token", token]))
        {
            Assert.True(await stop.WaitForExitAsync(Timeout) == 0, stop.Output);
        }

        var account = await http.GetFromJsonAsync<JsonElement>(new Uri("/api/account", UriKind.Relative));
        Assert.Equal("SOFT", account.GetProperty("emergency_stop").GetString());
        using (var resume = BittenProcess.Start(["resume", "--url", web], new Dictionary<string, string> { ["BITTEN_API_TOKEN"] = token }))
        {
            Assert.True(await resume.WaitForExitAsync(Timeout) == 0, resume.Output);
        }

        account = await http.GetFromJsonAsync<JsonElement>(new Uri("/api/account", UriKind.Relative));
        Assert.Equal("NONE", account.GetProperty("emergency_stop").GetString());
        Assert.Equal(0, await bitten.TerminateAsync(Timeout));
    }

    /// <summary>Re-reads an observable until it holds (each read is a real request), for at most a minute.</summary>
    private static async Task<T> Until<T>(Func<Task<T>> read, Func<T, bool> holds)
    {
        var deadline = DateTime.UtcNow + Timeout;
        var value = await read();
        while (!holds(value) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50));
            value = await read();
        }

        return value;
    }

    private static async Task<JsonElement> NextLine(System.Diagnostics.Process process)
    {
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(Timeout)
            ?? throw new InvalidOperationException("the Python EA stopped: " + await process.StandardError.ReadToEndAsync());
        return JsonDocument.Parse(line).RootElement.Clone();
    }

    [GeneratedRegex(@"web (?<url>http://127\.0\.0\.1:\d+)")]
    private static partial Regex WebUrl();

    [GeneratedRegex(@"EA PY_EA_7 connected")]
    private static partial Regex Connected();
}
