using Bitten.Domain.Events;
using System.Text;
using Bitten.Domain.Users;
using Bitten.Engine.Execution;
using Bitten.Engine.Kernel;
using Bitten.Engine.Market;
using Bitten.Gateway.Curve;
using Bitten.Gateway.Execution;
using Bitten.Testing;
using Bitten.Wire.Ea;
using Bitten.Zmq;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bitten.Gateway.Tests;

/// <summary>
/// The EA ports with CURVE on, against EAs on libzmq (the library a terminal loads): the EA holding the server's public
/// key checks in; one without CURVE and one with another server's key are never heard, cannot be sent anything (the
/// gateway never learns their identity), and each refusal is counted by port and reason.
/// </summary>
public sealed class CurveRefusalTests : IAsyncLifetime
{
    private readonly TradingKernel _kernel = new(TimeProvider.System, new MarketOptions(), new KernelOptions());
    private readonly CurveRefusals _refusals = new();
    private readonly ListLogger _log = new();
    private readonly ExecutionEvents _events = new();
    private readonly (string Public, string Secret) _server = ZmqCurve.GenerateKeyPair();
    private readonly ZmqContext _eas = new();
    private ZmqOptions _zmq = null!;
    private EaGateway _gateway = null!;

    public Task InitializeAsync()
    {
        _zmq = new ZmqOptions { CommandPort = 0, ConfirmPort = 0, CurveSecretKey = _server.Secret };
        var desk = new ExecutionDesk(TimeProvider.System, new ExecutionOptions(), new CommandOutbox(new NoJournal(), NullLogger.Instance), _events);
        foreach (var (id, uuid) in new[] { (1L, "RIGHT_KEY"), (2L, "NO_CURVE"), (3L, "WRONG_KEY") })
        {
            desk.UpsertUser(new User(id, 1000 + id, Tier.Commander, Role.User, FireMode.Manual, AutoFireSettings.Default, uuid, 0));
        }

        _kernel.Start();
        _gateway = new EaGateway(_zmq, _kernel, desk, null, _log, refusals: _refusals);
        _gateway.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _eas.Dispose();
        await _gateway.DisposeAsync();
        await _kernel.DisposeAsync();
    }

    [Fact]
    public async Task OnlyTheEaWithTheServerKeyIsHeardAndEveryRefusalIsCounted()
    {
        var (otherServer, _) = ZmqCurve.GenerateKeyPair();
        using var wrongKey = Dealer("WRONG_KEY", otherServer);
        using var wrongConfirm = Push(_gateway.ConfirmPort, otherServer);
        // Without waiting: once libzmq has dropped a refused connection a send would block for a peer that never comes.
        wrongKey.TrySend(Hello("WRONG_KEY"), dontWait: true);
        wrongConfirm.TrySend(Encoding.UTF8.GetBytes("""{"type":"pong","user_uuid":"WRONG_KEY","ping_id":"p1"}"""), dontWait: true);
        Assert.True(await RefusedUntil(() => _refusals.Of("command", CurveRefusal.WrongServerKey) > 0
                && _refusals.Of("confirm", CurveRefusal.WrongServerKey) > 0),
            "refusals counted: " + string.Join(", ", _refusals.Snapshot()) + "\n" + string.Join("\n", _log.Messages));

        // A client without CURVE reads the mechanism in the server's greeting and gives up for good (libzmq ends a session
        // on a protocol error, it does not reconnect). When it closes before the server has read its greeting, the server
        // sees only a broken pipe and counts Other: a race libzmq decides, not us. Each attempt is a fresh real client,
        // and the server must name the mismatch for one of them.
        var noCurve = new List<ZmqSocket>();
        for (var attempt = 0; attempt < 20 && _refusals.Of("command", CurveRefusal.NoCurve) == 0; attempt++)
        {
            var before = _refusals.Of("command", CurveRefusal.NoCurve) + _refusals.Of("command", CurveRefusal.Other);
            var client = Dealer("NO_CURVE", serverKey: null);
            noCurve.Add(client);
            client.TrySend(Hello("NO_CURVE"), dontWait: true);
            Assert.True(await RefusedUntil(() => _refusals.Of("command", CurveRefusal.NoCurve) + _refusals.Of("command", CurveRefusal.Other) > before),
                $"no refusal counted for CURVE-less client {attempt + 1}: " + string.Join(", ", _refusals.Snapshot()));
        }

        Assert.True(_refusals.Of("command", CurveRefusal.NoCurve) > 0, "refusals counted: " + string.Join(", ", _refusals.Snapshot()));
        Assert.True(_refusals.Of("command", CurveRefusal.Other) < noCurve.Count);

        var heard = _events.WaitFor(e => e is EaConnected { IsHello: true }, TimeSpan.FromSeconds(30));
        using var right = Dealer("RIGHT_KEY", _server.Public);
        right.Send(Hello("RIGHT_KEY"));
        Assert.Equal("RIGHT_KEY", ((EaConnected)await heard).EaUuid);
        await _kernel.FlushAsync();

        // A refused connection delivers nothing, however often libzmq retries it: one check-in (the right EA's), no pong,
        // and nothing for the refused EAs to receive, since the gateway never saw their identities.
        Assert.Equal(1, _gateway.Stats.CheckIns);
        Assert.Equal(0, _gateway.Stats.Pongs);
        Assert.All(noCurve, client => Assert.False(client.TryReceive(new byte[64], out _, out _, dontWait: true)));
        Assert.False(wrongKey.TryReceive(new byte[64], out _, out _, dontWait: true));
        Assert.True(_refusals.Total >= 3);
        noCurve.ForEach(client => client.Dispose());
    }

    [Theory]
    [InlineData("127.0.0.1", CurveMode.Auto, false)]
    [InlineData("127.0.0.9", CurveMode.Auto, false)]
    [InlineData("::1", CurveMode.Auto, false)]
    [InlineData("localhost", CurveMode.Auto, false)]
    [InlineData("0.0.0.0", CurveMode.Auto, true)]
    [InlineData("*", CurveMode.Auto, true)]
    [InlineData("10.0.0.2", CurveMode.Auto, true)]
    [InlineData("eth0", CurveMode.Auto, true)]
    [InlineData("127.0.0.1", CurveMode.On, true)]
    [InlineData("0.0.0.0", CurveMode.Off, false)]
    public void CurveIsRequiredOffLoopbackUnlessSwitchedOff(string host, CurveMode mode, bool required)
    {
        var options = new ZmqOptions { BindHost = host, Curve = mode };

        Assert.Equal(required, options.CurveRequired);
        // Without a key a required CURVE is a refusal to start, with the reason; with one the options pass.
        var errors = options.Validate().ToList();
        Assert.Equal(required, errors.Any(e => e.Contains("CURVE", StringComparison.Ordinal) && e.Contains("bitten keys generate", StringComparison.Ordinal)));
        if (mode != CurveMode.Off)
        {
            Assert.Empty(new ZmqOptions { BindHost = host, Curve = mode, CurveSecretKey = _server.Secret }.Validate());
            Assert.True(new ZmqOptions { BindHost = host, Curve = mode, CurveSecretKey = _server.Secret }.CurveEnabled);
        }
    }

    [Fact]
    public void CurveOffWithAKeyIsAContradictionNotASilentChoice()
    {
        var options = new ZmqOptions { BindHost = "0.0.0.0", Curve = CurveMode.Off, CurveSecretKey = _server.Secret };

        Assert.Contains(options.Validate(), e => e.Contains("Zmq:Curve is off but Zmq:CurveSecretKey is set", StringComparison.Ordinal));
        Assert.False(options.CurveEnabled);
        Assert.Null(options.CurvePublicKey);
    }

    [Theory]
    [InlineData(ZmqMonitorEvent.HandshakeFailedProtocol, ZmqProtocolError.Cryptographic, CurveRefusal.WrongServerKey)]
    [InlineData(ZmqMonitorEvent.HandshakeFailedProtocol, ZmqProtocolError.MechanismMismatch, CurveRefusal.NoCurve)]
    [InlineData(ZmqMonitorEvent.HandshakeFailedProtocol, 0x10000001u, CurveRefusal.Other)]
    [InlineData(ZmqMonitorEvent.HandshakeFailedNoDetail, ZmqProtocolError.Cryptographic, CurveRefusal.Other)]
    [InlineData(ZmqMonitorEvent.HandshakeFailedAuth, 400u, CurveRefusal.Other)]
    public void ARefusalIsClassifiedByItsProtocolError(ZmqMonitorEvent monitorEvent, uint value, CurveRefusal reason) =>
        Assert.Equal(reason, CurveRefusals.Classify(monitorEvent, value));

    private ZmqSocket Dealer(string uuid, string? serverKey)
    {
        var dealer = _eas.CreateSocket(ZmqSocketType.Dealer);
        dealer.Linger = 0;
        dealer.SetIdentity(Encoding.UTF8.GetBytes(uuid));
        Secure(dealer, serverKey);
        dealer.Connect(_zmq.ConnectEndpoint(_gateway.CommandPort));
        return dealer;
    }

    private ZmqSocket Push(int port, string? serverKey)
    {
        var push = _eas.CreateSocket(ZmqSocketType.Push);
        push.Linger = 0;
        Secure(push, serverKey);
        push.Connect(_zmq.ConnectEndpoint(port));
        return push;
    }

    private static void Secure(ZmqSocket socket, string? serverKey)
    {
        if (serverKey is not null)
        {
            var (clientPublic, clientSecret) = ZmqCurve.GenerateKeyPair();
            socket.SetCurveClient(serverKey, clientPublic, clientSecret);
        }
    }

    private static byte[] Hello(string uuid) => TestEas.Hello(uuid);

    /// <summary>Waits, woken by each refusal the monitor counts, until <paramref name="condition"/> holds (at most 30 s).</summary>
    private async Task<bool> RefusedUntil(Func<bool> condition)
    {
        using var counted = new SemaphoreSlim(0);
        void OnCounted() => counted.Release();
        _refusals.Counted += OnCounted;
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            for (var left = deadline - DateTime.UtcNow; !condition() && left > TimeSpan.Zero; left = deadline - DateTime.UtcNow)
            {
                await counted.WaitAsync(left);
            }

            return condition();
        }
        finally
        {
            _refusals.Counted -= OnCounted;
        }
    }

    private sealed class NoJournal : IFireJournal
    {
        public Task<IReadOnlyCollection<string>> Record(IReadOnlyList<FireOrder> newFires, Task sent) => FireLocks.NoneRefused;

        public void Sent(IReadOnlyList<FireOrder> newFires)
        {
        }

        public void MarkSent(FireOrder fire)
        {
        }

        public void Complete(IReadOnlyList<FireCompletion> completions)
        {
        }
    }
}
