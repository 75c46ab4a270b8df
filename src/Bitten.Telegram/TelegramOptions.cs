using System.Text.RegularExpressions;

namespace Bitten.Telegram;

/// <summary>How the Telegram bot talks to Telegram, if at all.</summary>
public enum TelegramMode
{
    Off,
    Polling,
    Webhook,
}

/// <summary>
/// The Telegram bot (section <c>Telegram</c>). <see cref="BotToken"/> and <see cref="WebhookSecret"/> are secrets: give
/// them through the environment (<c>BITTEN_Telegram__BotToken</c>) or a config file kept out of version control, never
/// on a command line others can read; they are never printed. The web host checks Mini App initData with the token even
/// while the bot is off. <see cref="Mode"/> unset means polling when a token is set and off without one.
/// </summary>
public sealed partial class TelegramOptions
{
    public const string Section = "Telegram";

    public const string DefaultApiBaseUrl = "https://api.telegram.org";

    public string? BotToken { get; set; }

    /// <summary>Telegram itself, a self-hosted Bot API server or a local test server.</summary>
    public string ApiBaseUrl { get; set; } = DefaultApiBaseUrl;

    public TelegramMode? Mode { get; set; }

    /// <summary>The secret_token Telegram sends back in X-Telegram-Bot-Api-Secret-Token; webhook mode needs it.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>The public HTTPS URL Telegram posts updates to in webhook mode (its path is served by the web app).</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>The group every signal is announced in; none when unset.</summary>
    public long? GroupChatId { get; set; }

    /// <summary>The public base of the web app, for the Mission brief buttons (<c>{WebAppUrl}/hud/{mission_id}</c>).</summary>
    public string? WebAppUrl { get; set; }

    /// <summary>Messages per second over all chats (Telegram allows about 30).</summary>
    public double MessagesPerSecond { get; set; } = 30;

    /// <summary>The least time between two messages to one private chat (Telegram: about one a second).</summary>
    public TimeSpan PerChatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Messages a minute to one group (Telegram: 20).</summary>
    public int GroupMessagesPerMinute { get; set; } = 20;

    public TelegramMode EffectiveMode => Mode ?? (string.IsNullOrEmpty(BotToken) ? TelegramMode.Off : TelegramMode.Polling);

    public IEnumerable<string> Validate()
    {
        if (BotToken is not null && !TokenShape().IsMatch(BotToken))
        {
            // The value itself is not echoed: it is a secret, even when mistyped.
            yield return "Telegram:BotToken is not a bot token (digits, a colon, then at least 30 letters, digits, '_' or '-')";
        }

        if (Mode is { } mode && !Enum.IsDefined(mode))
        {
            yield return "Telegram:Mode must be off, polling or webhook";
        }

        if (EffectiveMode != TelegramMode.Off && string.IsNullOrEmpty(BotToken))
        {
            yield return $"Telegram:Mode={EffectiveMode} needs Telegram:BotToken";
        }

        if (!IsHttpUrl(ApiBaseUrl))
        {
            yield return $"Telegram:ApiBaseUrl must be an http(s) URL, not '{ApiBaseUrl}'";
        }

        if (WebAppUrl is not null && !IsHttpUrl(WebAppUrl))
        {
            yield return $"Telegram:WebAppUrl must be an http(s) URL, not '{WebAppUrl}'";
        }

        if (EffectiveMode == TelegramMode.Webhook)
        {
            if (WebhookSecret is null || !SecretShape().IsMatch(WebhookSecret))
            {
                yield return "Telegram:Mode=webhook needs Telegram:WebhookSecret: 16-256 of A-Z, a-z, 0-9, '_' and '-'";
            }

            if (WebhookUrl is null || !IsHttpUrl(WebhookUrl))
            {
                yield return "Telegram:Mode=webhook needs Telegram:WebhookUrl, the public https URL Telegram posts to";
            }
        }

        if (MessagesPerSecond is <= 0 or > 1000 || double.IsNaN(MessagesPerSecond))
        {
            yield return "Telegram:MessagesPerSecond must be above 0 and at most 1000";
        }

        if (PerChatInterval < TimeSpan.Zero || PerChatInterval > TimeSpan.FromMinutes(1))
        {
            yield return "Telegram:PerChatInterval must be 0-60 seconds";
        }

        if (GroupMessagesPerMinute is < 1 or > 1000)
        {
            yield return "Telegram:GroupMessagesPerMinute must be 1-1000";
        }
    }

    private static bool IsHttpUrl(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    /// <summary>The shape BotFather hands out: the bot's id, a colon, a 35-character secret (some room for change).</summary>
    [GeneratedRegex("^[0-9]{1,20}:[A-Za-z0-9_-]{30,100}$")]
    private static partial Regex TokenShape();

    /// <summary>What setWebhook accepts as secret_token (1-256 of these; we ask for at least 16).</summary>
    [GeneratedRegex("^[A-Za-z0-9_-]{16,256}$")]
    private static partial Regex SecretShape();
}
