using Bitten.Engine.Kernel;
using Bitten.Telegram.Commands;
using Bitten.Telegram.Transport;
using Microsoft.Extensions.Logging;
using Telegram.Bot;

namespace Bitten.Telegram;

/// <summary>
/// The bot's link to Telegram as one component, the one part of BITTEN that talks to the Bot API: the outbox's sender
/// runs from start; Telegram is then told who we are, the command menus and where updates go (retried until it
/// answers, the component Degraded meanwhile), and updates are taken by long polling into <paramref name="updates"/>
/// (the dispatcher beside the engine, or a bot edge's forwarder to it) or, in webhook mode, by the web app's endpoint.
/// Stopping ends polling and lets the sender finish the message it is sending.
/// </summary>
public sealed class TelegramBot(
    TelegramOptions options,
    ITelegramBotClient client,
    IUpdateSink updates,
    Action<string?> identified,
    Func<CancellationToken, Task> runSender,
    Func<IEnumerable<CommandScope>> menus,
    ComponentHealth health,
    TimeProvider clock,
    ILogger logger,
    Func<string>? figures = null,
    Func<string?>? trouble = null)
{
    public const string Component = "telegram";

    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _stopSender = new();
    private Task _sender = Task.CompletedTask;
    private Task _updates = Task.CompletedTask;
    private string? _username;

    public void Start()
    {
        health.Report(Component, ComponentState.Starting, "connecting to the Bot API");
        _sender = runSender(_stopSender.Token);
        _updates = RunAsync(_stop.Token);
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _updates;
        await _stopSender.CancelAsync();
        await _sender;
        health.Report(Component, ComponentState.Stopped);
        _stop.Dispose();
        _stopSender.Dispose();
    }

    private async Task RunAsync(CancellationToken cancel)
    {
        if (!await RegisterAsync(cancel))
        {
            return;
        }

        var how = options.EffectiveMode == TelegramMode.Webhook ? "webhook" : "long polling";
        var reporting = ReportAsync($"{how}, as @{_username}", cancel);
        if (options.EffectiveMode != TelegramMode.Webhook)
        {
            await new LongPolling(client, updates, clock, logger).RunAsync(cancel);
        }

        await reporting;
    }

    /// <summary>The component's line in /healthz and the Throne, with the outbox's and the updates' counts, every few seconds.</summary>
    private async Task ReportAsync(string how, CancellationToken cancel)
    {
        while (true)
        {
            // A bot edge whose engine is away says so: its updates wait (unconfirmed to Telegram) until the engine is back.
            var line = figures is null ? how : $"{how}; {figures()}";
            var problem = trouble?.Invoke();
            health.Report(Component, problem is null ? ComponentState.Running : ComponentState.Degraded, problem is null ? line : $"{line}; {problem}");
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(5), clock, cancel);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>getMe, the menus and the webhook (or its removal), retried with backoff; false once stopped.</summary>
    private async Task<bool> RegisterAsync(CancellationToken cancel)
    {
        var backoff = TimeSpan.FromSeconds(1);
        while (true)
        {
            try
            {
                _username = await BotRegistration.IdentifyAsync(client, cancel);
                identified(_username);
                await BotRegistration.PublishCommandsAsync(client, menus(), logger, cancel);
                if (options.EffectiveMode == TelegramMode.Webhook)
                {
                    await BotRegistration.UseWebhookAsync(client, options.WebhookUrl!, options.WebhookSecret!, cancel);
                }
                else
                {
                    await BotRegistration.UsePollingAsync(client, cancel);
                }

                return true;
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                return false;
            }
            catch (Exception e) when (e is global::Telegram.Bot.Exceptions.RequestException or HttpRequestException or TaskCanceledException)
            {
                // A wrong token answers 401 here: said once per attempt, without the token, and the server runs on.
                health.Report(Component, ComponentState.Degraded, $"Bot API unreachable or refusing: {e.Message}");
                logger.LogWarning("Telegram Bot API: {Message}; retrying in {Seconds} s", e.Message, backoff.TotalSeconds);
                try
                {
                    await Task.Delay(backoff, clock, cancel);
                }
                catch (OperationCanceledException)
                {
                    return false;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromMinutes(1).Ticks));
            }
        }
    }
}
