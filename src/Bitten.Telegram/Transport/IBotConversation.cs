namespace Bitten.Telegram.Transport;

/// <summary>
/// What answers the people who write to the bot: the command handlers, the same over Telegram and a terminal. Replies
/// are returned, not sent, so the transport routes every one of them through the outbox and its flood limits.
/// </summary>
public interface IBotConversation
{
    Task<IReadOnlyList<BotMessage>> OnMessageAsync(Commands.IncomingMessage message, CancellationToken cancel);

    Task<Commands.CallbackAnswer> OnCallbackAsync(Commands.IncomingCallback callback, CancellationToken cancel);
}
