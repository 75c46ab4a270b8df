using Bitten.Domain.Primitives;
using Bitten.Engine.Kernel;
using Bitten.Persistence;
using Bitten.Telegram;
using Bitten.Telegram.Alerts;
using Bitten.Telegram.Commands;
using Bitten.Telegram.Outbox;
using Bitten.Telegram.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bitten.Host.Execution;

/// <summary>
/// The bot's parts, built once: the stored outbox and its flood-safe sender, the alerts, the command handlers and the
/// update dispatcher the webhook and long polling share. Everything is null while Telegram is off (no bot token).
/// </summary>
public sealed class BotSite : IDisposable
{
    private readonly HttpClient? _http;

    private BotSite(TelegramBot? bot, MissionAlerts? alerts, UpdateDispatcher? dispatcher, BotOutbox? outbox, OutboxSender? sender, HttpClient? http)
    {
        Bot = bot;
        Alerts = alerts;
        Dispatcher = dispatcher;
        Outbox = outbox;
        Sender = sender;
        _http = http;
    }

    public TelegramBot? Bot { get; }

    public MissionAlerts? Alerts { get; }

    public UpdateDispatcher? Dispatcher { get; }

    public BotOutbox? Outbox { get; }

    public OutboxSender? Sender { get; }

    public static BotSite Create(IServiceProvider sp)
    {
        var options = sp.GetRequiredService<IOptions<TelegramOptions>>().Value;
        if (options.EffectiveMode == TelegramMode.Off)
        {
            return new BotSite(null, null, null, null, null, null);
        }

        var clock = sp.GetRequiredService<TimeProvider>();
        var logs = sp.GetRequiredService<ILoggerFactory>();
        var log = logs.CreateLogger("telegram");
        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(LongPolling.PollSeconds + 15) };
        var client = TelegramBotApi.CreateClient(options, http);
        var outbox = new BotOutbox(new StoreOutbox(new OutboxStore(sp.GetRequiredService<IDatabase>())), clock);
        var sender = new OutboxSender(outbox, new TelegramBotApi(client), FloodGate.From(options), clock, logs.CreateLogger<OutboxSender>());
        var buttons = new AlertButtons(options.WebAppUrl);
        var directory = sp.GetRequiredService<UserDirectory>();
        var history = sp.GetRequiredService<SignalHistory>();
        var alerts = new MissionAlerts(outbox, buttons, options.GroupChatId,
            userId => directory.ById(userId) is { } user ? new BotRecipient(user.TelegramId, user.MissionAlerts) : null,
            pattern => PatternRecord.Of(history.Snapshot(), pattern), () => SymbolCatalogue.Default, log);
        var services = BotServicesFactory.Create(sp, outbox);
        var commands = new BotCommands(services, log, null);
        var dispatcher = new UpdateDispatcher(commands, outbox, client, log);
        var bot = new TelegramBot(options, client, dispatcher, alerts, buttons, sender.RunAsync,
            () => BotCommandScopes.For(directory.All),
            sp.GetRequiredService<ComponentHealth>(), clock, log, () => Describe(Figures(sender, dispatcher)));
        return new BotSite(bot, alerts, dispatcher, outbox, sender, http);
    }

    /// <summary>The bot's totals for /metrics, or null while Telegram is off.</summary>
    public Web.BotFigures? Figures() => Sender is null || Dispatcher is null ? null : Figures(Sender, Dispatcher);

    private static Web.BotFigures Figures(OutboxSender sender, UpdateDispatcher dispatcher)
    {
        var (sent, updates) = (sender.Figures(), dispatcher.Figures);
        return new Web.BotFigures(sent.Sent, sent.Failed, sent.QueueDepth, sent.FloodWaits, sent.Retries, updates.Messages, updates.Callbacks,
            updates.Ignored, updates.Failed, TelegramWebhook.Refused);
    }

    /// <summary>The same totals in the component's line of /healthz and the Throne.</summary>
    private static string Describe(Web.BotFigures f) =>
        $"sent {f.Sent}, failed {f.Failed}, waiting {f.Waiting}, 429s {f.FloodWaits}, retries {f.Retries}; " +
        $"updates: {f.Messages} messages, {f.Callbacks} buttons, {f.Ignored} ignored, {f.UpdatesFailed} failed";

    public void Dispose() => _http?.Dispose();
}
