using Bitten.Telegram.Commands;
using Bitten.Telegram.Transport;

namespace Bitten.Telegram.Tests.Transport;

/// <summary>A conversation that answers every message with its text echoed back, and records what it heard.</summary>
public sealed class ScriptedConversation : IBotConversation
{
    public List<IncomingMessage> Messages { get; } = [];

    public List<IncomingCallback> Callbacks { get; } = [];

    public Task<IReadOnlyList<BotMessage>> OnMessageAsync(IncomingMessage message, CancellationToken cancel)
    {
        lock (Messages)
        {
            Messages.Add(message);
        }

        return Task.FromResult<IReadOnlyList<BotMessage>>([new BotMessage(message.ChatId, "heard " + BotText.Escape(message.Text))]);
    }

    public Task<CallbackAnswer> OnCallbackAsync(IncomingCallback callback, CancellationToken cancel)
    {
        lock (Callbacks)
        {
            Callbacks.Add(callback);
        }

        return Task.FromResult(new CallbackAnswer("pressed " + callback.Data, []));
    }
}
