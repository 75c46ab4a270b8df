using Bitten.Persistence;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bitten.Host.Roles;

/// <summary>
/// Holds the store for this engine (<see cref="EngineLease"/>): claims it before recovery touches anything, renews it
/// every 5 s, and gives it up on a clean stop. An engine that finds its lease taken — it was silent past the lease's
/// lifetime and another engine started — stops itself at once, so two kernels never fire for the same store.
/// </summary>
/// <remarks>Without a Generic Host (service tests) there is no application to stop: a lost lease is then only logged.</remarks>
public sealed class EngineLeaseKeeper(EngineLease lease, TimeProvider clock, ILogger<EngineLeaseKeeper> logger, IHostApplicationLifetime? lifetime = null)
{
    private readonly string _holder = Guid.NewGuid().ToString("N");

    /// <summary>This engine's id in the lease row.</summary>
    public string Holder => _holder;

    /// <summary>Claims the store, or ends the start with one sentence naming the engine that holds it.</summary>
    public void Claim()
    {
        var (decision, previous) = lease.TryClaim(_holder, Environment.MachineName, Environment.ProcessId, EngineLease.ProcessAlive);
        var nowMs = clock.GetUtcNow().ToUnixTimeMilliseconds();
        switch (decision)
        {
            case LeaseDecision.Refuse:
                throw new StartupException($"Another engine holds this store: {previous?.Describe(nowMs) ?? "one that just claimed it"}. "
                    + $"One engine per store: stop it, or start this one after its lease expires ({EngineLease.Lifetime.TotalSeconds:0} s without a heartbeat).");
            case LeaseDecision.TakeOverExpired:
                logger.LogWarning("Took the store over from {Previous}: its lease had expired", previous!.Describe(nowMs));
                break;
            case LeaseDecision.TakeOverDeadProcess:
                logger.LogWarning("Took the store over from {Previous}: that process is gone (a restart after a crash)", previous!.Describe(nowMs));
                break;
            default:
                logger.LogInformation("Engine {Holder} holds the store", _holder[..8]);
                break;
        }
    }

    /// <summary>Renews the lease until <paramref name="stop"/>; stops the host when the lease is lost or cannot be renewed for its lifetime.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var lastRenewed = clock.GetUtcNow();
        using var timer = new PeriodicTimer(EngineLease.RenewEvery, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                bool held;
                try
                {
                    held = lease.Renew(_holder);
                }
                catch (System.Data.Common.DbException e)
                {
                    // A store that cannot be reached for a moment is not a lost lease; one unreachable past the lifetime is:
                    // another engine may by then have taken over.
                    logger.LogWarning("Could not renew the engine lease: {Reason}", e.Message);
                    if (clock.GetUtcNow() - lastRenewed <= EngineLease.Lifetime)
                    {
                        continue;
                    }

                    held = false;
                }

                if (held)
                {
                    lastRenewed = clock.GetUtcNow();
                    continue;
                }

                var holder = lease.Current();
                logger.LogCritical("This engine lost the store to {Holder}; stopping so that two engines never fire for one store",
                    holder?.Describe(clock.GetUtcNow().ToUnixTimeMilliseconds()) ?? "no one (its lease could not be renewed)");
                lifetime?.StopApplication();
                return;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>Gives the store up (a clean stop: the next engine need not wait for the lease to expire).</summary>
    public void Release() => lease.Release(_holder);
}
