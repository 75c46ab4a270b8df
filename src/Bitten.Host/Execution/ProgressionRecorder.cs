using Bitten.Domain.Events;
using Bitten.Domain.Primitives;
using Bitten.Engine.Execution;
using Bitten.Engine.Progression;
using Bitten.Persistence.Events;

namespace Bitten.Host.Execution;

/// <summary>
/// Feeds every recorded event to the <see cref="ProgressionBook"/> on the kernel thread and records the awards it
/// returns through the event recorder, so each award is stored (and published) right behind its cause. The recorder
/// hands each award back here like any recorded event; the book marks it paid and returns nothing, so this never loops.
/// <paramref name="next"/>, when given, hears every event first (the web's read models).
/// </summary>
public sealed class ProgressionRecorder(ProgressionBook book, IExecutionObserver? next = null) : IExecutionObserver
{
    private IExecutionObserver? _record;

    public ProgressionBook Book { get; } = book;

    /// <summary>Awards recorded by this process (live and caught up at start).</summary>
    public long Awarded { get; private set; }

    /// <summary>Where awards are recorded: the event recorder, which is built with this as its every-event observer.</summary>
    public void RecordThrough(IExecutionObserver recorder) => _record = recorder;

    public void OnEvent(TradingEvent e)
    {
        next?.OnEvent(e);
        Record(Book.Apply(e));
    }

    /// <summary>
    /// Rebuilds the book from the stored event log and records the awards it should hold and does not (an outcome
    /// stored, its award lost in a crash). Run before the kernel starts, or on the kernel thread. Returns how many.
    /// </summary>
    public int Restore(EventReader reader, SymbolRegistry symbols)
    {
        var caughtUp = Book.Replay(ProgressionLog.Read(reader, symbols));
        Record(caughtUp);
        return caughtUp.Count;
    }

    private void Record(IReadOnlyList<TradingEvent> awards)
    {
        foreach (var award in awards)
        {
            Awarded++;
            _record?.OnEvent(award);
        }
    }
}
