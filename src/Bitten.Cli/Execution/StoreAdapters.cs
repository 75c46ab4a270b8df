using Bitten.Domain.Users;
using Bitten.Engine.Execution;
using Bitten.Gateway.Execution;
using Bitten.Persistence;
using Microsoft.Extensions.Logging;

namespace Bitten.Cli.Execution;

/// <summary>The fire journal on the SQLite fire store: new fires stored as SENT (one send, about to happen) in one transaction.</summary>
public sealed class StoreFireJournal(FireStore fires) : IFireJournal
{
    public void Record(IReadOnlyList<FireOrder> newFires) =>
        fires.SaveNew([.. newFires.Select(f => new StoredFire(f.FireId, f.UserId, f.EaUuid, f.MissionId, f.SignalId, f.Symbol,
            f.Direction == Bitten.Domain.Signals.Direction.Buy ? "BUY" : "SELL", f.Lot, f.StopLoss, f.TakeProfit, FireStatus.Sent, f.CreatedAtMs, 1,
            null, null, null))]);

    public void MarkSent(FireOrder fire) => fires.MarkSent(fire.FireId);

    public void Complete(IReadOnlyList<FireCompletion> completions) =>
        fires.CompleteAll([.. completions.Select(c => new FireEnd(c.FireId, c.Filled ? "FILLED" : "FAILED", c.Ticket, c.Price, c.Message))]);
}

/// <summary>EA pairing on the user store: a HELLO's one-time code binds the EA to the code's user.</summary>
public sealed class StorePairing(UserStore users, ILogger logger) : IEaPairing
{
    public User? Redeem(string code, string eaUuid)
    {
        var user = users.RedeemPairingCode(code, eaUuid);
        if (user is null)
        {
            logger.LogWarning("EA {Uuid} sent pairing code {Code}, which is unknown, used or expired", eaUuid, code);
        }

        return user;
    }
}

/// <summary>Every execution event in the log, one line each (the event log of the persistence issue keeps them too).</summary>
public sealed class ExecutionLog(ILogger logger) : IExecutionObserver
{
    public void OnEvent(ExecutionEvent e)
    {
        if (e.EventType == "mission_created")
        {
            // One per user per signal: too many for the console; the HUD and the event log show them.
            logger.LogDebug("{Type} user {User} {Mission}: {Detail}", e.EventType, e.UserId, e.MissionId, e.Detail);
            return;
        }

        logger.LogInformation("{Type} user {User} {Fire}: {Detail}", e.EventType, e.UserId, e.FireId ?? e.MissionId, e.Detail);
    }
}

/// <summary>API tokens and fire-mode changes on the user store, for the web API.</summary>
public sealed class StoreWebUsers(UserStore users) : Bitten.Web.ITokenAuthenticator, Bitten.Web.IUserSettings
{
    public User? Authenticate(string token) => users.Authenticate(token);

    public User SetFireMode(long userId, FireMode? mode, AutoFireSettings? auto)
    {
        var user = users.ById(userId) ?? throw new ArgumentException($"no user {userId}");
        try
        {
            return users.Update(user.TelegramId, null, mode, auto, null);
        }
        catch (InvalidOperationException e)
        {
            throw new ArgumentException(e.Message, e);
        }
    }
}
