using Bitten.Domain.Users;

namespace Bitten.Telegram.Commands;

/// <summary>Who may use a command: anyone (even before /start), a registered user, or an ADMIN.</summary>
public enum CommandAudience
{
    Everyone,
    Registered,
    Admin,
}

/// <summary>
/// One command: its name (without the slash), what /help says of it, who may use it, the tier rule it needs
/// (<see cref="TierRule"/>, said as <see cref="TierRuleText"/>), whether it answers only in a private chat, and its handler.
/// </summary>
public sealed record BotCommandInfo(
    string Name,
    string Description,
    CommandAudience Audience,
    CommandHandler Handler,
    bool PrivateOnly = false,
    Func<Tier, bool>? TierRule = null,
    string? TierRuleText = null)
{
    /// <summary>Whether this user (null: not registered) may use the command at all (chat kind aside).</summary>
    public bool Allows(User? user) => Audience switch
    {
        CommandAudience.Everyone => true,
        CommandAudience.Registered => user is not null && (TierRule is null || TierRule(user.Tier)),
        _ => user is { IsAdmin: true },
    };
}

/// <summary>Every command the bot answers, in the order /help lists them: the one list /help and setMyCommands read.</summary>
public static class CommandCatalogue
{
    /// <summary>The trading commands' rule: every tier but RECRUIT, who gets the alerts only.</summary>
    public static bool Trades(Tier tier) => tier != Tier.Recruit;

    private const string TradesText = "for a press pass or a subscription (/presspass starts the 7-day trial)";

    public static IReadOnlyList<BotCommandInfo> All { get; } =
    [
        new("start", "Register, or link your account", CommandAudience.Everyone, AccountCommands.StartAsync),
        new("help", "What you can do here", CommandAudience.Everyone, AccountCommands.HelpAsync),
        new("status", "Your account and the system", CommandAudience.Registered, AccountCommands.StatusAsync),
        new("tier", "Your tier and what it allows", CommandAudience.Registered, AccountCommands.TierAsync),
        new("mode", "Your fire mode: /mode MANUAL|AUTO", CommandAudience.Registered, TradingCommands.ModeAsync, TierRule: Trades, TierRuleText: TradesText),
        new("autofire", "AUTO band, slots, risk: /autofire 80 89 10 5", CommandAudience.Registered, TradingCommands.AutoFireAsync,
            TierRule: Tiers.AllowsAutoFire, TierRuleText: "for COMMANDER and PRESS_PASS"),
        new("slots", "Slots in use and free", CommandAudience.Registered, TradingCommands.SlotsAsync, TierRule: Trades, TierRuleText: TradesText),
        new("missions", "Your missions, with FIRE buttons", CommandAudience.Registered, TradingCommands.MissionsAsync, TierRule: Trades, TierRuleText: TradesText),
        new("fire", "Fire a mission: /fire [mission]", CommandAudience.Registered, TradingCommands.FireAsync, TierRule: Trades, TierRuleText: TradesText),
        new("close", "Close: /close [ticket|all]", CommandAudience.Registered, TradingCommands.CloseAsync, TierRule: Trades, TierRuleText: TradesText),
        new("positions", "Your open positions", CommandAudience.Registered, TradingCommands.PositionsAsync, TierRule: Trades, TierRuleText: TradesText),
        new("performance", "Balance, equity and today's result", CommandAudience.Registered, TradingCommands.PerformanceAsync, TierRule: Trades, TierRuleText: TradesText),
        new("connect", "A pairing code for your EA", CommandAudience.Registered, AccountCommands.ConnectAsync, PrivateOnly: true),
        new("alerts", "Mission DMs: /alerts on|off", CommandAudience.Registered, AccountCommands.AlertsAsync),
        new("presspass", "Claim the 7-day press pass", CommandAudience.Registered, ProgressionCommands.PressPassAsync),
        new("xp", "Your XP and level", CommandAudience.Registered, ProgressionCommands.XpAsync),
        new("achievements", "Your achievements", CommandAudience.Registered, ProgressionCommands.AchievementsAsync),
        new("leaderboard", "The top traders; /leaderboard on|off", CommandAudience.Registered, ProgressionCommands.LeaderboardAsync),
        new("token", "A new API token", CommandAudience.Registered, AccountCommands.TokenAsync, PrivateOnly: true),
        new("login", "A one-time web login link", CommandAudience.Registered, AccountCommands.LoginAsync, PrivateOnly: true),
        new("stop", "Emergency stop: /stop soft|hard", CommandAudience.Admin, AdminCommands.StopAsync),
        new("resume", "Lift the emergency stop", CommandAudience.Admin, AdminCommands.ResumeAsync),
        new("pattern", "Switch a pattern: /pattern on|off NAME", CommandAudience.Admin, AdminCommands.PatternAsync),
        new("broadcast", "Message every user: /broadcast TEXT", CommandAudience.Admin, AdminCommands.BroadcastAsync),
    ];

    private static readonly Dictionary<string, BotCommandInfo> ByName = All.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);

    public static BotCommandInfo? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>What this user may use in this kind of chat: what /help lists.</summary>
    public static IEnumerable<BotCommandInfo> For(User? user, bool privateChat) =>
        All.Where(c => c.Allows(user) && (privateChat || !c.PrivateOnly));
}

/// <summary>A setMyCommands list: its scope (<c>default</c>, <c>all_private_chats</c>, <c>chat</c>), the chat of a chat scope, and the commands.</summary>
public sealed record CommandScope(string Scope, long? ChatId, IReadOnlyList<(string Command, string Description)> Commands);

/// <summary>
/// The command menus Telegram shows: everyone sees the public commands, private chats the user's ones too, and each
/// ADMIN's private chat every command that admin may use (a chat scope replaces the wider ones, so each list is complete).
/// </summary>
public static class BotCommandScopes
{
    public static IReadOnlyList<CommandScope> For(IEnumerable<User> users)
    {
        ArgumentNullException.ThrowIfNull(users);
        List<CommandScope> scopes =
        [
            new("default", null, Menu(c => c.Audience == CommandAudience.Everyone)),
            // A subscriber's menu: the trading commands too (a RECRUIT who opens one is told how to get a press pass).
            new("all_private_chats", null, Menu(c => c.Audience != CommandAudience.Admin && (c.TierRule is null || c.TierRule == CommandCatalogue.Trades))),
        ];
        scopes.AddRange(users.Where(u => u.IsAdmin).Select(u => new CommandScope("chat", u.TelegramId, Menu(c => c.Allows(u)))));
        return scopes;
    }

    private static List<(string, string)> Menu(Func<BotCommandInfo, bool> include) =>
        [.. CommandCatalogue.All.Where(include).Select(c => (c.Name, c.Description))];
}
