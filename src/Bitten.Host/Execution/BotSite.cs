using Bitten.Domain.Primitives;
using Bitten.Engine.Kernel;
using Bitten.Persistence;
using Bitten.Telegram;
using Bitten.Telegram.Alerts;
using Bitten.Telegram.Commands;
using Bitten.Telegram.Outbox;
using Bitten.Telegram.Transport;
using Bitten.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bitten.Host.Execution;

/// <summary>
/// The bot's parts, built once, in two halves that may live in different processes. Beside the engine: the alerts,
/// the command handlers and the update dispatcher, whose messages go to the stored outbox. With the bot role: the link
/// to Telegram (<see cref="TelegramBot"/>: registration, long polling and the outbox's flood-safe sender). A bot role
/// without the engine is a bot edge: it polls Telegram, forwards each update to the engine's web
/// (<see cref="BotEdge.UpdatesPath"/>, at Web:Upstream) and sends what the engine stored in the shared outbox.
/// Everything is null while Telegram is off (no bot token).
/// </summary>
public sealed class BotSite : IDisposable
{
    /// <summary>How often a bot edge looks in the shared outbox for what the engine stored.</summary>
    public static readonly TimeSpan EdgeStorePoll = TimeSpan.FromMilliseconds(250);

    private readonly HttpClient? _http;
    private readonly HttpClient? _upstream;
    private readonly Func<BotFigures>? _figures;

    private BotSite(TelegramBot? bot, MissionAlerts? alerts, UpdateDispatcher? dispatcher, AlertButtons? buttons, BotOutbox? outbox,
        Func<BotFigures>? figures, HttpClient? http, HttpClient? upstream)
    {
        Bot = bot;
        Alerts = alerts;
        Dispatcher = dispatcher;
        Buttons = buttons;
        Outbox = outbox;
        _figures = figures;
        _http = http;
        _upstream = upstream;
    }

    /// <summary>The link to Telegram, when the bot role runs here.</summary>
    public TelegramBot? Bot { get; }

    /// <summary>The engine's half: null on a bot edge.</summary>
    public MissionAlerts? Alerts { get; }

    public UpdateDispatcher? Dispatcher { get; }

    public AlertButtons? Buttons { get; }

    public BotOutbox? Outbox { get; }

    public static BotSite Create(IServiceProvider sp)
    {
        var options = sp.GetRequiredService<IOptions<TelegramOptions>>().Value;
        if (options.EffectiveMode == TelegramMode.Off)
        {
            return new BotSite(null, null, null, null, null, null, null, null);
        }

        var roles = sp.GetRequiredService<HostRoles>();
        var clock = sp.GetRequiredService<TimeProvider>();
        var logs = sp.GetRequiredService<ILoggerFactory>();
        var log = logs.CreateLogger("telegram");
        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(LongPolling.PollSeconds + 15) };
        var client = TelegramBotApi.CreateClient(options, http);
        var stored = new StoreOutbox(new OutboxStore(sp.GetRequiredService<IDatabase>()));
        var outbox = new BotOutbox(stored, clock);
        var health = sp.GetRequiredService<ComponentHealth>();
        if (!roles.Has(HostRole.Engine))
        {
            return Edge(sp, options, client, outbox, stored, clock, logs, log, health, http);
        }

        var buttons = new AlertButtons(options.WebAppUrl);
        var directory = sp.GetRequiredService<UserDirectory>();
        var history = sp.GetRequiredService<SignalHistory>();
        var alerts = new MissionAlerts(outbox, buttons, options.GroupChatId,
            userId => directory.ById(userId) is { } user ? new BotRecipient(user.TelegramId, user.MissionAlerts) : null,
            pattern => PatternRecord.Of(history.Snapshot(), pattern), () => SymbolCatalogue.Default, log);
        var commands = new BotCommands(BotServicesFactory.Create(sp, outbox), log, null);
        var dispatcher = new UpdateDispatcher(commands, outbox, client, log);
        if (!roles.Has(HostRole.Bot))
        {
            // The link to Telegram is a bot edge elsewhere: the store's counts are what this process can say of its sending.
            return new BotSite(null, alerts, dispatcher, buttons, outbox, () => Figures(null, dispatcher, stored), http, null);
        }

        var sender = new OutboxSender(outbox, new TelegramBotApi(client), FloodGate.From(options), clock, logs.CreateLogger<OutboxSender>());
        var bot = new TelegramBot(options, client, dispatcher, name => buttons.BotUsername = name, sender.RunAsync,
            () => BotCommandScopes.For(directory.All), health, clock, log, () => Describe(Figures(sender, dispatcher, stored)));
        return new BotSite(bot, alerts, dispatcher, buttons, outbox, () => Figures(sender, dispatcher, stored), http, null);
    }

    /// <summary>The bot role without the engine: Telegram's updates to the engine's web, the engine's stored messages to Telegram.</summary>
    private static BotSite Edge(IServiceProvider sp, TelegramOptions options, global::Telegram.Bot.ITelegramBotClient client, BotOutbox outbox, StoreOutbox stored,
        TimeProvider clock, ILoggerFactory logs, ILogger log, ComponentHealth health, HttpClient http)
    {
        if (options.EffectiveMode == TelegramMode.Webhook)
        {
            throw new StartupException("A bot edge (the bot role without the engine) takes Telegram's updates by long polling: in webhook mode "
                + "Telegram posts them to the web, so run the bot role beside the engine, or set Telegram:Mode=polling.");
        }

        if (sp.GetRequiredService<IOptions<WebOptions>>().Value.Upstream is not { Length: > 0 } upstream)
        {
            throw new StartupException("The bot role without the engine is a bot edge that forwards Telegram's updates to the engine's web: "
                + "set Web:Upstream to it (e.g. --Web:Upstream=http://10.0.0.3:8888), or run the engine role beside it.");
        }

        var (trouble, username) = ((string?)null, (string?)null);
        var users = sp.GetRequiredService<UserStore>();
        var forwarding = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var forwarder = new EngineUpdateForwarder(forwarding, new Uri(upstream), options.BotToken!, () => Volatile.Read(ref username), client,
            problem => Volatile.Write(ref trouble, problem), clock, log);
        var sender = new OutboxSender(outbox, new TelegramBotApi(client), FloodGate.From(options), clock, logs.CreateLogger<OutboxSender>(), EdgeStorePoll);
        var bot = new TelegramBot(options, client, forwarder, name => Volatile.Write(ref username, name), sender.RunAsync,
            () => BotCommandScopes.For(users.List()), health, clock, log,
            () => Describe(Figures(sender, null, stored)) + EdgeLine(forwarder, upstream), () => Volatile.Read(ref trouble));
        return new BotSite(bot, null, null, null, outbox, () => Figures(sender, null, stored), http, forwarding);
    }

    /// <summary>The bot's totals for /metrics, or null while Telegram is off.</summary>
    public BotFigures? Figures() => _figures?.Invoke();

    /// <summary>
    /// The sender's totals since start where it runs here, else the store's (all time: the edge's own counts are its);
    /// the updates' where the dispatcher runs here.
    /// </summary>
    private static BotFigures Figures(OutboxSender? sender, UpdateDispatcher? dispatcher, StoreOutbox store)
    {
        var updates = dispatcher?.Figures ?? new UpdateFigures(0, 0, 0, 0);
        if (sender?.Figures() is { } sent)
        {
            return new BotFigures(sent.Sent, sent.Failed, sent.QueueDepth, sent.FloodWaits, sent.Retries, updates.Messages, updates.Callbacks,
                updates.Ignored, updates.Failed, TelegramWebhook.Refused + BotEdgeEndpoint.Refused);
        }

        var counts = store.Counts();
        return new BotFigures(counts.Sent, counts.Failed, counts.Pending, 0, 0, updates.Messages, updates.Callbacks, updates.Ignored, updates.Failed,
            TelegramWebhook.Refused + BotEdgeEndpoint.Refused);
    }

    private static string EdgeLine(EngineUpdateForwarder forwarder, string upstream)
    {
        var (forwarded, retries, invalid) = forwarder.Figures;
        return $"; an edge: {forwarded} updates to the engine at {upstream}, {retries} tried again, {invalid} invalid";
    }

    /// <summary>The same totals in the component's line of /healthz and the Throne.</summary>
    private static string Describe(BotFigures f) =>
        $"sent {f.Sent}, failed {f.Failed}, waiting {f.Waiting}, 429s {f.FloodWaits}, retries {f.Retries}; " +
        $"updates: {f.Messages} messages, {f.Callbacks} buttons, {f.Ignored} ignored, {f.UpdatesFailed} failed";

    public void Dispose()
    {
        _http?.Dispose();
        _upstream?.Dispose();
    }
}
