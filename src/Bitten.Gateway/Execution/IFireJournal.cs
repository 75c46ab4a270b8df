using Bitten.Domain.Users;
using Bitten.Engine.Execution;

namespace Bitten.Gateway.Execution;

/// <summary>
/// Where fires are stored before they are sent (the outbox of DESIGN.md §7): a batch of new fires is committed in one
/// transaction, then sent; a resend counts one more send; a confirmation completes the stored fire.
/// </summary>
public interface IFireJournal
{
    /// <summary>
    /// Queues the commit of a batch of new fires and returns at once (it is called on the kernel thread, as the batch
    /// leaves the desk); the task completes once they are durable, and the outbox sends none of them before.
    /// <paramref name="sent"/> completes once the outbox has handed every one of them to the gateway, or given up on
    /// them: the journal may hold its other writes back until then, so the sends have the cores.
    /// </summary>
    /// <returns>
    /// The fire ids the store refused because their mission already fired under another fire id (the database's
    /// one-time fire lock): they are not stored, and the outbox never sends them. Empty almost always.
    /// </returns>
    Task<IReadOnlyCollection<string>> Record(IReadOnlyList<FireOrder> newFires, Task sent);

    /// <summary>The batch has been sent: the journal may now file its fires in detail (off the path to the EAs).</summary>
    void Sent(IReadOnlyList<FireOrder> newFires);

    void MarkSent(FireOrder fire);

    /// <summary>Confirmations that arrived together, recorded together.</summary>
    void Complete(IReadOnlyList<FireCompletion> completions);
}

/// <summary>Answers for a journal whose store refuses nothing.</summary>
public static class FireLocks
{
    /// <summary>A completed answer: no fire refused.</summary>
    public static Task<IReadOnlyCollection<string>> NoneRefused { get; } = Task.FromResult<IReadOnlyCollection<string>>([]);
}

/// <summary>A fire's final word from its EA.</summary>
public sealed record FireCompletion(string FireId, bool Filled, long? Ticket, double? Price, string? Message);

/// <summary>Binds an EA that sends a pairing code in its HELLO to the code's user (a store lookup, off the kernel thread).</summary>
public interface IEaPairing
{
    /// <summary>The user now owning <paramref name="eaUuid"/>, or null when the code is unknown, used or expired.</summary>
    User? Redeem(string code, string eaUuid);
}
