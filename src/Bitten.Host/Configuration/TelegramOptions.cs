using System.Text.RegularExpressions;

namespace Bitten.Host.Configuration;

/// <summary>How the Telegram bot talks to Telegram, if at all.</summary>
public enum TelegramMode
{
    Off,
    Polling,
    Webhook,
}

/// <summary>
/// The Telegram bot (section <c>Telegram</c>). <see cref="BotToken"/> is a secret: give it through the environment
/// (<c>BITTEN_Telegram__BotToken</c>) or a config file kept out of version control, never on a command line others can
/// read; it is never printed. The web host checks Mini App initData with it even while <see cref="Mode"/> is Off.
/// </summary>
public sealed partial class TelegramOptions
{
    public const string Section = "Telegram";

    public string? BotToken { get; set; }

    public TelegramMode Mode { get; set; } = TelegramMode.Off;

    public IEnumerable<string> Validate()
    {
        if (BotToken is not null && !TokenShape().IsMatch(BotToken))
        {
            // The value itself is not echoed: it is a secret, even when mistyped.
            yield return "Telegram:BotToken is not a bot token (digits, a colon, then at least 30 letters, digits, '_' or '-')";
        }

        if (Mode != TelegramMode.Off && string.IsNullOrEmpty(BotToken))
        {
            yield return $"Telegram:Mode={Mode} needs Telegram:BotToken";
        }

        if (!Enum.IsDefined(Mode))
        {
            yield return "Telegram:Mode must be off, polling or webhook";
        }
    }

    /// <summary>The shape BotFather hands out: the bot's id, a colon, a 35-character secret (some room for change).</summary>
    [GeneratedRegex("^[0-9]{1,20}:[A-Za-z0-9_-]{30,100}$")]
    private static partial Regex TokenShape();
}
