using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Bitten.Domain.Events;
using Bitten.Domain.Market;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Domain.Trading;
using Bitten.Domain.Users;
using Bitten.Engine.Execution;
using Bitten.Engine.Kernel;
using Bitten.Engine.Progression;
using Bitten.Engine.Market;
using Bitten.Engine.Signals;
using Bitten.Engine.Tracking;
using Bitten.Wire.Events;
using Bitten.Web.ReadModels;
using Bitten.Wire.Signals;
using Microsoft.AspNetCore.Builder;

namespace Bitten.Web.Tests;

/// <summary>A real kernel, desk and web host on a free loopback port, with three users and a recording outbox.</summary>
internal sealed class WebHarness : IAsyncDisposable
{
    public const string AdminToken = "admin-token";
    public const string TraderToken = "trader-token";
    public const string NoEaToken = "no-ea-token";
    public const long AdminId = 1;
    public const long TraderId = 2;
    public const long NoEaId = 3;
    public const string TraderEa = "EA-TRADER-2";

    private WebHarness(TradingKernel kernel, ExecutionDesk desk, RecordingOutbox outbox, FakeUsers users, WebApplication app, HttpClient http,
        PatternSwitchboard switchboard, ThresholdTuner tuner, RecordedEvents recorded,
        WebEvents events, SymbolRegistry symbols, ConcurrentDictionary<SymbolId, Candle[]> candles)
    {
        Switchboard = switchboard;
        Tuner = tuner;
        Recorded = recorded;
        Events = events;
        Symbols = symbols;
        Candles = candles;
        Kernel = kernel;
        Desk = desk;
        Outbox = outbox;
        Users = users;
        App = app;
        Http = http;
    }

    public TradingKernel Kernel { get; }

    /// <summary>The XP and achievements /api/users/me and the Throne show: touch it only through <see cref="Kernel"/>.</summary>
    public ProgressionBook Progression { get; private init; } = new();

    public ExecutionDesk Desk { get; }

    public RecordingOutbox Outbox { get; }

    public FakeUsers Users { get; }

    public WebApplication App { get; }

    public HttpClient Http { get; }

    /// <summary>The kernel's switchboard and tuner: read them only through <see cref="Kernel"/>.</summary>
    public PatternSwitchboard Switchboard { get; }

    public ThresholdTuner Tuner { get; }

    /// <summary>What the API recorded for the event log, and how often it waited for the log.</summary>
    public RecordedEvents Recorded { get; }

    /// <summary>The web's read models and stream, fed by the desk and by every signal the API injects.</summary>
    public WebEvents Events { get; }

    public SymbolRegistry Symbols { get; }

    /// <summary>What /api/candles finds per symbol (the kernel's history stands in).</summary>
    public ConcurrentDictionary<SymbolId, Candle[]> Candles { get; }

    /// <summary>Starts on <paramref name="options"/> (default: port 0), with <paramref name="logins"/> (made over the users) backing Mini App and browser logins.</summary>
    public static async Task<WebHarness> StartAsync(WebOptions? options = null, Func<FakeUsers, Bitten.Web.Auth.IWebLogins>? logins = null)
    {
        var clock = TimeProvider.System;
        var health = new ComponentHealth();
        var kernel = new TradingKernel(clock, new MarketOptions(), new KernelOptions(), health);
        var outbox = new RecordingOutbox();
        var events = new WebEvents();
        var desk = new ExecutionDesk(clock, new ExecutionOptions(), outbox, events);
        var users = new FakeUsers(
            new User(AdminId, 101, Tier.Commander, Role.Admin, FireMode.Manual, AutoFireSettings.Default, null, 0),
            new User(TraderId, 102, Tier.Fang, Role.User, FireMode.Manual, AutoFireSettings.Default, TraderEa, 0),
            new User(NoEaId, 103, Tier.Nibbler, Role.User, FireMode.Manual, AutoFireSettings.Default, null, 0));
        users.Tokens[AdminToken] = AdminId;
        users.Tokens[TraderToken] = TraderId;
        users.Tokens[NoEaToken] = NoEaId;
        kernel.Start();
        await kernel.AskAsync(() =>
        {
            foreach (var user in users.All)
            {
                desk.UpsertUser(user);
            }

            return true;
        });

        var switchboard = new PatternSwitchboard();
        var tuner = new ThresholdTuner(new EliteGuardOptions());
        var recorded = new RecordedEvents();
        var history = new List<TrackedSignal>();
        var symbols = new SymbolRegistry();
        var candles = new ConcurrentDictionary<SymbolId, Candle[]>();
        var progression = new ProgressionBook();
        var services = new WebServices(kernel, desk, users, users, symbols, clock,
            signal =>
            {
                // As the host's fan-out: recorded (and streamed) before the desk makes its missions.
                if (desk.HasSignal(signal.SignalId))
                {
                    return false;
                }

                lock (history)
                {
                    history.Add(new TrackedSignal(signal, null));
                }

                events.OnEvent(new SignalRaised(signal));
                return desk.Accept(signal);
            },
            health,
            History: () =>
            {
                lock (history)
                {
                    return [.. history];
                }
            },
            PatternStates: () => switchboard.States, Stored: recorded.StoredAsync, Switchboard: switchboard, Tuner: tuner,
            Record: recorded.Record, UserAdmin: users, RecentEvents: recorded.Recent,
            Events: events,
            M5Candles: symbol => candles.TryGetValue(symbol, out var bars) ? bars : [],
            Logins: logins?.Invoke(users),
            Progress: progression.ViewOf);
        var app = BittenWeb.Build(options ?? new WebOptions { Port = 0 }, services);
        await app.StartAsync();
        var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
        return new WebHarness(kernel, desk, outbox, users, app, http, switchboard, tuner, recorded, events, symbols, candles) { Progression = progression };
    }

    /// <summary>Sends a request and returns the status and the parsed JSON body (default when empty).</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string? token, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return (response.StatusCode, body);
    }

    public Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path, string? token) => SendAsync(HttpMethod.Get, path, token);

    public Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, string? token, string json) => SendAsync(HttpMethod.Post, path, token, json);

    /// <summary>Injects a BB_SCALP (RAPID, so every tier gets it) EURUSD BUY through the API as the admin.</summary>
    public async Task<string> InjectSignalAsync(long timestampMs, long expiresAtMs, string? id = null)
    {
        var signalId = id ?? SignalIds.Create(SignalClass.Rapid, PatternType.BbScalp, "EURUSD", timestampMs);
        var (status, body) = await PostAsync("/api/signals", AdminToken, SignalJsonText(signalId, timestampMs, expiresAtMs));
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        return signalId;
    }

    public static string SignalJsonText(string signalId, long timestampMs, long expiresAtMs, string symbol = "EURUSD")
    {
        var signal = new Signal(signalId, symbol, default, Direction.Buy, 1.1000, 1.0980, 1.1040, 20, 40, 2, 85, PatternType.BbScalp, 7,
            "LONDON", timestampMs, expiresAtMs, timestampMs);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            SignalJson.Write(json, signal);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The trader's EA says HELLO with a 10,000 balance, on the kernel thread as the gateway would.</summary>
    public Task<bool> CheckInTraderAsync()
    {
        var desk = Desk;
        return Kernel.AskAsync(() => desk.OnCheckIn(new EaCheckIn(TraderEa, true, new AccountSnapshot(10_000m, 10_000m, 10_000m, "USD"), [], [])));
    }

    public static long Now => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        await Kernel.DisposeAsync();
    }
}

internal sealed class RecordingOutbox : IExecutionOutbox
{
    private readonly Lock _gate = new();
    private readonly List<EaOrder> _orders = [];

    public IReadOnlyList<EaOrder> Orders
    {
        get
        {
            lock (_gate)
            {
                return [.. _orders];
            }
        }
    }

    public void Send(EaOrder order)
    {
        lock (_gate)
        {
            _orders.Add(order);
        }
    }

    public void Completed(string fireId, bool filled, long? ticket, double? price, string? message)
    {
    }
}

/// <summary>The events the API recorded (on the kernel thread), as the event log would be given them.</summary>
internal sealed class RecordedEvents
{
    private readonly Lock _gate = new();
    private readonly List<TradingEvent> _events = [];

    public int StoredWaits { get; private set; }

    public IReadOnlyList<TradingEvent> All
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    public void Record(TradingEvent e)
    {
        lock (_gate)
        {
            _events.Add(e);
        }
    }

    public Task StoredAsync()
    {
        lock (_gate)
        {
            StoredWaits++;
        }

        return Task.CompletedTask;
    }

    public IReadOnlyList<RecentEvent> Recent() =>
        [.. All.AsEnumerable().Reverse().Select(e => new RecentEvent(TradingEventJson.ToEnvelope(e).EventType, e.TimeMs, TradingEventJson.Describe(e)))];
}

/// <summary>The user store's faces for the API: tokens, fire-mode settings and the admin's changes, with the store's rules.</summary>
internal sealed class FakeUsers(params User[] users) : ITokenAuthenticator, IUserSettings, IUserAdmin
{
    private readonly Lock _gate = new();
    private readonly Dictionary<long, User> _users = users.ToDictionary(u => u.UserId);

    public Dictionary<string, long> Tokens { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<User> All
    {
        get
        {
            lock (_gate)
            {
                return [.. _users.Values];
            }
        }
    }

    public User? Authenticate(string token)
    {
        lock (_gate)
        {
            return Tokens.TryGetValue(token, out var id) ? _users[id] : null;
        }
    }

    public User SetFireMode(long userId, FireMode? mode, AutoFireSettings? auto)
    {
        lock (_gate)
        {
            var user = _users[userId];
            if (mode == FireMode.Auto && !user.Tier.AllowsAutoFire())
            {
                throw new ArgumentException($"AUTO mode is for COMMANDER, not {user.Tier.WireName()}");
            }

            if (auto?.Problem() is { } problem)
            {
                throw new ArgumentException(problem);
            }

            user = user with { Mode = mode ?? user.Mode, Auto = auto ?? user.Auto };
            _users[userId] = user;
            return user;
        }
    }

    public User? Update(long telegramId, Tier? tier, FireMode? mode, AutoFireSettings? auto)
    {
        lock (_gate)
        {
            if (_users.Values.FirstOrDefault(u => u.TelegramId == telegramId) is not { } user)
            {
                return null;
            }

            var updated = user with { Tier = tier ?? user.Tier, Mode = mode ?? user.Mode, Auto = auto ?? user.Auto };
            if (updated.Mode == FireMode.Auto && !updated.Tier.AllowsAutoFire())
            {
                throw new ArgumentException(updated.Tier.AutoFireRefusal());
            }

            _users[user.UserId] = updated;
            return updated;
        }
    }
}
