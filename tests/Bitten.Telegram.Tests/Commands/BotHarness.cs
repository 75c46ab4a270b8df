using System.Collections.Concurrent;
using Bitten.Domain.Events;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Domain.Trading;
using Bitten.Domain.Users;
using Bitten.Engine.Execution;
using Bitten.Engine.Kernel;
using Bitten.Engine.Market;
using Bitten.Engine.Tracking;
using Bitten.Telegram.Commands;
using Microsoft.Extensions.Logging;

namespace Bitten.Telegram.Tests.Commands;

/// <summary>A real kernel and desk with users of every tier and role, each with a live EA, and in-memory fakes for the rest.</summary>
internal sealed class BotHarness : IAsyncDisposable
{
    public const string BotName = "BittenBot";

    // Tuesday 2 January 2024 10:00 UTC.
    public static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeMilliseconds(1_704_189_600_000);

    private int _signals;

    public BotHarness()
    {
        Kernel = new TradingKernel(Clock, new MarketOptions(), new KernelOptions());
        Desk = new ExecutionDesk(Clock, new ExecutionOptions(), Orders);
        Services = new BotServices(Kernel, Desk, Users, Clock, new TelegramOptions(), Outbox, PressPasses, Progression, Switchboard,
            Recorded.Enqueue, () =>
            {
                Interlocked.Increment(ref StoredCalls);
                return Task.CompletedTask;
            },
            () => new BotStatus(2, 14, EmergencyStop.None));
        Bot = new BotCommands(Services, Log, BotName);
        Kernel.Start();
    }

    public ManualClock Clock { get; } = new(Start);

    public TradingKernel Kernel { get; }

    public ExecutionDesk Desk { get; }

    public RecordedOrders Orders { get; } = new();

    public FakeUsers Users { get; } = new();

    public RecordingOutbox Outbox { get; } = new();

    public FakePressPasses PressPasses { get; } = new();

    public FakeProgression Progression { get; } = new();

    public PatternSwitchboard Switchboard { get; } = new();

    public ConcurrentQueue<TradingEvent> Recorded { get; } = new();

    public int StoredCalls;

    public ListLogger Log { get; } = new();

    public BotServices Services { get; }

    public BotCommands Bot { get; }

    public long Now => Clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>A user with a live EA (EA_{id}), known to the store and the desk.</summary>
    public async Task<User> AddUserAsync(long userId, Tier tier, Role role = Role.User, FireMode mode = FireMode.Manual)
    {
        var user = new User(userId, 1000 + userId, tier, role, mode, AutoFireSettings.Default, $"EA_{userId}", 0);
        Users.Put(user);
        await Kernel.AskAsync(() =>
        {
            Desk.UpsertUser(user);
            return Desk.OnCheckIn(new EaCheckIn(user.EaUuid!, true, new AccountSnapshot(10_000m, 10_000m, 10_000m, "USD"), [], []));
        });
        return user;
    }

    /// <summary>A RAPID EURUSD signal through the desk: one mission per eligible user.</summary>
    public Task<string> SignalAsync(double confidence = 70, PatternType pattern = PatternType.BbScalp)
    {
        var now = Now;
        var id = SignalIds.Create(pattern.Class(), pattern, "EURUSD", now) + "_" + (++_signals);
        var signal = new Signal(id, "EURUSD", new SymbolId(0), Direction.Buy, 1.1000, 1.0980, 1.1030, 20, 30, 1.5, confidence, pattern, 7, "LONDON",
            now, now + (30 * 60_000), now);
        return Kernel.AskAsync(() =>
        {
            Assert.True(Desk.Accept(signal));
            return id;
        });
    }

    public static string MissionOf(string signalId, User user) => MissionStatuses.MissionId(signalId, user.UserId);

    public Task<Mission?> MissionAsync(User user, string missionId) => Kernel.AskAsync(() => Desk.MissionOf(user.UserId, missionId));

    /// <summary>Fires a new mission of the user with the FIRE button and fills it as ticket <paramref name="ticket"/>.</summary>
    public async Task<FireOrder> OpenPositionAsync(User user, long ticket)
    {
        await PressAsync(user, $"fire:{MissionOf(await SignalAsync(), user)}");
        var fire = Assert.IsType<FireOrder>(Orders.All[^1]);
        await Kernel.AskAsync(() =>
        {
            Desk.OnFill(new FillReport(fire.FireId, fire.EaUuid, true, ticket, 1.1001, fire.Lot, "done", new AccountSnapshot(10_000m, 10_000m, 9_000m, "USD")));
            return true;
        });
        return fire;
    }

    public Task<IReadOnlyList<BotMessage>> SayAsync(User? user, string? text, bool privateChat = true, long? telegramId = null)
    {
        var id = telegramId ?? user?.TelegramId ?? 999;
        return Bot.OnMessageAsync(new IncomingMessage(id, privateChat ? id : -100, privateChat, text), CancellationToken.None);
    }

    /// <summary>The one reply's text.</summary>
    public async Task<string> TextAsync(User? user, string text, bool privateChat = true) => Assert.Single(await SayAsync(user, text, privateChat)).Text;

    public Task<CallbackAnswer> PressAsync(User user, string data) =>
        Bot.OnCallbackAsync(new IncomingCallback(user.TelegramId, user.TelegramId, data), CancellationToken.None);

    public async ValueTask DisposeAsync() => await Kernel.DisposeAsync();
}

internal sealed class RecordedOrders : IExecutionOutbox
{
    private readonly ConcurrentQueue<EaOrder> _orders = new();

    public IReadOnlyList<EaOrder> All => [.. _orders];

    public void Send(EaOrder order) => _orders.Enqueue(order);

    public void Completed(string fireId, bool filled, long? ticket, double? price, string? message)
    {
    }
}

/// <summary>The store's rules for fire-mode changes (AUTO for COMMANDER and PRESS_PASS only, a valid band), in memory.</summary>
internal sealed class FakeUsers : IBotUsers
{
    private readonly ConcurrentDictionary<long, User> _byTelegram = new();

    public ConcurrentDictionary<long, (bool? Alerts, bool? Leaderboard)> Preferences { get; } = new();

    public Func<long, User?>? Lookup { get; set; }

    public void Put(User user) => _byTelegram[user.TelegramId] = user;

    public User? ByTelegramId(long telegramId) => Lookup is { } lookup ? lookup(telegramId) : _byTelegram.GetValueOrDefault(telegramId);

    public (User User, bool Created) Register(long telegramId)
    {
        var created = false;
        var user = _byTelegram.GetOrAdd(telegramId, id =>
        {
            created = true;
            return new User(50_000 + id, id, Tier.PressPass, Role.User, FireMode.Manual, AutoFireSettings.Default, null, 0);
        });
        return (user, created);
    }

    public User SetFireMode(long userId, FireMode? mode, AutoFireSettings? auto)
    {
        var user = _byTelegram.Values.Single(u => u.UserId == userId);
        var updated = user with { Mode = mode ?? user.Mode, Auto = auto ?? user.Auto };
        if (updated.Mode == FireMode.Auto && !updated.Tier.AllowsAutoFire())
        {
            throw new ArgumentException(updated.Tier.AutoFireRefusal(), nameof(mode));
        }

        if (updated.Auto.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(auto));
        }

        Put(updated);
        return updated;
    }

    public User SetPreferences(long telegramId, bool? missionAlerts, bool? onLeaderboard)
    {
        var was = Preferences.GetValueOrDefault(telegramId);
        Preferences[telegramId] = (missionAlerts ?? was.Alerts, onLeaderboard ?? was.Leaderboard);
        return _byTelegram[telegramId];
    }

    public string NewToken(long telegramId) => $"token-{telegramId}";

    public string LoginLink(long userId) => $"https://bitten.example/login?token=once-{userId}";

    public string PairingCode(long userId) => $"PAIR{userId}";

    public IReadOnlyList<User> List() => [.. _byTelegram.Values.OrderBy(u => u.UserId)];
}

internal sealed class FakePressPasses : IPressPasses
{
    public PressPassAnswer Answer { get; set; } = new(false, 0, "daily_cap", "Today's press passes are all taken; try tomorrow.");

    public Task<PressPassAnswer> ClaimAsync(long telegramId) => Task.FromResult(Answer);
}

internal sealed class FakeProgression : IProgression
{
    public Dictionary<long, ProgressSummary> Summaries { get; } = [];

    public List<LeaderRow> Leaders { get; } = [];

    public Task<ProgressSummary?> OfAsync(long userId) => Task.FromResult(Summaries.GetValueOrDefault(userId));

    public Task<IReadOnlyList<LeaderRow>> LeaderboardAsync(int top) => Task.FromResult<IReadOnlyList<LeaderRow>>([.. Leaders.Take(top)]);
}

internal sealed class ListLogger : ILogger
{
    public ConcurrentQueue<(LogLevel Level, Exception? Error)> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue((logLevel, exception));
}
