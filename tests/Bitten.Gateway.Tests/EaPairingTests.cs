using Bitten.Domain.Events;
using System.Text;
using Bitten.Domain.Primitives;
using Bitten.Domain.Users;
using Bitten.Engine.Execution;
using Bitten.Engine.Kernel;
using Bitten.Engine.Market;
using Bitten.Gateway.Execution;
using Bitten.Testing;
using Bitten.Zmq;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bitten.Gateway.Tests;

/// <summary>
/// Pairing codes are redeemed off the EA socket thread: while one EA's redemption hangs on a slow store, the others
/// are served; once redeemed, the pairing EA is bound and its HELLO (and what it sent meanwhile) reaches the desk.
/// </summary>
public sealed class EaPairingTests : IAsyncLifetime
{
    private const string KnownEa = "EA_KNOWN";
    private const string NewEa = "EA_NEW";

    private readonly TradingKernel _kernel = new(TimeProvider.System, new MarketOptions(), new KernelOptions());
    private readonly ExecutionEvents _events = new();
    private readonly GatedPairing _pairing = new(new User(2, 2002, Tier.Commander, Role.User, FireMode.Auto, AutoFireSettings.Default, NewEa, 0));
    private readonly SymbolRegistry _symbols = new();
    private readonly ZmqContext _context = new();
    private ExecutionDesk _desk = null!;
    private EaGateway _gateway = null!;
    private ZmqOptions _zmq = null!;

    public Task InitializeAsync()
    {
        _zmq = new ZmqOptions { CommandPort = 0, ConfirmPort = 0 };
        _desk = new ExecutionDesk(TimeProvider.System, new ExecutionOptions(), new CommandOutbox(new NoJournal(), NullLogger.Instance), _events);
        _desk.UpsertUser(new User(1, 1001, Tier.Commander, Role.User, FireMode.Auto, AutoFireSettings.Default, KnownEa, 0));
        _kernel.Start();
        _gateway = new EaGateway(_zmq, _kernel, _desk, _pairing, NullLogger.Instance, symbols: _symbols);
        _gateway.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _pairing.Release();
        await _gateway.DisposeAsync();
        await _kernel.DisposeAsync();
        _context.Dispose();
    }

    [Fact]
    public async Task AHelloWithACodeBindsTheEaWhileASlowRedemptionHoldsUpNoOtherEa()
    {
        using var newEa = Dealer(NewEa);
        using var knownEa = Dealer(KnownEa);
        var newConnected = _events.WaitFor(e => e is EaConnected { UserId: 2, IsHello: true });

        newEa.Send(Hello(NewEa, "PAIR-1234", "US30-ECN"));
        await _pairing.Entered.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(("PAIR-1234", NewEa), _pairing.Redeemed);
        Assert.NotEqual("bitten-ea-gateway", _pairing.ThreadName);

        // The redemption hangs; the socket thread still serves the known EA, and the pairing EA's heartbeat waits its turn.
        newEa.Send(Heartbeat(NewEa));
        var knownConnected = _events.WaitFor(e => e is EaConnected { UserId: 1, IsHello: true });
        knownEa.Send(Hello(KnownEa, null, "EURUSD"));
        await knownConnected.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(newConnected.IsCompleted);
        Assert.Equal(0, _gateway.Stats.Paired);

        _pairing.Release();
        await newConnected.WaitAsync(TimeSpan.FromSeconds(30));
        await _kernel.FlushAsync();

        Assert.Equal(1, _gateway.Stats.Paired);
        Assert.Equal(3, _gateway.Stats.CheckIns);
        Assert.Equal(0, _gateway.Stats.UnknownEas);
        Assert.Equal(2, (await _kernel.AskAsync(() => _desk.UserOfEa(NewEa)))?.UserId);
        // The paired EA's declared instrument is registered, beyond any allowance for symbols first seen in ticks.
        Assert.True(_symbols.TryGet("US30-ECN", out _));
    }

    [Fact]
    public async Task AFailingRedemptionRefusesThatHelloOnlyAndTheNextOneIsServed()
    {
        _pairing.FailNext = true;
        _pairing.Release();
        using var newEa = Dealer(NewEa);
        var connected = _events.WaitFor(e => e is EaConnected { UserId: 2, IsHello: true });

        newEa.Send(Hello(NewEa, "PAIR-1234", "EURUSD"));
        newEa.Send(Hello(NewEa, "PAIR-1234", "EURUSD"));
        await connected.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, _gateway.Stats.Rejected);
        Assert.Equal(1, _gateway.Stats.Paired);
    }

    private ZmqSocket Dealer(string identity)
    {
        var dealer = _context.CreateSocket(ZmqSocketType.Dealer);
        dealer.SetIdentity(Encoding.UTF8.GetBytes(identity));
        dealer.Linger = 0;
        dealer.Connect(_zmq.ConnectEndpoint(_gateway.CommandPort));
        return dealer;
    }

    private static byte[] Hello(string uuid, string? code, string symbol) => Encoding.UTF8.GetBytes(
        $$"""{"type":"HELLO","user_uuid":"{{uuid}}","node_id":"t",{{(code is null ? "" : $"\"pairing_code\":\"{code}\",")}}"timestamp":1,"positions":[],"symbols":[{"symbol":"{{symbol}}","digits":2,"point":0.01,"tick_value":1.0,"tick_size":0.01,"volume_min":0.01,"volume_step":0.01,"volume_max":50}],"balance":10000.0,"equity":10000.0,"free_margin":10000.0,"currency":"USD"}""");

    private static byte[] Heartbeat(string uuid) => Encoding.UTF8.GetBytes(
        $$"""{"type":"HEARTBEAT","user_uuid":"{{uuid}}","node_id":"t","timestamp":2,"balance":10000.0,"equity":10000.0,"free_margin":10000.0,"currency":"USD"}""");

    /// <summary>A store whose redemption waits for the test to let it go, as a slow database would.</summary>
    private sealed class GatedPairing(User user) : IEaPairing
    {
        private readonly ManualResetEventSlim _gate = new();
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Entered => _entered.Task;

        public (string Code, string EaUuid) Redeemed { get; private set; }

        public string? ThreadName { get; private set; }

        public bool FailNext { get; set; }

        public void Release() => _gate.Set();

        public User? Redeem(string code, string eaUuid)
        {
            Redeemed = (code, eaUuid);
            ThreadName = Thread.CurrentThread.Name;
            _entered.TrySetResult();
            _gate.Wait();
            if (FailNext)
            {
                FailNext = false;
                throw new InvalidOperationException("database is locked");
            }

            return user with { EaUuid = eaUuid };
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
