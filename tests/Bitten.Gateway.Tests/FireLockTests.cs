using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Bitten.Domain.Events;
using Bitten.Domain.Signals;
using Bitten.Domain.Trading;
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
/// What the outbox does when the store will not keep a fire, against two EAs on libzmq: a fire whose mission's one-time
/// fire lock another fire holds, and the fires of a commit that failed, never reach an EA, not even when the EA checks in
/// again (which resends what it owes); the kernel fails each with its reason and gives the slot back. The next fire the
/// EA receives is the next signal's: the marker that nothing came before it.
/// </summary>
public sealed class FireLockTests : IAsyncLifetime
{
    private readonly TradingKernel _kernel = new(TimeProvider.System, new MarketOptions(), new KernelOptions());
    private readonly ExecutionEvents _events = new();
    private readonly RefusingJournal _journal = new();
    private readonly ZmqContext _eas = new();
    private ExecutionDesk _desk = null!;
    private CommandOutbox _outbox = null!;
    private EaGateway _gateway = null!;
    private ZmqOptions _zmq = null!;

    public Task InitializeAsync()
    {
        _zmq = new ZmqOptions { CommandPort = 0, ConfirmPort = 0 };
        _outbox = new CommandOutbox(_journal, NullLogger.Instance);
        _desk = new ExecutionDesk(TimeProvider.System, new ExecutionOptions(), _outbox, _events);
        foreach (var id in new[] { 1L, 2L })
        {
            _desk.UpsertUser(new User(id, 1000 + id, Tier.Commander, Role.User, FireMode.Auto, AutoFireSettings.Default with { RiskPercent = 1m }, "EA_" + id, 0));
        }

        _kernel.Start();
        _gateway = new EaGateway(_zmq, _kernel, _desk, null, NullLogger.Instance);
        _gateway.Start();
        _outbox.Start(_gateway);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _eas.Dispose();
        await _outbox.DisposeAsync();
        await _gateway.DisposeAsync();
        await _kernel.DisposeAsync();
    }

    [Fact]
    public async Task AFireTheLockRefusesIsNeverSentAndFailsAsAlreadyFired()
    {
        using var ea1 = await CheckedIn(1);
        using var ea2 = await CheckedIn(2);

        // The store says user 2's mission of the first signal is held by another fire (another engine fired it).
        var first = Signal(1);
        _journal.RefuseMission(MissionStatuses.MissionId(first.SignalId, 2));
        var refused = _events.WaitFor(e => e is FireFailed { UserId: 2 });
        var released = _events.WaitFor(e => e is SlotReleased { UserId: 2 });
        Assert.True(await _kernel.AskAsync(() => _desk.Accept(first)));

        Assert.Equal(first.SignalId, SignalOf(Receive(ea1)));
        var failed = (FireFailed)await refused;
        Assert.Equal((FireRefusal.AlreadyFired, MissionStatuses.MissionId(first.SignalId, 2)), (failed.Refusal, failed.MissionId));
        Assert.Equal(0, ((SlotReleased)await released).SlotsUsed);
        Assert.Equal(MissionStatus.Failed, (await _kernel.AskAsync(() => _desk.MissionsOf(2))).Single().Status);
        Assert.Equal(1, _gateway.Stats.LockRefusals);

        // Checking in again resends what the EA owes: not the refused fire, which it was never owed.
        ea2.Send(Hello(2));
        await _kernel.FlushAsync();
        await AssertNextFireIsTheNextSignals(ea2);
    }

    [Fact]
    public async Task FiresWhoseCommitFailedAreNeverSentNotEvenOnAResend()
    {
        using var ea1 = await CheckedIn(1);
        using var ea2 = await CheckedIn(2);

        _journal.FailNextCommit();
        var failures = _events.WaitForCount(e => e is FireFailed { Refusal: FireRefusal.NotStored }, 2);
        Assert.True(await _kernel.AskAsync(() => _desk.Accept(Signal(1))));
        await failures;
        Assert.All(await _kernel.AskAsync(() => new[] { _desk.AccountOf(1)!, _desk.AccountOf(2)! }), a => Assert.Equal(0, a.SlotsUsed));

        ea1.Send(Hello(1));
        ea2.Send(Hello(2));
        await _kernel.FlushAsync();
        await AssertNextFireIsTheNextSignals(ea1);
        Assert.DoesNotContain(_journal.Stored, f => f.StartsWith(Signal(1).SignalId, StringComparison.Ordinal));
    }

    /// <summary>A second signal: the next fire each EA receives must be this one's (nothing of the first came before it).</summary>
    private async Task AssertNextFireIsTheNextSignals(ZmqSocket ea)
    {
        var next = Signal(2);
        Assert.True(await _kernel.AskAsync(() => _desk.Accept(next)));
        Assert.Equal(next.SignalId, SignalOf(Receive(ea)));
    }

    private async Task<ZmqSocket> CheckedIn(long userId)
    {
        var connected = _events.WaitFor(e => e is EaConnected { IsHello: true } c && c.EaUuid == "EA_" + userId);
        var dealer = _eas.CreateSocket(ZmqSocketType.Dealer);
        dealer.Linger = 0;
        dealer.SetIdentity(Encoding.UTF8.GetBytes("EA_" + userId));
        dealer.Connect(_zmq.ConnectEndpoint(_gateway.CommandPort));
        dealer.Send(Hello(userId));
        await connected;
        return dealer;
    }

    private static byte[] Receive(ZmqSocket ea)
    {
        var buffer = new byte[4096];
        ea.ReceiveTimeout = 30_000;
        Assert.True(ea.TryReceive(buffer, out var length, out _), "the EA received nothing in 30 s");
        return buffer[..length];
    }

    /// <summary>The signal a fire command belongs to, from its mission's part of the fire: the store's own record of it.</summary>
    private string SignalOf(byte[] command)
    {
        using var json = JsonDocument.Parse(command);
        var fireId = json.RootElement.GetProperty("fire_id").GetString()!;
        return _journal.SignalOfFire(fireId);
    }

    // The id's time tells the two signals of a test apart.
    private static Signal Signal(int n) => TestEas.BbScalpBuy(1_800_000_000_000L + n);

    private static byte[] Hello(long userId) => TestEas.Hello("EA_" + userId, eurUsdSpec: true);

    /// <summary>A journal whose store refuses what the test says: one mission's lock, or the next commit as a whole.</summary>
    private sealed class RefusingJournal : IFireJournal
    {
        private readonly ConcurrentDictionary<string, byte> _heldMissions = new();
        private readonly ConcurrentDictionary<string, string> _signalOfFire = new();
        private readonly ConcurrentQueue<string> _stored = new();
        private int _failNext;

        public IReadOnlyList<string> Stored => [.. _stored];

        public void RefuseMission(string missionId) => _heldMissions[missionId] = 0;

        public void FailNextCommit() => Interlocked.Exchange(ref _failNext, 1);

        public string SignalOfFire(string fireId) => _signalOfFire[fireId];

        public Task<IReadOnlyCollection<string>> Record(IReadOnlyList<FireOrder> newFires, Task sent)
        {
            if (Interlocked.Exchange(ref _failNext, 0) == 1)
            {
                return Task.FromException<IReadOnlyCollection<string>>(new InvalidOperationException("disk full"));
            }

            var refused = new List<string>();
            foreach (var fire in newFires)
            {
                _signalOfFire[fire.FireId] = fire.SignalId;
                if (_heldMissions.ContainsKey(fire.MissionId))
                {
                    refused.Add(fire.FireId);
                    continue;
                }

                _stored.Enqueue(fire.SignalId + " " + fire.FireId);
            }

            return Task.FromResult<IReadOnlyCollection<string>>(refused);
        }

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
