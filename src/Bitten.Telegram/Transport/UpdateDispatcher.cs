using Bitten.Telegram.Commands;
using Microsoft.Extensions.Logging;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types.Enums;

namespace Bitten.Telegram.Transport;

/// <summary>
/// Turns one Telegram update into a conversation step, whichever way it came (long polling or the webhook). Only new
/// messages and button presses are taken; edits, stickers, joins and the rest are counted and left. Replies go to the
/// outbox under the update's id, so an update Telegram delivers again (a restart before the offset was confirmed)
/// is answered once. A callback is answered at once, outside the outbox: Telegram's client spins until it is.
/// Nothing a user sends can stop the dispatcher: a failing step is logged and counted, and the next update goes on.
/// </summary>
public sealed class UpdateDispatcher(IBotConversation conversation, IBotOutbox outbox, ITelegramBotClient client, ILogger logger)
{
    private long _messages;
    private long _callbacks;
    private long _ignored;
    private long _failed;

    public UpdateFigures Figures => new(Interlocked.Read(ref _messages), Interlocked.Read(ref _callbacks), Interlocked.Read(ref _ignored),
        Interlocked.Read(ref _failed));

    public async Task HandleAsync(Update update, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(update);
        try
        {
            if (update.Message is { From: { } from } message && update.Type == UpdateType.Message)
            {
                Interlocked.Increment(ref _messages);
                var incoming = new IncomingMessage(from.Id, message.Chat.Id, message.Chat.Type == ChatType.Private, message.Text, from.Username);
                Enqueue(update.Id, await conversation.OnMessageAsync(incoming, cancel));
            }
            else if (update.CallbackQuery is { } query)
            {
                Interlocked.Increment(ref _callbacks);
                var chat = query.Message?.Chat.Id ?? query.From.Id;
                var answer = await conversation.OnCallbackAsync(new IncomingCallback(query.From.Id, chat, query.Data), cancel);
                Enqueue(update.Id, answer.Messages);
                await AnswerAsync(query.Id, answer.Toast, cancel);
            }
            else
            {
                Interlocked.Increment(ref _ignored);
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            Interlocked.Increment(ref _failed);
            logger.LogError(e, "Telegram update {UpdateId} failed", update.Id);
        }
    }

    private void Enqueue(int updateId, IReadOnlyList<BotMessage> replies)
    {
        for (var i = 0; i < replies.Count; i++)
        {
            outbox.Enqueue($"reply:{updateId}:{i}", replies[i]);
        }
    }

    private async Task AnswerAsync(string queryId, string toast, CancellationToken cancel)
    {
        try
        {
            // A toast is at most 200 characters; longer text is in the reply message anyway.
            await client.AnswerCallbackQuery(queryId, toast.Length > 200 ? toast[..199] + "…" : toast, cancellationToken: cancel);
        }
        catch (Exception e) when (e is RequestException or HttpRequestException)
        {
            // An old query (Telegram forgets them after a few minutes) cannot be answered; the reply still goes out.
            logger.LogWarning("Could not answer callback query: {Message}", e.Message);
        }
    }
}

/// <summary>Updates taken: new messages, button presses, the rest left alone, and steps that failed.</summary>
public sealed record UpdateFigures(long Messages, long Callbacks, long Ignored, long Failed);
