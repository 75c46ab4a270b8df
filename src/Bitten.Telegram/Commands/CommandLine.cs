namespace Bitten.Telegram.Commands;

/// <summary>What a message's text is to the bot.</summary>
public enum CommandLineKind
{
    /// <summary>No text, or only spaces.</summary>
    Empty,

    /// <summary>Text that is not a command (or longer than a Telegram message can be).</summary>
    NotCommand,

    /// <summary>A command addressed to another bot (<c>/help@OtherBot</c>).</summary>
    OtherBot,

    Command,
}

/// <summary>
/// A message's text read as <c>/command[@BotName] args…</c>: the command lower-cased, the words after it split on
/// whitespace. Nothing here is echoed anywhere; handlers escape what they repeat.
/// </summary>
/// <remarks><see cref="Rest"/> is the text after the command word as typed (line breaks kept), for /broadcast.</remarks>
public sealed record CommandLine(CommandLineKind Kind, string Name, IReadOnlyList<string> Args, string Rest = "")
{
    /// <summary>Telegram's longest message.</summary>
    public const int MaxLength = 4096;

    private static readonly CommandLine EmptyLine = new(CommandLineKind.Empty, "", []);
    private static readonly CommandLine NotACommand = new(CommandLineKind.NotCommand, "", []);

    /// <param name="botUsername">The bot's own username (without @); null accepts a command addressed to any bot.</param>
    public static CommandLine Parse(string? text, string? botUsername)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return EmptyLine;
        }

        if (text.Length > MaxLength)
        {
            return NotACommand;
        }

        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var head = words[0];
        if (head.Length < 2 || head[0] != '/')
        {
            return NotACommand;
        }

        var name = head[1..];
        var at = name.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            var addressee = name[(at + 1)..];
            name = name[..at];
            if (botUsername is not null && !string.Equals(addressee, botUsername.TrimStart('@'), StringComparison.OrdinalIgnoreCase))
            {
                return new CommandLine(CommandLineKind.OtherBot, name.ToLowerInvariant(), []);
            }
        }

        // Telegram's command names: 1-32 of a-z, 0-9 and '_'.
        return name.Length is > 0 and <= 32 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
            ? new CommandLine(CommandLineKind.Command, name.ToLowerInvariant(), words[1..], text.TrimStart()[head.Length..].Trim())
            : NotACommand;
    }
}
