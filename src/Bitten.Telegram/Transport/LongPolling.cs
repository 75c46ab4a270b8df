using Microsoft.Extensions.Logging;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;

namespace Bitten.Telegram.Transport;

/// <summary>
/// Telegram's getUpdates long poll: one request waits up to <see cref="PollSeconds"/> for updates, which are handled in
/// order; the next request's offset confirms them, so an update is confirmed only once handled. A failing request backs
/// off (1 s doubling to 30 s, on the injected clock) and the poll goes on; only stopping the host ends it, and an update
/// being handled when it stops is left unconfirmed.
/// </summary>
public sealed class LongPolling(ITelegramBotClient client, IUpdateSink dispatcher, TimeProvider clock, ILogger logger)
{
    public const int PollSeconds = 25;

    public async Task RunAsync(CancellationToken cancel)
    {
        int? offset = null;
        var backoff = TimeSpan.FromSeconds(1);
        while (!cancel.IsCancellationRequested)
        {
            Update[] updates;
            try
            {
                updates = await client.GetUpdates(offset, limit: 100, timeout: PollSeconds, allowedUpdates: BotRegistration.Wanted, cancellationToken: cancel);
                backoff = TimeSpan.FromSeconds(1);
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is RequestException or HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
            {
                logger.LogWarning("Telegram getUpdates failed ({Message}); retrying in {Seconds} s", e.Message, backoff.TotalSeconds);
                await Task.Delay(backoff, clock, cancel).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
                continue;
            }

            foreach (var update in updates)
            {
                try
                {
                    await dispatcher.HandleAsync(update, cancel);
                }
                catch (OperationCanceledException) when (cancel.IsCancellationRequested)
                {
                    // Stopped mid-update (a bot edge waiting for its engine): left unconfirmed, so the next start gets it again.
                    return;
                }

                offset = update.Id + 1;
            }
        }
    }
}
