using Bitten.Domain.Trading;
using Bitten.Domain.Events;
using Bitten.Wire.Events;
using Bitten.Domain.Users;
using Bitten.Engine.Execution;
using Bitten.Gateway.Execution;
using Bitten.Persistence;
using Bitten.Persistence.Events;
using Microsoft.Extensions.Logging;

namespace Bitten.Host.Execution;

/// <summary>
/// The fire journal on the fire store, written through the event log's one writer. A batch of new fires — a signal's
/// auto-fires — is queued from the kernel thread as one compact row (<see cref="FireStore.SaveBatch"/>) right behind
/// the event of the signal it acts on, so no fire is ever durable ahead of its signal, and ahead of the signal's
/// mission events, which the desk tells only after the batch has left it. Once sent, the batch is filed into fires,
/// missions and slots in the writer's normal order. Completions are only queued.
/// </summary>
public sealed class StoreFireJournal(FireStore fires, EventLog writer, SignalPositions signals) : IFireJournal
{
    public async Task<IReadOnlyCollection<string>> Record(IReadOnlyList<FireOrder> newFires, Task sent)
    {
        ArgumentNullException.ThrowIfNull(newFires);
        var behind = 0L;
        foreach (var fire in newFires)
        {
            behind = Math.Max(behind, signals.Of(fire.SignalId));
        }

        // The rows are made on the writer thread: the kernel thread only queues. Once they are committed the writer
        // waits for the sends before it writes the signal's mission events: two cores, and the fires go first.
        IReadOnlyCollection<string> refused = [];
        await writer.CommitAhead((connection, transaction) => refused = fires.SaveBatch(Stored(newFires), connection, transaction), behind, sent);
        return refused;
    }

    // Queued, not waited for; whatever needs the rows sooner (a resend, a confirmation) files them itself first.
    public void Sent(IReadOnlyList<FireOrder> newFires) => _ = writer.CommitAsync((connection, transaction) => fires.FileBatches(connection, transaction));

    public void MarkSent(FireOrder fire) => writer.CommitSoon((connection, transaction) => fires.MarkSent(fire.FireId, connection, transaction));

    public void Complete(IReadOnlyList<FireCompletion> completions)
    {
        List<FireEnd> ends = [.. completions.Select(c => new FireEnd(c.FireId, c.Filled ? FireStatus.Filled : FireStatus.Failed, c.Ticket, c.Price, c.Message))];
        // Queued, not waited for: a confirmation's bookkeeping must never hold back the next fire. A failure is
        // reported by the event log's writer; after a crash the start settles such fires from the EA's own reports.
        _ = writer.CommitAsync((connection, transaction) => fires.CompleteAll(ends, connection, transaction));
    }

    private static List<StoredFire> Stored(IReadOnlyList<FireOrder> newFires) =>
        [.. newFires.Select(f => new StoredFire(f.FireId, f.UserId, f.EaUuid, f.MissionId, f.SignalId, f.Symbol,
            f.Direction == Bitten.Domain.Signals.Direction.Buy ? "BUY" : "SELL", f.Lot, f.StopLoss, f.TakeProfit, FireStatus.Sent, f.CreatedAtMs, 1,
            null, null, null, f.Source.WireName()))];
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

/// <summary>Every execution event in the log, one line each (the event log keeps them too).</summary>
public sealed class ExecutionLog(ILogger logger) : IExecutionObserver
{
    public void OnEvent(TradingEvent e)
    {
        // One mission per user per signal: too many for the console (the HUD and the event log show them). The level is
        // asked first, so a thousand missions a signal cost no sentences when Debug is off.
        var level = e is MissionCreated ? LogLevel.Debug : LogLevel.Information;
        if (logger.IsEnabled(level))
        {
            logger.Log(level, "{Event} user {User}: {Detail}", e.GetType().Name, TradingEventJson.UserOf(e), TradingEventJson.Describe(e));
        }
    }
}

/// <summary>API tokens and fire-mode changes on the user store, for the web API.</summary>
public sealed class StoreWebUsers(UserStore users, Action? changed = null) : Bitten.Web.ITokenAuthenticator, Bitten.Web.IUserSettings, Bitten.Web.IUserAdmin
{
    public User? Authenticate(string token) => users.Authenticate(token);

    public User SetFireMode(long userId, FireMode? mode, AutoFireSettings? auto)
    {
        var user = users.ById(userId) ?? throw new ArgumentException($"no user {userId}");
        try
        {
            var updated = users.Update(user.TelegramId, null, mode, auto, null);
            changed?.Invoke();
            return updated;
        }
        catch (InvalidOperationException e)
        {
            throw new ArgumentException(e.Message, e);
        }
    }

    public User? Update(long telegramId, Tier? tier, FireMode? mode, AutoFireSettings? auto)
    {
        if (users.ByTelegramId(telegramId) is null)
        {
            return null;
        }

        try
        {
            var updated = users.Update(telegramId, tier, mode, auto, null);
            changed?.Invoke();
            return updated;
        }
        catch (InvalidOperationException)
        {
            // Removed between the look-up and the update: no such user now.
            return null;
        }
    }
}
