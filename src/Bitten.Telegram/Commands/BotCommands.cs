using Bitten.Domain.Users;
using Microsoft.Extensions.Logging;

namespace Bitten.Telegram.Commands;

/// <summary>
/// The bot's commands and buttons, whatever carries them (Telegram, the terminal): parses the text, checks who may use
/// the command (registered, tier, ADMIN, private chat) and hands it to its handler in <see cref="CommandCatalogue"/>.
/// Every question about a user is asked with the sender's own ids, so nothing typed reaches another user's data; a
/// failing dependency is logged and answered with a short apology, never thrown.
/// </summary>
public sealed class BotCommands(BotServices services, ILogger logger, string? botUsername = null) : Transport.IBotConversation
{
    public const string UnknownCommand = "I don't know that command — /help lists what you can do.";
    public const string NotRegistered = "Send /start to register.";
    public const string AskPrivately = "Ask me in a private chat.";
    public const string AdminsOnly = "Only an admin can do that.";
    public const string Apology = "Sorry, that did not work on our side. Please try again in a minute.";

    public async Task<IReadOnlyList<BotMessage>> OnMessageAsync(IncomingMessage m, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(m);
        var line = CommandLine.Parse(m.Text, botUsername);
        if (line.Kind is CommandLineKind.Empty or CommandLineKind.OtherBot || (line.Kind == CommandLineKind.NotCommand && !m.IsPrivateChat))
        {
            // Nothing to answer: no text, another bot's command, or a group's conversation.
            return [];
        }

        try
        {
            if (line.Kind == CommandLineKind.NotCommand || CommandCatalogue.Find(line.Name) is not { } command)
            {
                return Say(m, UnknownCommand);
            }

            var user = services.Users.ByTelegramId(m.TelegramId);
            if (Refusal(command, user, m.IsPrivateChat) is { } refusal)
            {
                return Say(m, refusal);
            }

            ct.ThrowIfCancellationRequested();
            return await command.Handler(new CommandRequest(services, m, user, line.Args, line.Rest));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return [];
        }
        catch (NotSupportedException e)
        {
            // A store that does not keep this yet (an older build's adapter): said, not an apology.
            logger.LogInformation("/{Command} is not supported here: {Reason}", line.Name, e.Message);
            return Say(m, BotFormat.NotAvailable);
        }
        catch (Exception e)
        {
            logger.LogError(e, "/{Command} from telegram id {TelegramId} failed", line.Name, m.TelegramId);
            return Say(m, Apology);
        }
    }

    public async Task<CallbackAnswer> OnCallbackAsync(IncomingCallback c, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(c);
        try
        {
            if (services.Users.ByTelegramId(c.TelegramId) is not { } user)
            {
                return new CallbackAnswer(NotRegistered, []);
            }

            ct.ThrowIfCancellationRequested();
            return await TradingButtons.OnPressAsync(services, user, c.Data);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return new CallbackAnswer("", []);
        }
        catch (Exception e)
        {
            logger.LogError(e, "button from telegram id {TelegramId} failed", c.TelegramId);
            return new CallbackAnswer(Apology, []);
        }
    }

    /// <summary>Why this user may not use the command here, or null when they may.</summary>
    private static string? Refusal(BotCommandInfo command, User? user, bool privateChat)
    {
        if (command.Allows(user))
        {
            return command.PrivateOnly && !privateChat ? AskPrivately : null;
        }

        return user is null ? NotRegistered
            : command.Audience == CommandAudience.Admin ? AdminsOnly
            : $"/{command.Name} is {command.TierRuleText}; you are {user.Tier.WireName()}.";
    }

    private static IReadOnlyList<BotMessage> Say(IncomingMessage m, string text) => [new BotMessage(m.ChatId, BotText.Escape(text))];
}
