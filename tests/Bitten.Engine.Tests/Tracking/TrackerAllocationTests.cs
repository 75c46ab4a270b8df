using Bitten.Domain.Market;
using Bitten.Domain.Signals;
using Bitten.Engine.Tracking;
using static Bitten.Engine.Tests.TestTicks;

namespace Bitten.Engine.Tests.Tracking;

/// <summary>The tracker is on the tick hot path: following open signals must not allocate.</summary>
[Collection(AllocationCollection.Name)]
public class TrackerAllocationTests
{
    private const int OpenSignals = 100;
    private const int Ticks = 20_000;

    [Fact]
    public void FollowingAHundredOpenSignalsAllocatesNothingPerTick()
    {
        // Warm-up on a separate instance: JIT and tiering for the no-hit and the resolve paths.
        for (var round = 0; round < 3; round++)
        {
            var warm = Open(new CountingSink());
            Run(warm, Ticks);
            warm.OnTick(Quote(1.20000, 1.20010, At(12, 0)));
        }

        var sink = new CountingSink();
        var tracker = Open(sink);
        Run(tracker, 10);

        var before = GC.GetAllocatedBytesForCurrentThread();
        Run(tracker, Ticks);
        var whileOpen = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, sink.Count);
        Assert.Equal(OpenSignals, tracker.OpenCount);
        Assert.Equal(0, whileOpen);

        // Then one resolves (the bid reaches the target of the one signal with the nearest target).
        before = GC.GetAllocatedBytesForCurrentThread();
        tracker.OnTick(Quote(1.10500, 1.10510, At(11, 0)));
        var resolving = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(1, sink.Count);
        Assert.Equal(OpenSignals - 1, tracker.OpenCount);
        Assert.Equal(0, resolving);
    }

    private static OutcomeTracker Open(IOutcomeSink sink)
    {
        var tracker = new OutcomeTracker(sink);
        var t0 = At(9, 0);
        for (var i = 0; i < OpenSignals; i++)
        {
            // Targets 1.10500, 1.10600, …: only the first is reached by the resolving tick.
            var signal = i % 2 == 0
                ? TestSignals.Buy(1.10000, 1.09000, 1.10500 + (i * 0.0001), t0)
                : TestSignals.Sell(1.10000, 1.11000, 1.09000 - (i * 0.0001), t0);
            tracker.Track(signal, TestSignals.EurUsdPip);
        }

        return tracker;
    }

    private static void Run(OutcomeTracker tracker, int count)
    {
        var t0 = At(10, 0);
        for (var i = 0; i < count; i++)
        {
            // Wanders ±20 pips, well inside every level.
            var bid = 1.10000 + (((i * 37) % 400) - 200) * 0.000001 * 10;
            tracker.OnTick(new Tick(EurUsd, bid, bid + 0.00008, t0 + i, t0 + i));
        }
    }

    /// <summary>Counts without storing: a sink that allocates would spoil the measurement.</summary>
    private sealed class CountingSink : IOutcomeSink
    {
        public int Count { get; private set; }

        public void OnResolved(in SignalOutcome outcome) => Count++;
    }
}
