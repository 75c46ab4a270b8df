using Bitten.Domain.Events;
using Bitten.Domain.Trading;
using Bitten.Domain.Users;
using Bitten.Engine.Execution;
using Bitten.Engine.Kernel;
using Bitten.Engine.Tracking;

namespace Bitten.Telegram.Commands;

/// <summary>The users the bot answers, in the store: the composition root backs it with the user and login stores.</summary>
public interface IBotUsers
{
    User? ByTelegramId(long telegramId);

    /// <summary>The user with this Telegram id, made (eligible for a press pass) when there is none; Created says which.</summary>
    (User User, bool Created) Register(long telegramId);

    /// <summary>New mode and/or auto-fire settings (null: unchanged); throws <see cref="ArgumentException"/> with a sentence when not allowed.</summary>
    User SetFireMode(long userId, FireMode? mode, AutoFireSettings? auto);

    /// <summary>Mission DMs opt-in and leaderboard opt-out (null: unchanged).</summary>
    User SetPreferences(long telegramId, bool? missionAlerts, bool? onLeaderboard);

    /// <summary>A new API token (every older one stops working).</summary>
    string NewToken(long telegramId);

    /// <summary>A one-time browser login link: the full URL.</summary>
    string LoginLink(long userId);

    /// <summary>An EA pairing code, valid 10 minutes.</summary>
    string PairingCode(long userId);

    IReadOnlyList<User> List();
}

/// <summary>Press pass claims: the 7-day trial, within the daily cap.</summary>
public interface IPressPasses
{
    Task<PressPassAnswer> ClaimAsync(long telegramId);
}

/// <summary>A claim's answer: granted until <see cref="ExpiresMs"/>, or refused with a code and a sentence.</summary>
public sealed record PressPassAnswer(bool Granted, long ExpiresMs, string? RefusalCode, string Message);

/// <summary>XP, levels, achievements and the leaderboard.</summary>
public interface IProgression
{
    Task<ProgressSummary?> OfAsync(long userId);

    /// <summary>The top traders who stay on the leaderboard (users may opt out).</summary>
    Task<IReadOnlyList<LeaderRow>> LeaderboardAsync(int top);
}

public sealed record ProgressSummary(
    long Xp,
    int Level,
    long? NextLevelXp,
    int WinStreak,
    int Trades,
    int TakeProfits,
    int StopLosses,
    IReadOnlyList<(string Name, string Description, long UnlockedAtMs)> Achievements);

/// <summary>One row of the leaderboard: the bot shows the rank, a masked name and the XP, nothing else of another user.</summary>
public sealed record LeaderRow(int Rank, long TelegramId, long Xp, int Level);

/// <summary>The system in one line for /status: EAs online, signals today, the emergency stop.</summary>
public sealed record BotStatus(int EasOnline, int SignalsToday, EmergencyStop EmergencyStop);

/// <summary>
/// What the command handlers need. <see cref="Desk"/>, <see cref="Switchboard"/> and <see cref="Record"/> are touched only
/// on the kernel thread (through <see cref="TradingKernel.AskAsync{T}"/>); <see cref="Stored"/> completes once everything
/// recorded so far is committed; <see cref="Status"/> is read on any thread. The optional services missing from a process
/// make their commands say "not available in this process".
/// </summary>
public sealed record BotServices(
    TradingKernel Kernel,
    ExecutionDesk Desk,
    IBotUsers Users,
    TimeProvider Clock,
    TelegramOptions Options,
    IBotOutbox Outbox,
    IPressPasses? PressPasses = null,
    IProgression? Progression = null,
    PatternSwitchboard? Switchboard = null,
    Action<TradingEvent>? Record = null,
    Func<Task>? Stored = null,
    Func<BotStatus>? Status = null);
