using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Domain.Users;
using Bitten.Engine.Execution;
using Bitten.Engine.Kernel;
using Bitten.Engine.Tracking;

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
/// <see cref="Figures"/> the slot and EA figures of /healthz, <see cref="EventLog"/> its event-log figures, <see cref="Stored"/> a task that completes once
/// everything the kernel has recorded so far is committed (an accepted signal is answered only once it is stored). Without <see cref="History"/> the analytics route
/// answers 503 and /healthz reports no signals. <see cref="Logins"/> backs Mini App and browser logins; without it only
/// API tokens authenticate and /login answers 503.
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
    Func<PatternType, bool, long, bool>? KeepPatternOn = null,
    Func<Task>? Stored = null,
    Func<EventLogFigures>? EventLog = null,
    Bitten.Web.Auth.IWebLogins? Logins = null);
