using Telegram.Bot.Types;

namespace Bitten.Telegram.Transport;

/// <summary>
/// Where long polling hands each update, in order: the <see cref="UpdateDispatcher"/> when the engine runs in this
/// process, an <see cref="EngineUpdateForwarder"/> on a bot edge. It returns once the update is dealt with, so the next
/// poll's offset may confirm it to Telegram.
/// </summary>
public interface IUpdateSink
{
    Task HandleAsync(Update update, CancellationToken cancel);
}
