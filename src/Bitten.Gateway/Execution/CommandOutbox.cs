using System.Text;
using System.Threading.Channels;
using Bitten.Domain.Trading;
using Bitten.Engine.Execution;
using Bitten.Wire.Ea;
using Bitten.Zmq;
using Microsoft.Extensions.Logging;

namespace Bitten.Gateway.Execution;

/// <summary>
/// The kernel's orders on their way to the EAs. A batch of new fires (all that one signal's auto-fire made, or one
/// fire by hand) has its commit queued by the journal while still on the kernel thread, ahead of the signal's mission
/// events; this outbox's own thread waits for that commit, then hands every command to the <see cref="EaGateway"/>:
/// a fire is never sent before it is stored, and a signal's thousand fires cost one commit. A fire the store would not
/// keep (its commit failed, or its mission's one-time fire lock is held by another fire) is never sent, not even by a
/// later resend: the kernel is told, and fails it with the reason.
/// </summary>
public sealed class CommandOutbox : IExecutionOutbox, IAsyncDisposable
{
    // A steady stream of orders must not hold confirmations back for ever: recorded at least this often.
    private const int MaxCompletions = 4096;

    // Commands queued for the gateway between two wake-ups of its thread.
    private const int WakeEvery = 64;

    private readonly Channel<object> _queue = Channel.CreateUnbounded<object>(new UnboundedChannelOptions
    {
        SingleReader = true,
        // The reader is a dedicated thread blocked on the wait: waking it inline is a Set, not a thread-pool hop.
        AllowSynchronousContinuations = true,
    });
    private readonly IFireJournal? _journal;
    private readonly ILogger _logger;
    // Fires the store would not keep, by id: read and written on the outbox thread only. It grows only by refusals,
    // which one engine per store makes rare.
    private readonly HashSet<string> _notSent = new(StringComparer.Ordinal);
    private EaGateway _gateway = null!;
    private Thread? _thread;

    /// <summary>Made before the gateway (the desk that feeds it comes first); <see cref="Start"/> connects the two.</summary>
    public CommandOutbox(IFireJournal? journal, ILogger logger)
    {
        _journal = journal;
        _logger = logger;
    }

    public void Start(EaGateway gateway)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        _gateway = gateway;

        // The sender socket is made here and used only by the outbox thread from now on.
        var sender = gateway.CreateOutboundSender(DisposeAsync);
        _thread = new Thread(() => Run(sender)) { Name = "bitten-outbox", IsBackground = true };
        _thread.Start();
    }

    /// <summary>Called on the kernel thread: never blocks (the commit is queued, not waited for; the queue is unbounded).</summary>
    public void Send(EaOrder order) => Send([order]);

    /// <inheritdoc cref="IExecutionOutbox.Send(IReadOnlyList{EaOrder})"/>
    public void Send(IReadOnlyList<EaOrder> orders)
    {
        ArgumentNullException.ThrowIfNull(orders);
        List<FireOrder>? newFires = null;
        foreach (var order in orders)
        {
            if (order is FireOrder { Attempt: 1 } fire)
            {
                (newFires ??= new List<FireOrder>(orders.Count)).Add(fire);
            }
        }

        var sending = newFires is null ? null : new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Writer.TryWrite(new Batch(orders, newFires, newFires is null ? null : Record(newFires, sending!.Task), sending));
    }

    public void Completed(string fireId, bool filled, long? ticket, double? price, string? message) =>
        _queue.Writer.TryWrite(new FireCompletion(fireId, filled, ticket, price, message));

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_thread is not null)
        {
            await Task.Run(() => _thread.Join());
        }
    }

    /// <summary>
    /// Orders that leave together, their new fires, the commit those wait for (null: nothing new to store), and what
    /// this thread completes once they are all handed to the gateway.
    /// </summary>
    private sealed record Batch(IReadOnlyList<EaOrder> Orders, List<FireOrder>? NewFires, Task<IReadOnlyCollection<string>>? Stored, TaskCompletionSource? Sending);

    private Task<IReadOnlyCollection<string>>? Record(List<FireOrder> newFires, Task sent)
    {
        if (_journal is null)
        {
            return null;
        }

        try
        {
            return _journal.Record(newFires, sent);
        }
        catch (Exception e)
        {
            return Task.FromException<IReadOnlyCollection<string>>(e);
        }
    }

    private void Run(ZmqSocket sender)
    {
        using var push = sender;
        var writer = new EaCommandWriter();
        var completions = new List<FireCompletion>();
        var reader = _queue.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            completions.Clear();
            while (reader.TryRead(out var item))
            {
                if (item is FireCompletion completion)
                {
                    completions.Add(completion);
                    if (completions.Count >= MaxCompletions)
                    {
                        Complete(completions);
                        completions.Clear();
                    }

                    continue;
                }

                Send((Batch)item, push, writer);
            }

            // After the sends: a confirmation's bookkeeping must never delay the next fire.
            Complete(completions);
        }
    }

    private void Send(Batch batch, ZmqSocket push, EaCommandWriter writer)
    {
        var stored = Stored(batch);
        try
        {
            SendAll(batch, stored, push, writer);
        }
        finally
        {
            // Sent, or given up on (not stored): either way the journal need hold nothing back for them any longer.
            batch.Sending?.TrySetResult();
        }

        if (stored && batch.NewFires is { } fires && _journal is not null)
        {
            try
            {
                _journal.Sent(fires);
            }
            catch (Exception e)
            {
                _gateway.Stats.JournalFault();
                _logger.LogError(e, "Outbox: could not file {Count} sent fires", fires.Count);
            }
        }
    }

    private void SendAll(Batch batch, bool stored, ZmqSocket push, EaCommandWriter writer)
    {
        for (var i = 0; i < batch.Orders.Count; i++)
        {
            var order = batch.Orders[i];
            try
            {
                Handle(order, stored, writer);
            }
            catch (Exception e)
            {
                _gateway.Stats.JournalFault();
                _logger.LogError(e, "Outbox: failed to handle {Item}", order);
            }

            // The first command goes at once; then a wake-up every so often and one at the end, each sending all that
            // is queued by then: the gateway sends while this thread writes the rest.
            if (i % WakeEvery == 0 || i == batch.Orders.Count - 1)
            {
                EaGateway.WakeToSend(push);
            }
        }
    }

    /// <summary>
    /// Waits for the batch's commit (this thread has nothing else to do until then). False when nothing was stored;
    /// the fires the store's lock refused are noted either way, so neither they nor their resends ever leave.
    /// </summary>
    private bool Stored(Batch batch)
    {
        if (batch.Stored is not { } commit)
        {
            return true;
        }

        IReadOnlyCollection<string> refused;
        try
        {
            refused = commit.GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            // Not stored means not sent: the kernel fails the fires with the reason, so no resend ever sends one.
            _gateway.Stats.JournalFault();
            _logger.LogError(e, "Outbox: could not store {Count} fires; they are NOT sent", batch.NewFires!.Count);
            foreach (var fire in batch.NewFires!)
            {
                NotSent(fire, FireRefusal.NotStored, "The fire could not be stored, so it was not sent: " + e.Message);
            }

            return false;
        }

        _gateway.Stats.Stored(batch.NewFires!.Count - refused.Count);
        if (refused.Count > 0)
        {
            _gateway.Stats.LockRefused(refused.Count);
            _logger.LogError("Outbox: the store's one-time fire lock refused {Count} fires (their missions were fired by another fire); they are NOT sent: {Fires}",
                refused.Count, string.Join(", ", refused.Take(10)));
            foreach (var fire in batch.NewFires!)
            {
                if (refused.Contains(fire.FireId))
                {
                    NotSent(fire, FireRefusal.AlreadyFired, "This mission was already fired (the store holds another fire for it): a mission fires once.");
                }
            }
        }

        return true;
    }

    private void NotSent(FireOrder fire, FireRefusal refusal, string message)
    {
        _notSent.Add(fire.FireId);
        try
        {
            _gateway.NotSent(fire, refusal, message);
        }
        catch (Exception e)
        {
            // A kernel already stopped: the fire stays unsent all the same, and a start settles it from the store.
            _logger.LogWarning(e, "Outbox: could not tell the kernel that fire {FireId} was not sent", fire.FireId);
        }
    }

    private void Complete(List<FireCompletion> completions)
    {
        if (completions.Count == 0 || _journal is null)
        {
            return;
        }

        try
        {
            _journal.Complete(completions);
        }
        catch (Exception e)
        {
            _gateway.Stats.JournalFault();
            _logger.LogError(e, "Outbox: could not record {Count} confirmations", completions.Count);
        }
    }

    private void Handle(EaOrder order, bool stored, EaCommandWriter writer)
    {
        switch (order)
        {
            case FireOrder { Attempt: 1 } when !stored:
                return;
            case FireOrder fire when _notSent.Count > 0 && _notSent.Contains(fire.FireId):
                return;
            case FireOrder { Attempt: > 1 } resend:
                _journal?.MarkSent(resend);
                break;
        }

        EaCommand command = order switch
        {
            FireOrder f => new FireCommand(f.EaUuid, f.FireId, f.Symbol, f.Direction, f.StopLoss, f.TakeProfit, f.Lot),
            CloseTicketOrder c => new CloseTicketCommand(c.EaUuid, c.FireId, c.Ticket),
            CloseAllOrder a => new CloseAllCommand(a.EaUuid),
            _ => throw new InvalidOperationException($"unknown order {order.GetType().Name}"),
        };
        _gateway.QueueCommand(Encoding.UTF8.GetBytes(order.EaUuid), writer.Write(command).ToArray());
    }
}
