using System.Text;
using System.Threading.Channels;
using Bitten.Engine.Execution;
using Bitten.Wire.Ea;
using Bitten.Zmq;
using Microsoft.Extensions.Logging;

namespace Bitten.Gateway.Execution;

/// <summary>
/// The kernel's orders on their way to the EAs. On its own thread it takes whatever has queued up, commits the new
/// fires among it to the journal in one transaction, and only then hands the commands to the <see cref="EaGateway"/>:
/// a fire is never sent before it is stored, and a burst of auto-fires costs one commit, not one each.
/// </summary>
public sealed class CommandOutbox : IExecutionOutbox, IAsyncDisposable
{
    private const int MaxBatch = 4096;

    private readonly Channel<object> _queue = Channel.CreateUnbounded<object>(new UnboundedChannelOptions
    {
        SingleReader = true,
        // The reader is a dedicated thread blocked on the wait: waking it inline is a Set, not a thread-pool hop.
        AllowSynchronousContinuations = true,
    });
    private readonly IFireJournal? _journal;
    private readonly ILogger _logger;
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

    /// <summary>Called on the kernel thread: never blocks (the queue is unbounded; commits are the outbox thread's cost).</summary>
    public void Send(EaOrder order) => _queue.Writer.TryWrite(order);

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

    private void Run(ZmqSocket sender)
    {
        using var push = sender;
        var writer = new EaCommandWriter();
        var batch = new List<object>(MaxBatch);
        var newFires = new List<FireOrder>();
        var completions = new List<FireCompletion>();
        var reader = _queue.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            batch.Clear();
            newFires.Clear();
            completions.Clear();
            while (batch.Count < MaxBatch && reader.TryRead(out var item))
            {
                if (item is FireCompletion completion)
                {
                    completions.Add(completion);
                    continue;
                }

                batch.Add(item);
                if (item is FireOrder { Attempt: 1 } fire)
                {
                    newFires.Add(fire);
                }
            }

            var stored = Store(newFires);
            foreach (var item in batch)
            {
                try
                {
                    Handle(item, stored, push, writer);
                }
                catch (Exception e)
                {
                    _gateway.Stats.JournalFault();
                    _logger.LogError(e, "Outbox: failed to handle {Item}", item);
                }
            }

            // After the sends: a confirmation's bookkeeping must never delay the next fire.
            Complete(completions);
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

    private bool Store(List<FireOrder> newFires)
    {
        if (newFires.Count == 0 || _journal is null)
        {
            return true;
        }

        try
        {
            _journal.Record(newFires);
            _gateway.Stats.Stored(newFires.Count);
            return true;
        }
        catch (Exception e)
        {
            // Not stored means not sent: the fires stay unconfirmed in the kernel and are logged loudly.
            _gateway.Stats.JournalFault();
            _logger.LogError(e, "Outbox: could not store {Count} fires; they are NOT sent", newFires.Count);
            return false;
        }
    }

    private void Handle(object item, bool stored, ZmqSocket push, EaCommandWriter writer)
    {
        switch (item)
        {
            case FireOrder { Attempt: 1 } when !stored:
                return;
            case FireOrder { Attempt: > 1 } resend:
                _journal?.MarkSent(resend);
                break;
        }

        var order = (EaOrder)item;
        EaCommand command = order switch
        {
            FireOrder f => new FireCommand(f.EaUuid, f.FireId, f.Symbol, f.Direction, f.StopLoss, f.TakeProfit, f.Lot),
            CloseTicketOrder c => new CloseTicketCommand(c.EaUuid, c.FireId, c.Ticket),
            CloseAllOrder a => new CloseAllCommand(a.EaUuid),
            _ => throw new InvalidOperationException($"unknown order {order.GetType().Name}"),
        };
        push.Send(Encoding.UTF8.GetBytes(order.EaUuid), more: true);
        push.Send(writer.Write(command));
    }
}
