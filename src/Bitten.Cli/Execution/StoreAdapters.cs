using Bitten.Domain.Users;
using Bitten.Engine.Execution;
using Bitten.Gateway.Execution;
using Bitten.Persistence;
using Bitten.Persistence.Events;
using Microsoft.Extensions.Logging;

namespace Bitten.Cli.Execution;

/// <summary>
/// The fire journal on the fire store, written through the event log's one writer: a burst of new fires is stored as
/// SENT (one send, about to happen) in the transaction that also commits every event before it — the signal, the
/// missions — so no fire is ever durable ahead of the signal it acts on. Called on the outbox thread, which waits for
/// the commit: a fire is sent only once stored.
/// </summary>
public sealed class StoreFireJournal(FireStore fires, EventLog writer) : IFireJournal
{
    public void Record(IReadOnlyList<FireOrder> newFires)
    {
        List<StoredFire> stored = [.. newFires.Select(f => new StoredFire(f.FireId, f.UserId, f.EaUuid, f.MissionId, f.SignalId, f.Symbol,
            f.Direction == Bitten.Domain.Signals.Direction.Buy ? "BUY" : "SELL", f.Lot, f.StopLoss, f.TakeProfit, FireStatus.Sent, f.CreatedAtMs, 1,
            null, null, null))];
        Wait(writer.CommitAsync((connection, transaction) => fires.SaveNew(stored, connection, transaction)));
    }

    public void MarkSent(FireOrder fire) => Wait(writer.CommitAsync((connection, transaction) => fires.MarkSent(fire.FireId, connection, transaction)));

    public void Complete(IReadOnlyList<FireCompletion> completions)
    {
        List<FireEnd> ends = [.. completions.Select(c => new FireEnd(c.FireId, c.Filled ? "FILLED" : "FAILED", c.Ticket, c.Price, c.Message))];
        Wait(writer.CommitAsync((connection, transaction) => fires.CompleteAll(ends, connection, transaction)));
    }

    // The outbox thread is a plain thread with nothing else to do until the commit: blocking it is the point.
    private static void Wait(Task commit) => commit.GetAwaiter().GetResult();
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
