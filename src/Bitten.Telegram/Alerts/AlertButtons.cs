namespace Bitten.Telegram.Alerts;

/// <summary>
/// Where the alerts' buttons lead. Telegram allows a Mini App (web_app) button only in a private chat and only to an
/// https page, so a group's "Mission brief" is a t.me deep link that opens the bot's private chat, where /start
/// brief_{signal} answers with the reader's own mission and its web_app button; an http base (a local run) gets
/// plain link buttons.
/// </summary>
public sealed class AlertButtons(string? webAppUrl)
{
    private readonly string? _base = webAppUrl?.TrimEnd('/');
    private volatile string? _botUsername;

    /// <summary>The bot's @username, known once getMe answered.</summary>
    public string? BotUsername
    {
        get => _botUsername;
        set => _botUsername = value;
    }

    public const string BriefPrefix = "brief_";

    /// <summary>The brief of one user's mission, for a private chat.</summary>
    public BotButton? MissionBrief(string missionId)
    {
        if (_base is null)
        {
            return null;
        }

        var url = $"{_base}/hud/{Uri.EscapeDataString(missionId)}";
        return _base.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? BotButton.WebApp("📋 Mission brief", url) : BotButton.Link("📋 Mission brief", url);
    }

    /// <summary>A group's way to each reader's own brief of a signal.</summary>
    public BotButton? SignalBrief(string signalId) =>
        _botUsername is { Length: > 0 } bot ? BotButton.Link("📋 Mission brief", $"https://t.me/{bot}?start={BriefPrefix}{signalId}")
        : _base is null ? null
        : BotButton.Link("📋 Tracking", $"{_base}/tracking");

    public static BotButton Fire(string missionId) => BotButton.Callback("🔫 FIRE", $"fire:{missionId}");
}
