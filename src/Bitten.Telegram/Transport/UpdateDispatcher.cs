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
public sealed class UpdateDispatcher(IBotConversation conversation, IBotOutbox outbox, ITelegramBotClient client, ILogger logger) : IUpdateSink
{
    private long _messages;
    private long _callbacks;
    private long _ignored;
    private long _failed;

    public UpdateFigures Figures => new(Interlocked.Read(ref _messages), Interlocked.Read(ref _callbacks), Interlocked.Read(ref _ignored),
        Interlocked.Read(ref _failed));

    public async Task HandleAsync(Update update, CancellationToken cancel)
    {
        if (await StepAsync(update, cancel) is { } answer)
        {
            await AnswerAsync(client, answer.CallbackQueryId, answer.Text, logger, cancel);
        }
    }

    /// <summary>
    /// The update's step with its replies in the outbox; a button press's toast is returned for the caller to answer
    /// (here, <see cref="HandleAsync"/>; behind a bot edge, the edge, which is the one process that talks to Telegram).
    /// </summary>
    public async Task<CallbackToast?> StepAsync(Update update, CancellationToken cancel)
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
                return new CallbackToast(query.Id, Toast(answer.Toast));
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

        return null;
    }

    private void Enqueue(int updateId, IReadOnlyList<BotMessage> replies)
    {
        for (var i = 0; i < replies.Count; i++)
        {
            outbox.Enqueue($"reply:{updateId}:{i}", replies[i]);
        }
    }

    /// <summary>A toast is at most 200 characters; longer text is in the reply message anyway.</summary>
    private static string Toast(string toast) => toast.Length > 200 ? toast[..199] + "…" : toast;

    /// <summary>Answers a button press (Telegram's client spins until it is); shared with the bot edge, which answers for the engine.</summary>
    public static async Task AnswerAsync(ITelegramBotClient client, string queryId, string toast, ILogger logger, CancellationToken cancel)
    {
        try
        {
            await client.AnswerCallbackQuery(queryId, toast, cancellationToken: cancel);
        }
        catch (Exception e) when (e is RequestException or HttpRequestException)
        {
            // An old query (Telegram forgets them after a few minutes) cannot be answered; the reply still goes out.
            logger.LogWarning("Could not answer callback query: {Message}", e.Message);
        }
    }
}

/// <summary>The answer a button press is owed: its query's id and the toast to show.</summary>
public sealed record CallbackToast(string CallbackQueryId, string Text);

/// <summary>Updates taken: new messages, button presses, the rest left alone, and steps that failed.</summary>
public sealed record UpdateFigures(long Messages, long Callbacks, long Ignored, long Failed);
