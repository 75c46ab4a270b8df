using Bitten.Telegram.Commands;
using Microsoft.Extensions.Logging;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Bitten.Telegram.Transport;

/// <summary>
/// What the bot tells Telegram when it starts: who it is (getMe, for the deep links), the command menus per scope, and
/// where updates go — a webhook with its secret, or none (long polling needs the webhook deleted, or getUpdates is
/// refused with 409).
/// </summary>
public static class BotRegistration
{
    public static readonly UpdateType[] Wanted = [UpdateType.Message, UpdateType.CallbackQuery];

    /// <summary>The bot's @username.</summary>
    public static async Task<string?> IdentifyAsync(ITelegramBotClient client, CancellationToken cancel) =>
        (await client.GetMe(cancel)).Username;

    public static async Task PublishCommandsAsync(ITelegramBotClient client, IEnumerable<CommandScope> lists, ILogger logger, CancellationToken cancel)
    {
        foreach (var list in lists)
        {
            BotCommandScope scope = list.Scope switch
            {
                "all_private_chats" => BotCommandScope.AllPrivateChats(),
                "all_group_chats" => BotCommandScope.AllGroupChats(),
                "chat" when list.ChatId is { } chat => BotCommandScope.Chat(chat),
                _ => BotCommandScope.Default(),
            };
            var commands = list.Commands.Select(c => new BotCommand { Command = c.Command, Description = c.Description });
            try
            {
                await client.SetMyCommands(commands, scope, cancellationToken: cancel);
            }
            catch (ApiRequestException e)
            {
                // A chat scope of an admin who never opened the bot's chat is refused; the menu is a convenience.
                logger.LogWarning("setMyCommands for {Scope} {Chat} refused: {Message}", list.Scope, list.ChatId, e.Message);
            }
        }
    }

    public static Task UseWebhookAsync(ITelegramBotClient client, string url, string secret, CancellationToken cancel) =>
        client.SetWebhook(url, secretToken: secret, allowedUpdates: Wanted, cancellationToken: cancel);

    public static Task UsePollingAsync(ITelegramBotClient client, CancellationToken cancel) =>
        client.DeleteWebhook(dropPendingUpdates: false, cancellationToken: cancel);
}
