using Bitten.Domain.Market;
using Bitten.Engine.Kernel;

namespace Bitten.Gateway.Tests;

/// <summary>Records the ticks the bridge hands to the kernel, and signals when a given number has arrived.</summary>
internal sealed class RecordingTickSink : ITickSink
{
    private readonly Lock _gate = new();
    private readonly List<Tick> _ticks = [];
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

    public void Post(in Tick tick)
    {
        lock (_gate)
        {
            _ticks.Add(tick);
            if (_ticks.Count >= _expected)
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
