using Bitten.Domain.Primitives;
using Bitten.Engine.Execution;
using Bitten.Engine.Kernel;
using Bitten.Engine.Progression;
using Bitten.Engine.Signals;
using Bitten.Engine.Signals.Patterns;
using Bitten.Engine.Tracking;
using Bitten.Gateway.Events;
using Bitten.Gateway.Execution;
using Bitten.Gateway.Market;
using Bitten.Gateway.Signals;
using Bitten.Host.Configuration;
using Bitten.Host.Execution;
using Bitten.Host.Recovery;
using Bitten.Host.Roles;
using Bitten.Host.Status;
using Bitten.Persistence;
using Bitten.Persistence.Events;
using Bitten.Telegram;
using Bitten.Telegram.Transport;
using Bitten.Web;
using Bitten.Web.ReadModels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bitten.Host;

/// <summary>Where the host prints what a person reads (the status line, the demo user's token), apart from the logs.</summary>
public sealed record HostOutput(TextWriter Out);

/// <summary>
/// The composition root: every component once, built from its options, and one hosted service per role in the
/// order they start (they stop in reverse). Components are created on first use, so a host runs only what its roles
/// reach; the container disposes them in reverse order of creation, each after everything built on it.
/// </summary>
public static class BittenServices
{
    public static IServiceCollection AddBitten(this IServiceCollection services, HostRoles roles, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(roles);
        services.AddSingleton(roles);
        services.AddSingleton(new HostOutput(output));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<SymbolRegistry>();
        services.AddSingleton<ComponentHealth>();
        services.AddSingleton<Gateway.Curve.CurveRefusals>();
        AddStore(services);
        if (roles.Has(HostRole.Engine))
        {
            AddEngine(services);
            services.AddHostedService<EngineRole>();
        }

        if (roles.Has(HostRole.Gateway))
        {
            services.AddSingleton(sp => new EaGateway(Options<Gateway.ZmqOptions>(sp), sp.GetRequiredService<TradingKernel>(),
                sp.GetRequiredService<ExecutionDesk>(), new StorePairing(sp.GetRequiredService<UserStore>(), Logger(sp, "bitten")),
                sp.GetRequiredService<ILogger<EaGateway>>(), sp.GetRequiredService<ComponentHealth>(), sp.GetRequiredService<SymbolRegistry>(),
                sp.GetRequiredService<Gateway.Curve.CurveRefusals>()));
            services.AddHostedService<GatewayRole>();
        }

        if (roles.Has(HostRole.EventLog))
        {
            services.AddHostedService<EventLogRole>();
        }

        if (roles.Has(HostRole.Bridge) || roles.Has(HostRole.Engine))
        {
            services.AddSingleton(sp => new MarketBridge(Options<Gateway.ZmqOptions>(sp), Options<BridgeOptions>(sp), Options<Engine.Market.MarketOptions>(sp),
                sp.GetRequiredService<SymbolRegistry>(), roles.Has(HostRole.Engine) ? sp.GetRequiredService<TradingKernel>() : null,
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<MarketBridge>>(), sp.GetRequiredService<ComponentHealth>(),
                sp.GetRequiredService<Gateway.Curve.CurveRefusals>()));
            services.AddSingleton(sp => roles.Has(HostRole.Engine)
                ? new StatusLine(sp.GetRequiredService<SymbolRegistry>(), sp.GetRequiredService<MarketBridge>(), sp.GetRequiredService<TradingKernel>(),
                    sp.GetRequiredService<ComponentHealth>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<SignalPipeline>().Guard,
                    sp.GetRequiredService<OutcomeLog>(), roles.Has(HostRole.Gateway) ? sp.GetRequiredService<EaGateway>().Stats : null)
                : new StatusLine(sp.GetRequiredService<SymbolRegistry>(), sp.GetRequiredService<MarketBridge>(), null,
                    sp.GetRequiredService<ComponentHealth>(), sp.GetRequiredService<TimeProvider>()));
            services.AddHostedService<BridgeRole>();
        }

        if (roles.Has(HostRole.Engine) && roles.Has(HostRole.Gateway) && roles.Has(HostRole.Bridge))
        {
            // After the roles whose ports its simulated accounts connect to; the bot, when it runs, registers the reminder.
            services.AddSingleton(sp => new PressPasses(sp.GetRequiredService<UserStore>(), sp.GetRequiredService<TradingKernel>(),
                sp.GetRequiredService<ExecutionDesk>(), sp.GetRequiredService<EventRecorder>(), sp.GetRequiredService<EaGateway>(),
                sp.GetRequiredService<MarketBridge>(), Options<Gateway.ZmqOptions>(sp), Options<ProgressionOptions>(sp), sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILoggerFactory>(), sp.GetService<PressPassReminder>()?.Remind));
            services.AddHostedService(sp => sp.GetRequiredService<PressPasses>());
        }

        if (roles.Has(HostRole.Web) && !roles.Has(HostRole.Engine))
        {
            // A web edge: the engine's web is elsewhere (Web:Upstream) and this process only forwards to it.
            services.AddSingleton(sp => Options<WebOptions>(sp) is { Upstream: { Length: > 0 } } edge
                ? BittenWeb.BuildEdge(edge)
                : throw new StartupException("The web role without the engine is an edge that forwards to the engine's web: set Web:Upstream "
                    + "to it (e.g. --Web:Upstream=http://10.0.0.3:8888), or run the engine role beside it."));
            services.AddHostedService<WebRole>();
        }
        else if (roles.Has(HostRole.Web))
        {
            services.TryAddSingleton(WebServicesFor);
            services.AddSingleton(sp =>
            {
                var web = BittenWeb.Build(Options<WebOptions>(sp), sp.GetRequiredService<WebServices>());
                var telegram = Options<TelegramOptions>(sp);
                // In webhook mode Telegram posts updates to the trader's site, at the path of Telegram:WebhookUrl.
                if (roles.Has(HostRole.Bot) && telegram.EffectiveMode == TelegramMode.Webhook && sp.GetRequiredService<BotSite>().Dispatcher is { } dispatcher)
                {
                    web.MapTelegramWebhook(new Uri(telegram.WebhookUrl!).AbsolutePath, telegram.WebhookSecret!, dispatcher);
                }

                // The bot role elsewhere (a bot edge) posts the updates it polls here, under a secret derived from the bot token.
                if (!roles.Has(HostRole.Bot) && sp.GetRequiredService<BotSite>() is { Dispatcher: { } edged, Buttons: { } buttons })
                {
                    web.MapBotEdge(telegram.BotToken!, edged, buttons);
                }

                return web;
            });
            if (roles.Has(HostRole.SimulatedEa))
            {
                services.AddSingleton<DemoLogin>();
            }

            services.AddHostedService<WebRole>();
        }

        if (roles.Has(HostRole.Throne) && !roles.Has(HostRole.Engine))
        {
            // A Throne edge: the engine's Throne is elsewhere (Throne:Upstream) and this process only forwards to it.
            services.AddSingleton(sp => Options<ThroneOptions>(sp) is { Upstream: { Length: > 0 } } edge
                ? new ThroneSite(BittenWeb.BuildThroneEdge(edge, Options<WebOptions>(sp)))
                : throw new StartupException("The throne role without the engine is an edge that forwards to the engine's Throne: set "
                    + "Throne:Upstream to it (e.g. --Throne:Upstream=http://10.0.0.3:8899, with the engine's Throne:BindHost on that "
                    + "address), or run the engine role beside it."));
            services.AddHostedService<ThroneRole>();
        }
        else if (roles.Has(HostRole.Throne))
        {
            services.TryAddSingleton(WebServicesFor);
            services.AddSingleton(sp => new ThroneSite(Options<ThroneOptions>(sp) is { Enabled: true } throne
                ? BittenWeb.BuildThrone(throne, Options<WebOptions>(sp), sp.GetRequiredService<WebServices>())
                : null));
            services.AddHostedService<ThroneRole>();
        }

        if (roles.Has(HostRole.SimulatedEa))
        {
            services.AddHostedService<SimulatedEaRole>();
        }

        if (roles.Has(HostRole.Bot) || roles.Has(HostRole.Engine))
        {
            // With a bot token the engine's half of the bot (alerts, commands) runs beside the kernel, and the bot role's
            // link to Telegram beside it or on a bot edge.
            services.AddSingleton(BotSite.Create);
            if (roles.Has(HostRole.Engine))
            {
                // The press passes' reminders go out as the bot's messages; without a bot none is marked sent, so none is lost.
                // The bot is looked up when a reminder is due, not now: the bot's commands claim passes through PressPasses.
                services.AddSingleton(sp => Options<TelegramOptions>(sp).EffectiveMode != TelegramMode.Off
                    ? new PressPassReminder((user, expiresMs) => sp.GetRequiredService<BotSite>().Alerts?.RemindPressPass(user.UserId, expiresMs))
                    : null!);
            }

            services.AddHostedService<BotRole>();
        }

        if (roles.Has(HostRole.Bridge) || roles.Has(HostRole.Gateway))
        {
            // Last to start, first to stop: it reads what the others count.
            services.AddHostedService<StatusReporter>();
        }

        return services;
    }

    private static void AddStore(IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var storage = Options<StorageOptions>(sp);
            try
            {
                return Database.Open(storage, sp.GetRequiredService<TimeProvider>());
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Data.Common.DbException
                or ArgumentException or InvalidOperationException)
            {
                // The provider, not the connection string: a PostgreSQL one carries a password.
                throw new StartupException($"Cannot open the {storage.Provider} store: {e.Message}", e);
            }
        });
        services.AddSingleton(sp => new UserStore(sp.GetRequiredService<IDatabase>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new LoginStore(sp.GetRequiredService<IDatabase>(), sp.GetRequiredService<TimeProvider>()));
        // The event log is the record of everything that happened and the store's one writer: fires and checkpoints
        // commit through it, behind the events before them.
        services.AddSingleton(sp =>
        {
            var logger = sp.GetRequiredService<ILogger<EventLog>>();
            return new EventLog(sp.GetRequiredService<IDatabase>(), sp.GetRequiredService<TimeProvider>(), message => logger.LogWarning("{Message}", message));
        });
    }

    private static void AddEngine(IServiceCollection services)
    {
        services.AddSingleton(sp => new EngineLease(sp.GetRequiredService<IDatabase>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<EngineLeaseKeeper>();
        services.AddSingleton(sp => new TradingKernel(sp.GetRequiredService<TimeProvider>(), Options<Engine.Market.MarketOptions>(sp),
            Options<KernelOptions>(sp), sp.GetRequiredService<ComponentHealth>()));
        services.AddSingleton(sp => new SignalPublisher(Options<Gateway.ZmqOptions>(sp), sp.GetRequiredService<ILogger<SignalPublisher>>(),
            sp.GetRequiredService<ComponentHealth>()));
        services.AddSingleton(sp => new SignalPositions(sp.GetRequiredService<EventLog>()));
        services.AddSingleton(sp => new CommandOutbox(
            new StoreFireJournal(new FireStore(sp.GetRequiredService<IDatabase>(), sp.GetRequiredService<TimeProvider>()), sp.GetRequiredService<EventLog>(),
                sp.GetRequiredService<SignalPositions>()),
            sp.GetRequiredService<ILogger<CommandOutbox>>()));
        // The bus publishes the event log on 5570 and takes external producers' events on 5571 (validated, counted when refused).
        services.AddSingleton(sp => new EventBus(Options<Gateway.ZmqOptions>(sp), sp.GetRequiredService<EventLog>(), sp.GetRequiredService<ILogger<EventBus>>(),
            sp.GetRequiredService<ComponentHealth>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(_ => new RecentEvents());
        services.AddSingleton(sp => new WebEvents(() => sp.GetRequiredService<SignalPipeline>().Switchboard?.States ?? PatternStates.None));
        // XP and achievements hear every recorded event (after the web's read models) and record their awards through
        // the same recorder, each behind its cause; the book is the kernel's, asked through kernel.AskAsync.
        services.AddSingleton<ProgressionBook>();
        services.AddSingleton(sp => new EveryEvent(sp.GetRequiredService<WebEvents>()));
        services.AddSingleton(sp => new ProgressionRecorder(sp.GetRequiredService<ProgressionBook>(), sp.GetRequiredService<EveryEvent>()));
        services.AddSingleton(sp =>
        {
            var progression = sp.GetRequiredService<ProgressionRecorder>();
            var recorder = new EventRecorder(sp.GetRequiredService<EventBus>(), new ExecutionLog(Logger(sp, "execution")),
                sp.GetRequiredService<RecentEvents>(), progression);
            progression.RecordThrough(recorder);
            return recorder;
        });
        services.AddSingleton(sp => new ExecutionDesk(sp.GetRequiredService<TimeProvider>(), Options<ExecutionOptions>(sp),
            sp.GetRequiredService<CommandOutbox>(), sp.GetRequiredService<EventRecorder>(), NewsCalendarFile.Load(Options<ExecutionOptions>(sp), Logger(sp, "bitten"))));
        services.AddSingleton(sp => new OutcomeLog(Logger(sp, "outcomes")));
        services.AddSingleton<SignalHistory>();
        services.AddSingleton<RecentOutcomes>();
        services.AddSingleton(sp => new OptionalTrackingFile(Options<StorageOptions>(sp).TrackingFile is var path && !string.IsNullOrWhiteSpace(path)
            ? new TrackingFile(path, sp.GetRequiredService<SignalHistory>().SignalOf, sp.GetRequiredService<ILogger<TrackingFile>>())
            : null));
        services.AddSingleton(sp =>
        {
            var recorder = sp.GetRequiredService<EventRecorder>();
            var history = sp.GetRequiredService<SignalHistory>();
            IOutcomeSink[] sinks = [history, sp.GetRequiredService<RecentOutcomes>(), sp.GetRequiredService<OutcomeLog>(), recorder];
            var trackingFile = sp.GetRequiredService<OptionalTrackingFile>().File;
            var eventLog = sp.GetRequiredService<EventLog>();
            return SignalPipeline.Create(sp.GetRequiredService<SymbolRegistry>(), Options<EliteGuardOptions>(sp),
                new OutcomeFanout(trackingFile is null ? sinks : [.. sinks, trackingFile]),
                new SignalFanout(recorder, sp.GetRequiredService<SignalPositions>(), new PublishWhenStored(eventLog, sp.GetRequiredService<SignalPublisher>()),
                    history, sp.GetRequiredService<ExecutionDesk>()),
                autoDisable: true);
        });
        services.AddSingleton(sp => new ExecutionFigures(sp.GetRequiredService<ExecutionDesk>()));
        services.AddSingleton(sp => new CandleRecorder(sp.GetRequiredService<EventLog>(), sp.GetRequiredService<SymbolRegistry>(),
            Options<EliteGuardOptions>(sp).HistoryCandles));
        services.AddSingleton<UserDirectory>();
        services.AddSingleton(sp => new UserSync(sp.GetRequiredService<UserStore>(), sp.GetRequiredService<TradingKernel>(),
            sp.GetRequiredService<ExecutionDesk>(), sp.GetRequiredService<TimeProvider>(), Logger(sp, "bitten"), sp.GetRequiredService<UserDirectory>()));
        services.AddSingleton(sp =>
        {
            var signals = sp.GetRequiredService<SignalPipeline>();
            return new Checkpointer(sp.GetRequiredService<TradingKernel>(), sp.GetRequiredService<ExecutionDesk>(), signals.Tracker,
                sp.GetRequiredService<RecentOutcomes>(), new StateStore(sp.GetRequiredService<IDatabase>()), sp.GetRequiredService<EventLog>(),
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<Checkpointer>>(), signals.Guard.Tuner, sp.GetRequiredService<SymbolRegistry>());
        });
        services.AddSingleton(sp => new StartupRecovery(sp.GetRequiredService<IDatabase>(), sp.GetRequiredService<UserSync>(),
            sp.GetRequiredService<UserStore>(), sp.GetRequiredService<Checkpointer>(), sp.GetRequiredService<TradingKernel>(),
            sp.GetRequiredService<SignalPipeline>(), sp.GetRequiredService<SignalHistory>(), sp.GetRequiredService<EventRecorder>(),
            sp.GetRequiredService<SymbolRegistry>(), Options<EliteGuardOptions>(sp), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<StartupRecovery>>(), sp.GetRequiredService<ProgressionRecorder>()));
    }

    private static WebServices WebServicesFor(IServiceProvider sp)
    {
        var kernel = sp.GetRequiredService<TradingKernel>();
        var desk = sp.GetRequiredService<ExecutionDesk>();
        var signals = sp.GetRequiredService<SignalPipeline>();
        var recorder = sp.GetRequiredService<EventRecorder>();
        RememberedTokens? tokens = null;
        var users = new StoreWebUsers(sp.GetRequiredService<UserStore>(), () => tokens?.Forget());
        var logins = new StoreWebLogins(sp.GetRequiredService<UserStore>(), sp.GetRequiredService<LoginStore>(), Options<TelegramOptions>(sp).BotToken);
        var clock = sp.GetRequiredService<TimeProvider>();
        var figures = sp.GetRequiredService<ExecutionFigures>();
        var history = sp.GetRequiredService<SignalHistory>();
        tokens = new RememberedTokens(users, clock, Options<UsersOptions>(sp).SyncInterval);
        return new WebServices(kernel, desk, tokens, users, sp.GetRequiredService<SymbolRegistry>(), clock,
            signal =>
            {
                if (desk.HasSignal(signal.SignalId))
                {
                    return false;
                }

                signals.Raise.OnSignal(signal);
                return true;
            },
            sp.GetRequiredService<ComponentHealth>(),
            History: history.Snapshot,
            PatternStates: () => signals.Switchboard?.States ?? PatternStates.None,
            Figures: () => figures.Current,
            Stored: sp.GetRequiredService<EventLog>().WhenCommittedAsync,
            EventLog: new EventLogFiguresSource(sp.GetRequiredService<EventLog>()).Current,
            Switchboard: signals.Switchboard,
            Tuner: signals.Guard.Tuner,
            Record: recorder.OnEvent,
            UserAdmin: users,
            RecentEvents: sp.GetRequiredService<RecentEvents>().Snapshot,
            Checkpoint: () => sp.GetRequiredService<Checkpointer>().SaveAsync(force: true),
            Events: sp.GetRequiredService<WebEvents>(),
            M5Candles: symbol => signals.Guard.M5History(symbol).ToArray(),
            System: SystemFiguresOf(figures, sp.GetService<MarketBridge>(), sp.GetRequiredService<SymbolRegistry>()),
            Logins: logins,
            Progress: sp.GetRequiredService<ProgressionBook>().ViewOf,
            Bot: sp.GetService<BotSite>() is { Outbox: not null } bot ? () => bot.Figures()! : null,
            Curve: CurveFiguresOf(Options<Gateway.ZmqOptions>(sp), sp.GetRequiredService<Gateway.Curve.CurveRefusals>()));
    }

    /// <summary>The desk's totals (published on its clock) with the bridge's ticks, rejects and last quotes, when this host runs the bridge.</summary>
    private static Func<CurveFigures> CurveFiguresOf(Gateway.ZmqOptions zmq, Gateway.Curve.CurveRefusals refusals) => () =>
        new CurveFigures(zmq.CurveEnabled, refusals.Total,
            [.. refusals.Snapshot().Select(static c => (c.Port, Gateway.Curve.CurveRefusals.WireName(c.Reason), c.Count))]);

    private static Func<SystemFigures> SystemFiguresOf(ExecutionFigures figures, MarketBridge? bridge, SymbolRegistry symbols) => () =>
    {
        var desk = figures.Desk;
        if (bridge is null)
        {
            return desk;
        }

        var stats = bridge.Stats;
        var quotes = new List<QuoteFigure>(symbols.Count);
        for (var i = 0; i < symbols.Count; i++)
        {
            var id = new SymbolId(i);
            if (stats.Symbol(id) is { Ticks: > 0 } last)
            {
                quotes.Add(new QuoteFigure(symbols.NameOf(id), last.LastBid, last.LastAsk, last.LastEventTimeMs));
            }
        }

        return desk with { Ticks = stats.Published, Rejects = stats.RejectedByReason(), Quotes = quotes };
    };

    private static T Options<T>(IServiceProvider sp)
        where T : class => sp.GetRequiredService<IOptions<T>>().Value;

    private static ILogger Logger(IServiceProvider sp, string category) => sp.GetRequiredService<ILoggerFactory>().CreateLogger(category);
}

/// <summary>The tracking file when one is configured (the container cannot hold a null), disposed with the host.</summary>
public sealed class OptionalTrackingFile(TrackingFile? file) : IDisposable
{
    public TrackingFile? File { get; } = file;

    public void Dispose() => File?.Dispose();
}
