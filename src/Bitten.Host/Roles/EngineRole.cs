using Bitten.Domain.Users;
using Bitten.Engine.Execution;
using Bitten.Engine.Kernel;
using Bitten.Engine.Signals;
using Bitten.Gateway.Signals;
using Bitten.Host.Configuration;
using Bitten.Host.Execution;
using Bitten.Host.Recovery;
using Bitten.Persistence;
using Bitten.Simulation.Ea;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Bitten.Host.Roles;

/// <summary>
/// The kernel with Elite Guard and the execution desk: recovers (the one start path), opens the signal port, starts
/// the kernel thread, then keeps users in sync with the store and checkpoints the kernel's state until stopped.
/// </summary>
public sealed class EngineRole(
    TradingKernel kernel,
    ExecutionDesk desk,
    SignalPipeline signals,
    ExecutionFigures figures,
    CandleRecorder candles,
    SignalPublisher publisher,
    StartupRecovery recovery,
    UserSync users,
    UserStore userStore,
    Checkpointer checkpointer,
    HostRoles roles,
    HostOutput output,
    IOptions<CheckpointOptions> checkpoint,
    IOptions<UsersOptions> userOptions,
    IOptions<SimulatedEaOptions> simEa,
    EngineLeaseKeeper lease) : IHostedService
{
    private readonly CancellationTokenSource _stop = new();
    private Task _leasing = Task.CompletedTask;
    private Task _syncing = Task.CompletedTask;
    private Task _checkpointing = Task.CompletedTask;

    public RecoveryReport? Recovered { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Before recovery reads or the kernel writes anything: a second engine on this store stops here, with the reason.
        lease.Claim();
        try
        {
            Start();
        }
        catch
        {
            lease.Release();
            throw;
        }

        _leasing = lease.RunAsync(_stop.Token);
        return Task.CompletedTask;
    }

    private void Start()
    {
        kernel.Subscribe((IClockObserver)desk);
        kernel.Subscribe((ITickObserver)desk);
        kernel.Subscribe(figures);
        signals.SubscribeTo(kernel);
        kernel.Subscribe(candles);
        if (roles.Has(HostRole.SimulatedEa))
        {
            DemoUser.Ensure(userStore, simEa.Value.Uuid, output.Out);
        }

        Recovered = recovery.Run();
        Ports.Open(publisher.Start, "the signal port", "set another with --Zmq:SignalPort=…");

        kernel.Start();
        _syncing = users.RunAsync(userOptions.Value.SyncInterval, _stop.Token);
        _checkpointing = checkpointer.RunAsync(checkpoint.Value.Interval, _stop.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        await _syncing;
        // The checkpointer saves once more on its way out: a clean stop leaves the latest state behind.
        await _checkpointing;
        await _leasing;
        lease.Release();
        _stop.Dispose();
    }
}

/// <summary>
/// The embedded default runs a simulated EA; it needs a user to fire for. The first run makes one — a COMMANDER
/// admin in AUTO mode bound to the simulated EA — and prints its API token once.
/// </summary>
public static class DemoUser
{
    public static User? Ensure(UserStore users, string simEaUuid, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(output);
        if (users.ByEaUuid(simEaUuid) is not null)
        {
            return null;
        }

        var telegramId = users.List().Select(u => u.TelegramId).DefaultIfEmpty(0).Max() + 1;
        var (user, token) = users.Add(telegramId, Tier.Commander, Role.Admin, FireMode.Auto, simEaUuid);
        output.WriteLine($"Demo user {user.UserId} (COMMANDER, ADMIN, AUTO 80-89%) bound to the simulated EA {simEaUuid}. API token (shown once): {token}");
        return user;
    }
}
