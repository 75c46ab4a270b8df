using System.Collections.Concurrent;
using Bitten.Domain.Events;
using Bitten.Domain.Primitives;
using Bitten.Domain.Users;
using Bitten.Engine.Execution;
using Bitten.Engine.Kernel;
using Bitten.Gateway;
using Bitten.Gateway.Execution;
using Bitten.Gateway.Market;
using Bitten.Host.Configuration;
using Bitten.Persistence;
using Bitten.Simulation.Ea;
using Bitten.Zmq;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bitten.Host.Execution;

/// <summary>What is told when a press pass is about to end (the bot queues its message): the user and when it ends.</summary>
public sealed record PressPassReminder(Action<User, long> Remind);

/// <summary>
/// The press pass, running: <see cref="ClaimAsync"/> grants one through the store and starts the user's simulated
/// account (a <see cref="PaperEa"/> on this host's own ports, trading the live validated feed); on start every running
/// pass gets its account back; on its clock it sends each pass's one reminder and ends the passes that ran out (RECRUIT
/// again, the account stopped, the history kept). The desk hears of every change at once, as user sync would later.
/// </summary>
public sealed class PressPasses(
    UserStore users,
    TradingKernel kernel,
    ExecutionDesk desk,
    EventRecorder recorder,
    EaGateway gateway,
    MarketBridge bridge,
    ZmqOptions zmq,
    ProgressionOptions options,
    TimeProvider clock,
    ILoggerFactory logs,
    Action<User, long>? remind = null) : IHostedService
{
    private readonly ILogger _log = logs.CreateLogger<PressPasses>();
    private readonly ConcurrentDictionary<long, RunningEa> _running = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _oneCheck = new(1, 1);
    private Task _checking = Task.CompletedTask;

    /// <summary>The simulated account of each user on a running pass, by user id.</summary>
    public PaperEa? AccountOf(long userId) => _running.TryGetValue(userId, out var running) ? running.Ea : null;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var user in users.ActivePressPasses(UnixMs.Now(clock)))
        {
            Run(user);
        }

        _checking = CheckEveryIntervalAsync(_stop.Token);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        await _checking;
        await Task.WhenAll(_running.Keys.Select(StopAccountAsync));
        _stop.Dispose();
        _oneCheck.Dispose();
    }

    /// <summary>/presspass: grants the pass (or says why not) and, when granted, gives it to the desk and starts its account.</summary>
    public async Task<PressPassGrant> ClaimAsync(long telegramId)
    {
        var now = UnixMs.Now(clock);
        var grant = users.GrantPressPass(telegramId, now, options.PressPassLength, options.PressPassesPerDay);
        if (grant is not { Granted: true, User: { } user })
        {
            return grant;
        }

        await kernel.AskAsync(() =>
        {
            desk.UpsertUser(user);
            recorder.OnEvent(new PressPassStarted(now, user.UserId, user.EaUuid!, user.PressPassExpiresMs!.Value));
            return true;
        });
        Run(user);
        _log.LogInformation("Press pass for user {User} on {Ea} until {Expires:u}", user.UserId, user.EaUuid,
            DateTimeOffset.FromUnixTimeMilliseconds(user.PressPassExpiresMs!.Value));
        return grant;
    }

    /// <summary>Sends the reminders due and ends the passes that ran out, now; returns how many ended.</summary>
    public async Task<int> CheckAsync()
    {
        // One check at a time (the timer's and a caller's), or both would send a reminder before either marked it.
        await _oneCheck.WaitAsync();
        try
        {
            return await CheckOnceAsync();
        }
        finally
        {
            _oneCheck.Release();
        }
    }

    private async Task<int> CheckOnceAsync()
    {
        var now = UnixMs.Now(clock);
        if (remind is not null)
        {
            foreach (var user in users.PressPassRemindersDue(now, options.ReminderBefore))
            {
                // Marked first: a reminder lost to a crash in between is better than one sent twice.
                users.MarkReminded(user.UserId);
                remind(user, user.PressPassExpiresMs!.Value);
            }
        }

        var ended = 0;
        foreach (var due in users.PressPassesDue(now))
        {
            if (users.ExpirePressPass(due.UserId) is not { } recruit)
            {
                continue; // ended or changed by someone else since the read
            }

            await StopAccountAsync(due.UserId);
            await kernel.AskAsync(() =>
            {
                desk.UpsertUser(recruit);
                recorder.OnEvent(new PressPassEnded(now, recruit.UserId, due.EaUuid));
                return true;
            });
            _log.LogInformation("Press pass of user {User} ended: RECRUIT again", due.UserId);
            ended++;
        }

        return ended;
    }

    private async Task CheckEveryIntervalAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.CheckInterval, clock, stop);
                await CheckAsync();
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (e is InvalidOperationException or System.Data.Common.DbException)
            {
                _log.LogWarning("Press passes: {Error}", e.Message);
            }
        }
    }

    private void Run(User user)
    {
        var ea = new PaperEa(new SimulatedEaOptions
        {
            Uuid = user.EaUuid!,
            Host = zmq.ConnectHost,
            CommandPort = gateway.CommandPort,
            ConfirmPort = gateway.ConfirmPort,
            Balance = options.PressPassBalance,
            CurveServerKey = zmq.CurvePublicKey,
        }, bridge.MarketOutPort, PaperEa.CatalogueSymbols, clock, _log);
        var stop = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        var running = new RunningEa(ea, stop, RunAsync(ea, stop.Token));
        if (!_running.TryAdd(user.UserId, running))
        {
            stop.Cancel();
            stop.Dispose();
        }
    }

    private async Task RunAsync(PaperEa ea, CancellationToken stop)
    {
        try
        {
            await Task.Yield();
            await ea.RunAsync(stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped: the pass ended or the host stops.
        }
        catch (Exception e) when (e is ZmqException or InvalidOperationException)
        {
            // One simulated account failing must not take the host or the other passes down.
            _log.LogError(e, "Paper EA {Uuid} failed", ea.Uuid);
        }
    }

    private async Task StopAccountAsync(long userId)
    {
        if (_running.TryRemove(userId, out var running))
        {
            await running.Stop.CancelAsync();
            await running.Run;
            running.Stop.Dispose();
        }
    }

    private sealed record RunningEa(PaperEa Ea, CancellationTokenSource Stop, Task Run);
}
