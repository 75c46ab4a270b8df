using Bitten.Domain.Events;
using Bitten.Domain.Market;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Domain.Trading;
using Bitten.Domain.Users;
using Bitten.Engine.Execution;
using Bitten.Engine.Kernel;
using Bitten.Engine.Progression;
using Bitten.Engine.Signals;
using Bitten.Engine.Tracking;
using Bitten.Web.ReadModels;

namespace Bitten.Web;

/// <summary>Turns a bearer API token into its user; the composition root backs it with the user store.</summary>
public interface ITokenAuthenticator
{
    /// <summary>The token's user, or null when the token is unknown or revoked.</summary>
    User? Authenticate(string token);
}

/// <summary>Where fire-mode changes are stored, so they outlive the process; the kernel's copy is updated by the API.</summary>
public interface IUserSettings
{
    /// <summary>
    /// Applies a new mode and/or auto-fire settings (null = unchanged) and returns the updated user. Throws
    /// <see cref="ArgumentException"/> with a sentence for the user when the change is not allowed (AUTO for a
    /// non-COMMANDER, a band out of range).
    /// </summary>
    User SetFireMode(long userId, FireMode? mode, AutoFireSettings? auto);
}

/// <summary>An admin's changes to users, in the store; the API gives the result to the desk.</summary>
public interface IUserAdmin
{
    /// <summary>
    /// Applies a new tier, mode and/or auto-fire settings (null = unchanged) to the user with this Telegram id and
    /// returns them as stored, or null when there is no such user. Throws <see cref="ArgumentException"/> with a sentence
    /// when the change is not allowed (AUTO for a non-COMMANDER, a band out of range); nothing is stored then.
    /// </summary>
    User? Update(long telegramId, Tier? tier, FireMode? mode, AutoFireSettings? auto);
}

/// <summary>One of the last events recorded, for the Throne: its §7 type, event time and a sentence.</summary>
public sealed record RecentEvent(string EventType, long TimestampMs, string Summary);

/// <summary>
/// The /healthz figures only the composition root can see without asking the kernel (which /healthz must not do:
/// it has to answer while the kernel is stopped): auto-fire slots in use and allowed, summed over users, and whether
/// any EA has been seen within its heartbeat grace.
/// </summary>
public sealed record HealthFigures(int SlotsUsed, int SlotsMax, bool EaConnected);

/// <summary>
/// The event log's back-pressure, for /healthz: items waiting for the writer (of <see cref="Capacity"/>), how often and
/// how long producers waited for room (money-path events are never shed, so a full queue holds them back), and the
/// market data, health and pattern events shed by type.
/// </summary>
public sealed record EventLogFigures(int QueueDepth, int Capacity, long Waits, TimeSpan Waited, IReadOnlyDictionary<string, long> Shed);

/// <summary>
/// What the endpoints need. <see cref="Desk"/> is only ever touched on the kernel thread, through
/// <see cref="TradingKernel.AskAsync{T}"/>; <see cref="InjectSignal"/> likewise runs on the kernel thread and returns
/// false for a signal id already seen.
/// <para>
/// The optional members are called on request threads, so each must return a snapshot safe to read there:
/// <see cref="History"/> every tracked signal with its outcome so far (pattern analytics, /healthz),
/// <see cref="PatternStates"/> the kernel's pattern switchboard (off by record, kept on by an admin) — the one source of
/// truth for disabled patterns, never recomputed on a request thread — and
/// <see cref="Figures"/> the slot and EA figures of /healthz, <see cref="EventLog"/> its event-log figures (the same instance while they do not move, so /healthz keeps its cached body), <see cref="Stored"/> a task that completes once
/// everything the kernel has recorded so far is committed (an accepted signal is answered only once it is stored). Without <see cref="History"/> the analytics route
/// answers 503 and /healthz reports no signals. <see cref="Events"/> is fed every recorded event (performance, fire
/// states, the event stream); <see cref="M5Candles"/> runs on the kernel thread and returns a copy; <see cref="System"/>
/// is /status's and /stats's figures. <see cref="Logins"/> backs Mini App and browser logins; without it only
/// API tokens authenticate and /login answers 503. <see cref="Progress"/> is a user's XP, level and achievements and runs
/// on the kernel thread (the progression book is the kernel's); without it /api/users/me carries no progress.
/// </para>
/// <para>
/// The admin's members: <see cref="Switchboard"/> and <see cref="Tuner"/> are the kernel's and, like <see cref="Desk"/>,
/// touched only on the kernel thread; <see cref="Record"/> records an event in the event log and is called on the kernel
/// thread too; <see cref="UserAdmin"/> changes users in the store; <see cref="RecentEvents"/> the last events recorded
/// (newest first, any thread); <see cref="Checkpoint"/> saves the kernel's state now (a threshold set by an admin survives
/// a crash right after). Without the switchboard, the tuner or the recorder their routes answer 503.
/// </para>
/// </summary>
public sealed record WebServices(
    TradingKernel Kernel,
    ExecutionDesk Desk,
    ITokenAuthenticator Tokens,
    IUserSettings Settings,
    SymbolRegistry Symbols,
    TimeProvider Clock,
    Func<Signal, bool> InjectSignal,
    ComponentHealth? Health = null,
    Func<IReadOnlyList<TrackedSignal>>? History = null,
    Func<PatternStates>? PatternStates = null,
    Func<HealthFigures>? Figures = null,
    Func<Task>? Stored = null,
    Func<EventLogFigures>? EventLog = null,
    PatternSwitchboard? Switchboard = null,
    ThresholdTuner? Tuner = null,
    Action<TradingEvent>? Record = null,
    IUserAdmin? UserAdmin = null,
    Func<IReadOnlyList<RecentEvent>>? RecentEvents = null,
    Func<Task>? Checkpoint = null,

    WebEvents? Events = null,
    Func<SymbolId, Candle[]>? M5Candles = null,
    Func<SystemFigures>? System = null,
    Bitten.Web.Auth.IWebLogins? Logins = null,
    Func<long, ProgressView?>? Progress = null,
    Func<BotFigures>? Bot = null,
    Func<CurveFigures>? Curve = null);

/// <summary>
/// CURVE on the ZeroMQ ports, for /healthz and /metrics: whether the bound sockets require it, and the handshakes libzmq
/// refused, per port (command, confirm, market_in, market_out) and reason (wrong_server_key, no_curve, other).
/// </summary>
public sealed record CurveFigures(bool Enabled, long Refused, IReadOnlyList<(string Port, string Reason, long Count)> Failures);

/// <summary>
/// The Telegram bot's running totals for /metrics: messages sent and failed for good, waiting in the outbox, 429 pauses and
/// retries; updates taken (messages, button presses), left alone and failed; webhook calls refused for their secret.
/// </summary>
public sealed record BotFigures(long Sent, long Failed, long Waiting, long FloodWaits, long Retries, long Messages, long Callbacks, long Ignored,
    long UpdatesFailed, long WebhookRefused);

/// <summary>A symbol's last quote as the bridge published it (event time, Unix ms).</summary>
public sealed record QuoteFigure(string Symbol, double Bid, double Ask, long TimeMs);

/// <summary>
/// The running totals /status, /stats and /metrics show, as one immutable value the composition root publishes (so
/// none of them asks the kernel): ticks published and rejected (by reason), missions, fires sent, fills, refusals
/// (by code), EAs alive, the emergency stop and each symbol's last quote.
/// </summary>
public sealed record SystemFigures(
    long Ticks,
    IReadOnlyDictionary<string, long> Rejects,
    long Missions,
    long Fires,
    long Fills,
    IReadOnlyDictionary<string, long> Refusals,
    int Eas,
    EmergencyStop EmergencyStop,
    IReadOnlyList<QuoteFigure> Quotes)
{
    public static SystemFigures None { get; } = new(0, new Dictionary<string, long>(), 0, 0, 0, new Dictionary<string, long>(), 0, EmergencyStop.None, []);
}
