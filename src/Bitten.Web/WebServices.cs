using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Domain.Users;
using Bitten.Engine.Execution;
using Bitten.Engine.Kernel;

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
/// What the endpoints need. <see cref="Desk"/> is only ever touched on the kernel thread, through
/// <see cref="TradingKernel.AskAsync{T}"/>; <see cref="InjectSignal"/> likewise runs on the kernel thread and returns
/// false for a signal id already seen.
/// </summary>
public sealed record WebServices(
    TradingKernel Kernel,
    ExecutionDesk Desk,
    ITokenAuthenticator Tokens,
    IUserSettings Settings,
    SymbolRegistry Symbols,
    TimeProvider Clock,
    Func<Signal, bool> InjectSignal,
    ComponentHealth? Health = null);
