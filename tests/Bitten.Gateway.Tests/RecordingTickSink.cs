using Bitten.Domain.Market;
using Bitten.Engine.Kernel;

namespace Bitten.Gateway.Tests;

/// <summary>Records the ticks and history bars the bridge hands to the kernel, and signals when a given number of them has arrived.</summary>
internal sealed class RecordingTickSink : ITickSink
{
    private readonly Lock _gate = new();
    private readonly List<Tick> _ticks = [];
    private readonly List<Candle> _bars = [];
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int _expected;

    public RecordingTickSink(int expected) => _expected = expected;

    public Task Reached => _reached.Task;

    public IReadOnlyList<Tick> Ticks
    {
        get
        {
            lock (_gate)
            {
                return [.. _ticks];
            }
        }
    }

    /// <summary>The history bars handed on, in order.</summary>
    public IReadOnlyList<Candle> Bars
    {
        get
        {
            lock (_gate)
            {
                return [.. _bars];
            }
        }
    }

    /// <summary>Ticks and bars together, in the order they arrived: a bar counts as one item.</summary>
    public int Items
    {
        get
        {
            lock (_gate)
            {
                return _ticks.Count + _bars.Count;
            }
        }
    }

    public void PostHistoryBar(in Candle bar)
    {
        lock (_gate)
        {
            _bars.Add(bar);
            if (_ticks.Count + _bars.Count >= _expected)
            {
                _reached.TrySetResult();
            }
        }
    }

    public void Post(in Tick tick)
    {
        lock (_gate)
        {
            _ticks.Add(tick);
            if (_ticks.Count + _bars.Count >= _expected)
            {
                _reached.TrySetResult();
            }
        }
    }

    public TickBatch RentBatch() => new();

    public void Post(TickBatch batch)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            Post(in batch.Ticks[i]);
        }
    }
}
