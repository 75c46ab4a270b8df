using Bitten.Domain.Primitives;
using Bitten.Domain.Users;
using Bitten.Engine.Execution;
using Bitten.Engine.Kernel;
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
/// events recorded through the event recorder and awaited in the event log, users on the store. Press passes and
/// progression are not wired here yet (their commands say "not available in this process").
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
        var users = new StoreBotUsers(sp.GetRequiredService<UserStore>(), sp.GetRequiredService<LoginStore>(),
            sp.GetRequiredService<IOptions<WebOptions>>().Value);
        return new BotServices(sp.GetRequiredService<TradingKernel>(), sp.GetRequiredService<ExecutionDesk>(), users, clock,
            sp.GetRequiredService<IOptions<TelegramOptions>>().Value, outbox,
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
/// The bot's users on the user and login stores. New users register as PRESS_PASS until the RECRUIT tier exists; the
/// alerts and leaderboard switches need columns the store does not have yet, so they are not supported here.
/// </summary>
public sealed class StoreBotUsers(UserStore users, LoginStore logins, WebOptions web) : IBotUsers
{
    private static readonly TimeSpan PairingLifetime = TimeSpan.FromMinutes(10);

    private readonly StoreWebUsers _settings = new(users);

    public User? ByTelegramId(long telegramId) => users.ByTelegramId(telegramId);

    public (User User, bool Created) Register(long telegramId)
    {
        if (users.ByTelegramId(telegramId) is { } known)
        {
            return (known, false);
        }

        try
        {
            return (users.Add(telegramId, Tier.PressPass, Role.User, FireMode.Manual, null).User, true);
        }
        catch (InvalidOperationException) when (users.ByTelegramId(telegramId) is { } raced)
        {
            // Two /start at once: the other one registered them.
            return (raced, false);
        }
    }

    public User SetFireMode(long userId, FireMode? mode, AutoFireSettings? auto) => _settings.SetFireMode(userId, mode, auto);

    public User SetPreferences(long telegramId, bool? missionAlerts, bool? onLeaderboard) =>
        throw new NotSupportedException("mission alerts and the leaderboard switch are not stored by this build");

    public string NewToken(long telegramId) => users.NewToken(telegramId);

    public string LoginLink(long userId) => web.LoginUrl(web.Port, logins.CreateLink(userId));

    public string PairingCode(long userId) => users.CreatePairingCode(userId, PairingLifetime);

    public IReadOnlyList<User> List() => users.List();
}
