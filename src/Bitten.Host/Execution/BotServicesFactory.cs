using Bitten.Domain.Primitives;
using Bitten.Domain.Users;
using Bitten.Engine.Execution;
using Bitten.Engine.Kernel;
using Bitten.Engine.Progression;
using Bitten.Engine.Signals;
using Bitten.Gateway.Events;
using Bitten.Persistence;
using Bitten.Persistence.Events;
using Bitten.Telegram;
using Bitten.Telegram.Commands;
using Bitten.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bitten.Host.Execution;

/// <summary>
/// The bot's services from a host that runs the Engine and EventLog roles: the kernel's desk and switchboard, admin
/// events recorded through the event recorder and awaited in the event log, users on the store, progression from the
/// kernel's book, and press passes when this host runs them (with the gateway and the bridge their accounts use).
/// </summary>
public static class BotServicesFactory
{
    public static BotServices Create(IServiceProvider sp, IBotOutbox outbox)
    {
        ArgumentNullException.ThrowIfNull(sp);
        ArgumentNullException.ThrowIfNull(outbox);
        var clock = sp.GetRequiredService<TimeProvider>();
        var figures = sp.GetRequiredService<ExecutionFigures>();
        var history = sp.GetRequiredService<SignalHistory>();
        var kernel = sp.GetRequiredService<TradingKernel>();
        var directory = sp.GetRequiredService<UserDirectory>();
        var users = new StoreBotUsers(sp.GetRequiredService<UserStore>(), sp.GetRequiredService<LoginStore>(),
            sp.GetRequiredService<IOptions<WebOptions>>().Value, directory);
        var presses = sp.GetService<PressPasses>();
        return new BotServices(kernel, sp.GetRequiredService<ExecutionDesk>(), users, clock,
            sp.GetRequiredService<IOptions<TelegramOptions>>().Value, outbox,
            PressPasses: presses is null ? null : new HostPressPasses(presses, directory),
            Progression: new BookProgression(kernel, sp.GetRequiredService<ProgressionBook>(), directory),
            Switchboard: sp.GetRequiredService<SignalPipeline>().Switchboard,
            Record: sp.GetRequiredService<EventRecorder>().OnEvent,
            Stored: sp.GetRequiredService<EventLog>().WhenCommittedAsync,
            Status: () =>
            {
                var desk = figures.Desk;
                var today = UnixMs.Now(clock) / UnixMs.Day * UnixMs.Day;
                return new BotStatus(desk.Eas, history.Snapshot().Count(t => t.Signal.TimestampMs >= today), desk.EmergencyStop);
            });
    }
}

/// <summary>
/// The bot's users on the user and login stores. /start registers a RECRUIT (alerts only, eligible for a press pass);
/// every change the bot makes is put in the users directory at once, so the alerts see it before the next sync.
/// </summary>
public sealed class StoreBotUsers(UserStore users, LoginStore logins, WebOptions web, UserDirectory? directory = null) : IBotUsers
{
    private static readonly TimeSpan PairingLifetime = TimeSpan.FromMinutes(10);

    private readonly StoreWebUsers _settings = new(users);

    public User? ByTelegramId(long telegramId) => users.ByTelegramId(telegramId);

    public (User User, bool Created) Register(long telegramId) => Put(users.Register(telegramId));

    public User SetFireMode(long userId, FireMode? mode, AutoFireSettings? auto) => Put(_settings.SetFireMode(userId, mode, auto));

    public User SetPreferences(long telegramId, bool? missionAlerts, bool? onLeaderboard) => Put(users.SetPreferences(telegramId, missionAlerts, onLeaderboard));

    public string NewToken(long telegramId) => users.NewToken(telegramId);

    public string LoginLink(long userId) => web.LoginUrl(web.Port, logins.CreateLink(userId));

    public string PairingCode(long userId) => users.CreatePairingCode(userId, PairingLifetime);

    public IReadOnlyList<User> List() => users.List();

    private (User User, bool Created) Put((User User, bool Created) registered)
    {
        Put(registered.User);
        return registered;
    }

    private User Put(User user)
    {
        directory?.Put(user);
        return user;
    }
}

/// <summary>Press pass claims through the host's press passes (store, desk, event and simulated account together).</summary>
public sealed class HostPressPasses(PressPasses passes, UserDirectory directory) : IPressPasses
{
    public async Task<PressPassAnswer> ClaimAsync(long telegramId)
    {
        var grant = await passes.ClaimAsync(telegramId);
        if (grant.User is { } user)
        {
            directory.Put(user);
        }

        return grant is { Granted: true, User: { } granted }
            ? new PressPassAnswer(true, granted.PressPassExpiresMs ?? 0, null,
                "Your simulated account has 10,000 and takes every RAPID signal: fire by hand, or /mode AUTO to let auto-fire act (one slot).")
            : new PressPassAnswer(false, 0, grant.Refusal!.Value.Code(), grant.Refusal.Value.Explain());
    }
}

/// <summary>XP, levels, achievements and the leaderboard from the kernel's progression book, asked on the kernel thread.</summary>
public sealed class BookProgression(TradingKernel kernel, ProgressionBook book, UserDirectory directory) : IProgression
{
    public async Task<ProgressSummary?> OfAsync(long userId)
    {
        var view = await kernel.AskAsync(() => book.ViewOf(userId));
        return view.Trades == 0 && view.Xp == 0 && view.Achievements.Count == 0 ? null
            : new ProgressSummary(view.Xp, view.Level, view.NextLevelXp, view.WinStreak, view.Trades, view.TakeProfits, view.StopLosses,
                [.. view.Achievements.Select(a => (a.Name, Achievements.Describe(a.Achievement).Description, a.UnlockedAtMs))]);
    }

    public async Task<IReadOnlyList<LeaderRow>> LeaderboardAsync(int top)
    {
        var rows = await kernel.AskAsync(() => book.Leaderboard(top, userId => directory.ById(userId) is not { OnLeaderboard: false }));
        return [.. rows.Select(r => new LeaderRow(r.Rank, directory.ById(r.UserId)?.TelegramId ?? 0, r.Xp, r.Level))];
    }
}
