using Bitten.Domain.Users;

namespace Bitten.Telegram.Commands;

/// <summary>One command to answer: who sent it (null: not registered), where, and its words after the command.</summary>
public sealed record CommandRequest(BotServices Services, IncomingMessage Message, User? User, IReadOnlyList<string> Args, string Rest = "")
{
    /// <summary>The registered sender (the dispatcher only hands a command that needs one a request that has one).</summary>
    public User Caller => User ?? throw new InvalidOperationException("the command needs a registered user");

    public IReadOnlyList<BotMessage> Reply(string html, IReadOnlyList<IReadOnlyList<BotButton>>? buttons = null) =>
        [new BotMessage(Message.ChatId, html, buttons)];

    /// <summary>The first word lower-cased, or null.</summary>
    public string? Verb => Args.Count > 0 ? Args[0].ToLowerInvariant() : null;
}

/// <summary>A command's handler: its answer, as messages.</summary>
public delegate Task<IReadOnlyList<BotMessage>> CommandHandler(CommandRequest request);
