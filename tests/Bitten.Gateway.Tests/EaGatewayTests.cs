using Bitten.Domain.Trading;
using Bitten.Domain.Events;
using System.Collections.Concurrent;
using System.Text.Json;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Domain.Users;
using Bitten.Engine.Execution;
using Bitten.Engine.Kernel;
using Bitten.Engine.Market;
using Bitten.Gateway.Execution;
using Bitten.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bitten.Gateway.Tests;

/// <summary>
/// The execution ports against a foreign EA written in Python (pyzmq DEALER with its UUID as identity, PUSH for
/// confirmations): HELLO, a fire with the right fields, a disconnect before confirming, the same fire_id again after
/// reconnecting, one position in the end; and an impostor with the same UUID that receives nothing.
/// </summary>
public sealed class EaGatewayTests : IAsyncLifetime
{
    private const string Uuid = "PY_EA_1";

    // The Python EA. Each phase prints one JSON line; the test answers on stdin when a phase needs the server.
    private const string ForeignEa = """
        import sys, json, zmq
        cmd_ep, confirm_ep, uuid = sys.argv[1:4]
        ctx = zmq.Context()
        account = {"balance": 10000.0, "equity": 10000.0, "margin": 0, "free_margin": 10000.0, "margin_level": 0,
                   "currency": "USD", "leverage": 500, "account_login": "42", "broker": "PY"}
        def hello():
            m = {"type": "HELLO", "user_uuid": uuid, "node_id": "py", "timestamp": 1, "positions": [],
                 "symbols": [{"symbol": "EURUSD", "digits": 5, "point": 0.00001, "tick_value": 1.0, "tick_size": 0.00001,
                              "volume_min": 0.01, "volume_step": 0.01, "volume_max": 50, "stops_level": 0}]}
            m.update(account)
            return json.dumps(m).encode()
        def dealer(identity):
            d = ctx.socket(zmq.DEALER)
            d.setsockopt(zmq.IDENTITY, identity.encode())
            d.setsockopt(zmq.LINGER, 0)
            d.connect(cmd_ep)
            return d
        def say(**kw):
            print(json.dumps(kw), flush=True)

        push = ctx.socket(zmq.PUSH)
        push.connect(confirm_ep)
        d = dealer(uuid)
        d.send(hello())
        say(phase="hello")
        if not d.poll(30000):
            sys.exit("no fire arrived")
        first = json.loads(d.recv())
        say(phase="fire", fire=first)
        d.close()   # gone before confirming: the terminal restarted

        # Reconnect as a real EA does: a fresh connection and HELLO until the unconfirmed fire comes again.
        again = None
        for attempt in range(40):
            d = dealer(uuid)
            d.send(hello())
            if d.poll(1000):
                again = json.loads(d.recv())
                break
            d.close()
        if again is None:
            sys.exit("the fire was not resent")
        confirmation = {"type": "confirmation", "fire_id": again["fire_id"], "user_uuid": uuid, "node_id": "py",
                        "status": "success", "ticket": 555001, "price": 1.10012, "lot": again["lot"], "message": "filled",
                        "timestamp": 2}
        confirmation.update(account)
        push.send(json.dumps(confirmation).encode())
        say(phase="resent", fire=again)

        # An impostor claiming the same UUID while the real EA is connected.
        impostor = dealer(uuid)
        impostor.send(hello())
        # And a connection with another identity claiming this UUID.
        liar = dealer("SOMEONE_ELSE")
        liar.send(hello())
        say(phase="impostors")
        sys.stdin.readline()   # the server sends a close to this EA now
        if not d.poll(30000):
            sys.exit("the real EA got no close")
        close = json.loads(d.recv())
        got = 1 if impostor.poll(1500) else 0
        say(phase="close", close=close, impostor_received=got)
        """;

    private readonly TradingKernel _kernel = new(TimeProvider.System, new MarketOptions(), new KernelOptions());
    private readonly ExecutionEvents _events = new();
    private readonly Journal _journal = new();
    private ExecutionDesk _desk = null!;
    private EaGateway _gateway = null!;
    private CommandOutbox _outbox = null!;
    private ZmqOptions _zmq = null!;

    public Task InitializeAsync()
    {
        _zmq = new ZmqOptions { CommandPort = 0, ConfirmPort = 0 };
        _outbox = new CommandOutbox(_journal, NullLogger.Instance);
        _desk = new ExecutionDesk(TimeProvider.System, new ExecutionOptions(), _outbox, _events);
        _desk.UpsertUser(new User(1, 1001, Tier.Commander, Role.User, FireMode.Auto, AutoFireSettings.Default with { RiskPercent = 1m }, Uuid, 0));
        _kernel.Start();
        _gateway = new EaGateway(_zmq, _kernel, _desk, null, NullLogger.Instance);
        _gateway.Start();
        _outbox.Start(_gateway);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _outbox.DisposeAsync();
        await _gateway.DisposeAsync();
        await _kernel.DisposeAsync();
    }

    [Fact]
    public async Task AForeignEaGetsItsFireOnceEvenAcrossAReconnectAndAnImpostorGetsNothing()
    {
        var connected = _events.WaitFor(e => e is EaConnected { IsHello: true });
        using var ea = PyZmq.Start(ForeignEa, _zmq.ConnectEndpoint(_gateway.CommandPort), _zmq.ConnectEndpoint(_gateway.ConfirmPort), Uuid);
        var lines = new Lines(ea);
        Assert.Equal("hello", (await lines.Next()).GetProperty("phase").GetString());
        await connected;

        // A signal inside the user's band: auto-fire sends it to this EA.
        var signal = TestEas.BbScalpBuy(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        Assert.True(await _kernel.AskAsync(() => _desk.Accept(signal)));

        var fire = (await lines.Next()).GetProperty("fire");
        Assert.Equal("fire", fire.GetProperty("type").GetString());
        Assert.Equal(Uuid, fire.GetProperty("target_uuid").GetString());
        Assert.Equal("EURUSD", fire.GetProperty("symbol").GetString());
        Assert.Equal("BUY", fire.GetProperty("direction").GetString());
        Assert.Equal(1.09800, fire.GetProperty("sl").GetDouble());
        Assert.Equal(1.10300, fire.GetProperty("tp").GetDouble());
        // 1 % of 10,000 over a 20-pip stop at $1 per point per lot: 100 / 200 = 0.50 lot, from the EA's own specs.
        Assert.Equal(0.5m, fire.GetProperty("lot").GetDecimal());
        var fireId = fire.GetProperty("fire_id").GetString()!;
        Assert.NotEqual(signal.SignalId, fireId);

        var filled = _events.WaitFor(e => e is FireFilled);
        var resent = await lines.Next();
        Assert.Equal(fireId, resent.GetProperty("fire").GetProperty("fire_id").GetString());
        await filled;

        var positions = await _kernel.AskAsync(() => _desk.PositionsOf(1));
        var position = Assert.Single(positions);
        Assert.Equal(555001, position.Ticket);
        Assert.Equal(fireId, position.FireId);
        Assert.Equal(["stored " + fireId, "filed " + fireId, "sent again " + fireId, "completed " + fireId + " filled"], _journal.Log);

        // Impostors: the same UUID on a second connection, and another identity claiming it.
        Assert.Equal("impostors", (await lines.Next()).GetProperty("phase").GetString());
        var refused = await WaitUntil(() => _gateway.Stats.Impostors == 1);
        Assert.True(refused, "the connection claiming another EA's UUID was not refused");
        Assert.Equal(1, await _kernel.AskAsync(() => _desk.Close(1, 555001, null, all: false)));
        await ea.StandardInput.WriteLineAsync("go");
        await ea.StandardInput.FlushAsync();

        var close = await lines.Next();
        Assert.Equal("close_ticket", close.GetProperty("close").GetProperty("type").GetString());
        Assert.Equal(555001, close.GetProperty("close").GetProperty("ticket").GetInt64());
        Assert.Equal(0, close.GetProperty("impostor_received").GetInt32());
        await ea.WaitForExitAsync();
        Assert.Equal(0, ea.ExitCode);
    }

    /// <summary>Waits for a gateway counter by draining the kernel (which the gateway posts to) until it holds.</summary>
    private async Task<bool> WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await _kernel.FlushAsync();
            await Task.Yield();
        }

        return condition();
    }

    private sealed class Journal : IFireJournal
    {
        private readonly ConcurrentQueue<string> _log = new();

        public List<string> Log => [.. _log];

        public Task<IReadOnlyCollection<string>> Record(IReadOnlyList<FireOrder> newFires, Task sent)
        {
            foreach (var fire in newFires)
            {
                _log.Enqueue("stored " + fire.FireId);
            }

            return FireLocks.NoneRefused;
        }

        public void Sent(IReadOnlyList<FireOrder> newFires)
        {
            foreach (var fire in newFires)
            {
                _log.Enqueue("filed " + fire.FireId);
            }
        }

        public void MarkSent(FireOrder fire) => _log.Enqueue("sent again " + fire.FireId);

        public void Complete(IReadOnlyList<FireCompletion> completions)
        {
            foreach (var c in completions)
            {
                _log.Enqueue($"completed {c.FireId} {(c.Filled ? "filled" : "failed")}");
            }
        }
    }

    /// <summary>The Python EA's stdout, one JSON line at a time, failing with its stderr if it dies.</summary>
    private sealed class Lines(System.Diagnostics.Process process)
    {
        public async Task<JsonElement> Next()
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            if (line is null)
            {
                throw new InvalidOperationException("the Python EA stopped: " + await process.StandardError.ReadToEndAsync());
            }

            return JsonDocument.Parse(line).RootElement.Clone();
        }
    }
}
