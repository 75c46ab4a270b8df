using Bitten.Cli.Execution;
using Bitten.Cli.Hosting;
using Bitten.Domain.Users;
using Bitten.Engine.Execution;
using Bitten.Gateway.Events;
using Bitten.Gateway.Execution;
using Bitten.Persistence;
using Bitten.Domain.Events;
using Bitten.Persistence.Events;
using Bitten.Web;
using Bitten.Domain.Primitives;
using Bitten.Engine.Kernel;
using Bitten.Engine.Signals;
using Bitten.Engine.Signals.Patterns;
using Bitten.Engine.Tracking;
using Bitten.Gateway.Market;
using Bitten.Gateway.Signals;
using Bitten.Simulation.Ea;
using Bitten.Simulation.Replay;
using Bitten.Zmq;
using Microsoft.Extensions.Logging;

namespace Bitten.Cli.Commands;

/// <summary><c>bitten run</c>: the whole system; with no configuration, on the embedded default.</summary>
public static class RunCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var commandLine = new CommandLine(args, "no-sim");
        var noSim = commandLine.Has("no-sim");
        commandLine.RejectUnknown();
        var settings = Settings.Load(commandLine.ConfigArgs);
        using var logging = Settings.CreateLogging();
        var log = logging.CreateLogger("bitten");
        using var shutdown = new Shutdown();
        var clock = TimeProvider.System;
        var symbols = new SymbolRegistry();
        var health = new ComponentHealth();

        IDatabase database;
        try
        {
            database = Database.Open(settings.Storage, clock);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Data.Common.DbException
            or ArgumentException or InvalidOperationException)
        {
            log.LogError("Cannot open the {Provider} store: {Error}", settings.Storage.Provider, e.Message);
            return 1;
        }

        using var store = database;
        var users = new UserStore(store, clock);
        var news = LoadNews(settings.Execution, log);

        await using var kernel = new TradingKernel(clock, settings.Market, settings.Kernel, health);
        await using var publisher = new SignalPublisher(settings.Zmq, logging.CreateLogger<SignalPublisher>(), health);
        // The event log is the record of everything that happened and the store's one writer: fires and checkpoints
        // commit through it, behind the events before them. The bus publishes it on 5570 and takes external
        // producers' events on 5571 (validated, counted when refused). Declared before the outbox, so disposed after it.
        var eventLogger = logging.CreateLogger<EventLog>();
        await using var eventLog = new EventLog(store, clock, message => eventLogger.LogWarning("{Message}", message));
        var fireStore = new FireStore(store, clock);
        var signalPositions = new SignalPositions(eventLog);
        await using var outbox = new CommandOutbox(new StoreFireJournal(fireStore, eventLog, signalPositions), logging.CreateLogger<CommandOutbox>());
        await using var eventBus = new EventBus(settings.Zmq, eventLog, logging.CreateLogger<EventBus>(), health, clock);
        var recorder = new EventRecorder(eventBus, new ExecutionLog(logging.CreateLogger("execution")));
        var desk = new ExecutionDesk(clock, settings.Execution, outbox, recorder, news);
        kernel.Subscribe((IClockObserver)desk);
        kernel.Subscribe((ITickObserver)desk);
        var outcomes = new OutcomeLog(logging.CreateLogger("outcomes"));
        var history = new SignalHistory();
        var recentOutcomes = new RecentOutcomes();
        using var trackingFile = string.IsNullOrWhiteSpace(settings.Storage.TrackingFile) ? null
            : new TrackingFile(settings.Storage.TrackingFile, history.SignalOf, logging.CreateLogger<TrackingFile>());
        IOutcomeSink resolved = trackingFile is null ? new OutcomeFanout(history, recentOutcomes, outcomes, recorder)
            : new OutcomeFanout(history, recentOutcomes, outcomes, recorder, trackingFile);
        var signals = SignalPipeline.Create(symbols, settings.EliteGuard, resolved, new SignalFanout(recorder, signalPositions, new PublishWhenStored(eventLog, publisher), history, desk), autoDisable: true);
        var figures = new ExecutionFigures(desk);
        kernel.Subscribe(figures);
        var guard = signals.Guard;
        signals.SubscribeTo(kernel);
        kernel.Subscribe(new CandleRecorder(eventLog, symbols, settings.EliteGuard.HistoryCandles));
        if (!noSim)
        {
            EnsureDemoUser(users, settings.SimEa.Uuid);
        }

        var userSync = new UserSync(users, kernel, desk, clock, log);
        // The provider, not the connection string: a PostgreSQL one carries a password.
        log.LogInformation("{Users} users loaded from the {Provider} store", userSync.LoadAll(), settings.Storage.Provider);

        // Crash-only start: a normal start and a start after a crash both resume from the last checkpoint plus the
        // fires the store holds as sent and unconfirmed (they go again, same fire_id, when their EA says HELLO).
        var checkpointer = new Checkpointer(kernel, desk, signals.Tracker, recentOutcomes, new StateStore(store), eventLog, clock, logging.CreateLogger<Checkpointer>(),
            signals.Guard.Tuner, symbols);
        var restored = checkpointer.Restore(fireStore, new ProjectionStore(store), users.List().Select(u => u.EaUuid).OfType<string>(), symbols);
        var loaded = history.Load(new EventReader(store).Read(EventTypes.SignalGenerated, EventTypes.SignalResolved), symbols);
        foreach (var outcome in restored.RecentOutcomes)
        {
            // Resolved before the crash but its event never reached the log: record it now, once.
            if (history.IsOpen(outcome.SignalId))
            {
                history.OnResolved(outcome);
                recorder.OnResolved(outcome);
            }
        }

        history.AddRange(restored.Tracked);

        // Signals raised after the last checkpoint are in the event log but not in the checkpoint's tracking: follow
        // them again too, so every signal still resolves.
        var tracked = restored.Tracked.Select(t => t.SignalId).ToHashSet(StringComparer.Ordinal);
        var untracked = history.Snapshot()
            .Where(t => t.Outcome is null && !tracked.Contains(t.Signal.SignalId) && SymbolCatalogue.Default.TryGet(t.Signal.Symbol, out _))
            .Select(t => new OpenSignalState(t.Signal, SymbolCatalogue.Default.Get(t.Signal.Symbol).PipSize, 0, 0))
            .ToList();
        kernel.Post(() => signals.Tracker.Restore(untracked));
        signals.Switchboard?.Preload(history.Snapshot());
        var overrides = PatternOverrides.Replay(new EventReader(store).Read(EventTypes.UserAction));
        foreach (var (pattern, keep) in overrides.Where(o => o.Value))
        {
            signals.Switchboard?.KeepOn(pattern, keep);
        }

        log.LogInformation("History: {Signals} signals from the event log ({Skipped} unreadable, {Untracked} tracked again); {Disabled} patterns disabled by their record; kept on by an admin: {KeptOn}",
            loaded, history.SkippedOnLoad, untracked.Count, signals.Switchboard?.Disabled ?? 0,
            signals.Switchboard is { KeptOnNames.Count: > 0 } board ? string.Join(", ", board.KeptOnNames.Order(StringComparer.Ordinal)) : "none");
        // The detectors' look-back as it was: the last closed candles of each symbol, before any live one.
        var warm = CandleRecorder.Warm(new CandleStore(store), symbols, settings.EliteGuard.HistoryCandles);
        kernel.Post(() => guard.Warm(warm));
        log.LogInformation("Restored {Missions} live missions, {Fires} fires in flight, {Positions} positions, {Tracked} tracked signals; warmed {Candles} M5 candles over {Symbols} symbols",
            restored.Missions, restored.Fires, restored.Positions, restored.Tracked.Count, warm.Count, warm.Select(c => c.Symbol).Distinct().Count());
        try
        {
            publisher.Start();
        }
        catch (ZmqException e)
        {
            log.LogError("Cannot open the signal port ({Error}); set another with --Zmq:SignalPort=…", e.Message);
            return 1;
        }

        kernel.Start();
        await using var gateway = new EaGateway(settings.Zmq, kernel, desk, new StorePairing(users, log), logging.CreateLogger<EaGateway>(), health, symbols);
        try
        {
            gateway.Start();
        }
        catch (ZmqException e)
        {
            log.LogError("Cannot open the EA command or confirmation port ({Error}); set others with --Zmq:CommandPort=… --Zmq:ConfirmPort=…", e.Message);
            return 1;
        }

        outbox.Start(gateway);
        try
        {
            eventBus.Start();
        }
        catch (ZmqException e)
        {
            log.LogError("Cannot open the event ports ({Error}); set others with --Zmq:EventPort=… --Zmq:EventInPort=…", e.Message);
            return 1;
        }

        var syncing = userSync.RunAsync(TimeSpan.FromSeconds(2), shutdown.Token);
        var checkpointing = checkpointer.RunAsync(TimeSpan.FromMilliseconds(250), shutdown.Token);
        await using var bridge = new MarketBridge(settings.Zmq, settings.Bridge, settings.Market, symbols, kernel, clock,
            logging.CreateLogger<MarketBridge>(), health);
        try
        {
            bridge.Start();
        }
        catch (ZmqException e)
        {
            log.LogError("Cannot open the market ports ({Error}); is another bitten running? Set other ports with --Zmq:MarketInPort=… --Zmq:MarketOutPort=…", e.Message);
            return 1;
        }

        var webServices = new WebServices(kernel, desk, new StoreWebUsers(users), new StoreWebUsers(users), symbols, clock,
            signal =>
            {
                if (desk.HasSignal(signal.SignalId))
                {
                    return false;
                }

                signals.Raise.OnSignal(signal);
                return true;
            },
            health,
            History: history.Snapshot,
            EnabledOverrides: () => signals.Switchboard?.KeptOnNames ?? new HashSet<string>(StringComparer.Ordinal),
            KeepPatternOn: (pattern, keep, admin) =>
            {
                signals.Switchboard!.KeepOn(pattern, keep);
                recorder.OnPatternOverride(pattern, keep, admin, clock.GetUtcNow().ToUnixTimeMilliseconds());
                return signals.Switchboard.IsDisabled(pattern);
            },
            Figures: () => figures.Current,
            Stored: eventLog.WhenCommittedAsync);
        await using var web = BittenWeb.Build(settings.Web, webServices);
        try
        {
            await web.StartAsync(shutdown.Token);
        }
        catch (IOException e)
        {
            log.LogError("Cannot open the web port ({Error}); set another with --Web:Port=…", e.Message);
            return 1;
        }
        catch (OperationCanceledException) when (shutdown.Token.IsCancellationRequested)
        {
            // Ctrl-C (or SIGTERM) while starting: a clean stop, not a crash. What already runs stops as on any exit.
            await syncing;
            await checkpointing;
            Console.WriteLine("Stopped while starting.");
            return 0;
        }

        Task simulation = Task.CompletedTask;
        SimulatedEa? ea = null;
        if (!noSim)
        {
            var options = settings.SimEa;
            options.Host = settings.Zmq.BindHost is "0.0.0.0" or "*" ? "127.0.0.1" : settings.Zmq.BindHost;
            options.MarketPort = bridge.MarketInPort;
            options.CommandPort = gateway.CommandPort;
            options.ConfirmPort = gateway.ConfirmPort;
            options.Loop = true;
            options.StartTimeOfDay ??= TimeSpan.FromHours(7); // the demo opens at the London open, not in the Asian night
            if (!string.IsNullOrEmpty(settings.Zmq.CurveSecretKey))
            {
                options.CurveServerKey = ZmqCurve.PublicKeyOf(settings.Zmq.CurveSecretKey);
            }

            var ticks = options.Ticks ?? Path.Combine(AppContext.BaseDirectory, "demo", "ticks");
            var files = TickReplay.Discover([ticks]);
            if (files.Count == 0)
            {
                log.LogError("No tick files found in {Path}", ticks);
                return 1;
            }

            ea = new SimulatedEa(options, new TickReplay(files), clock, logging.CreateLogger<SimulatedEa>());
            simulation = ea.RunAsync(shutdown.Token);
        }

        Console.WriteLine($"BITTEN running. EA ports: market in {bridge.MarketInPort}, commands {gateway.CommandPort}, confirmations {gateway.ConfirmPort}; " +
            $"validated market data out on {bridge.MarketOutPort}; signals on {publisher.Port}; web {string.Join(" ", web.Urls)}. {(noSim ? "Waiting for EAs." : $"Simulated EA {settings.SimEa.Uuid} replaying bundled real ticks.")} Ctrl-C stops.");
        var status = new StatusLine(symbols, bridge, kernel, health, clock, guard, outcomes, gateway.Stats);
        await PrintStatusUntilStopped(status, settings.Status, clock, shutdown.Token, simulation);

        try
        {
            await simulation;
        }
        catch (Exception e)
        {
            log.LogError(e, "Simulated EA failed");
        }

        await syncing;
        await checkpointing;
        var execution = await kernel.AskAsync(() => desk.Counts);

        Console.WriteLine($"Stopped. Bridge: {bridge.Stats.Received} received, {bridge.Stats.Published} published, rejected: {status.Rejects()}. " +
            $"Bars closed: M1 {kernel.Candles.ClosedM1}, M5 {kernel.Candles.ClosedM5}, M15 {kernel.Candles.ClosedM15}. " +
            $"Signals: {guard.Raised} raised, {outcomes.Wins} won, {outcomes.Losses} lost, {signals.Tracker.OpenCount} open. " +
            $"Execution: {execution.Missions} missions, {execution.FiresSent} fires ({execution.Refused} refused), {execution.Filled} filled, " +
            $"{execution.Failed} failed, {execution.Closed} closed, {execution.OpenPositions} open.");
        return 0;
    }

    /// <summary>
    /// The embedded default runs a simulated EA; it needs a user to fire for. The first run makes one — a COMMANDER
    /// admin in AUTO mode bound to the simulated EA — and prints its API token once.
    /// </summary>
    private static void EnsureDemoUser(UserStore users, string simEaUuid)
    {
        if (users.ByEaUuid(simEaUuid) is not null)
        {
            return;
        }

        var telegramId = users.List().Select(u => u.TelegramId).DefaultIfEmpty(0).Max() + 1;
        var (user, token) = users.Add(telegramId, Tier.Commander, Role.Admin, FireMode.Auto, simEaUuid);
        Console.WriteLine($"Demo user {user.UserId} (COMMANDER, ADMIN, AUTO 80-89%) bound to the simulated EA {simEaUuid}. API token (shown once): {token}");
    }

    private static NewsCalendar? LoadNews(ExecutionOptions options, ILogger log)
    {
        if (options.NewsCalendar is not { } path)
        {
            return null;
        }

        var calendar = NewsCalendar.Parse(File.ReadAllText(path), out var errors);
        foreach (var error in errors)
        {
            log.LogWarning("News calendar {Path}: {Error}", path, error);
        }

        log.LogInformation("News calendar {Path}: {Count} events", path, calendar.Events.Count);
        return calendar;
    }

    internal static async Task PrintStatusUntilStopped(StatusLine status, StatusOptions options, TimeProvider clock, CancellationToken stop, Task? alsoEndsOn = null)
    {
        var interval = TimeSpan.FromSeconds(options.IntervalSeconds);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, clock, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            Console.WriteLine(status.Next());
            if (alsoEndsOn is { IsFaulted: true })
            {
                break;
            }
        }
    }
}
