using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Engine.Signals;
using Bitten.Engine.Signals.Patterns;
using Bitten.Engine.Tests.Signals.Patterns;

namespace Bitten.Engine.Tests.Signals;

/// <summary>
/// A closed bar through Elite Guard — history, the shared indicators, six detectors, CITADEL, the threshold — allocates
/// nothing in steady state. Raising a signal allocates the signal, so the threshold is set where none can pass.
/// </summary>
[Collection(AllocationCollection.Name)]
public sealed class EliteGuardAllocationTests
{
    [Fact]
    public void JudgingAClosedBarAllocatesNothing()
    {
        var bars = RapidCandles.RealM5(RapidCandles.EurUsdFeed);
        var symbols = new SymbolRegistry();
        symbols.GetOrAdd("EURUSD");
        var options = new EliteGuardOptions { GlobalThreshold = 100, ThresholdMin = 100, ThresholdMax = 100, TuneThreshold = false };
        var sink = new Count();
        var guard = new EliteGuard(symbols, SymbolCatalogue.Default, PatternDetectors.All(), SignalRules.Default, SignalGate.Default(),
            options, sink);

        // Warm-up: JIT, tiering and the per-symbol arrays, on the first thousand bars.
        for (var i = 0; i < 1_000; i++)
        {
            guard.OnCandleClosed(in bars[i]);
        }

        var held = guard.Held;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 1_000; i < 3_000; i++)
        {
            guard.OnCandleClosed(in bars[i]);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(3_000, guard.Evaluations);
        Assert.True(guard.BelowThreshold > 0, "no reading reached the threshold: the detectors were not exercised");
        Assert.Equal(0, sink.Signals);
        Assert.Equal(held, guard.Held);
        Assert.Equal(0, allocated);
    }

    private sealed class Count : ISignalSink
    {
        public int Signals { get; private set; }

        public void OnSignal(Signal signal) => Signals++;
    }
}
