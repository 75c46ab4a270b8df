using Bitten.Domain.Market;
using Bitten.Engine.Kernel;
using Bitten.Engine.Market;
using static Bitten.Engine.Tests.TestTicks;

namespace Bitten.Engine.Tests;

public sealed class KernelTickObserverTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly ManualClock _clock = new(DateTimeOffset.FromUnixTimeMilliseconds(At(12, 0)));

    [Fact]
    public async Task ObserversSeeEveryTickInOrderAfterTheCandles()
    {
        await using var kernel = new TradingKernel(_clock, new MarketOptions(), new KernelOptions());
        var seen = new Recorder(kernel);
        kernel.Subscribe(seen);
        kernel.Start();
        var batch = kernel.RentBatch();
        batch.Add(Quote(1.1000, 1.1002, At(12, 0, 10), _clock.Now()));
        batch.Add(Quote(1.1001, 1.1003, At(12, 0, 20), _clock.Now()));
        kernel.Post(batch);
        kernel.Post(Quote(1.1002, 1.1004, At(12, 1, 5), _clock.Now()));
        await kernel.FlushAsync().WaitAsync(Patience);

        Assert.Equal([At(12, 0, 10), At(12, 0, 20), At(12, 1, 5)], seen.Times);
        // When the observer saw the tick that opened 12:01, the 12:00 bar had already closed.
        Assert.Equal([0L, 0L, 1L], seen.ClosedM1WhenSeen);
    }

    [Fact]
    public async Task AThrowingObserverCostsNoOtherTickOfItsBatch()
    {
        await using var kernel = new TradingKernel(_clock, new MarketOptions(), new KernelOptions());
        var seen = new Recorder(kernel, throwOnSecond: true);
        kernel.Subscribe(seen);
        kernel.Start();
        var batch = kernel.RentBatch();
        for (var s = 1; s <= 4; s++)
        {
            batch.Add(Quote(1.1000, 1.1002, At(12, 0, s), _clock.Now()));
        }

        kernel.Post(batch);
        await kernel.FlushAsync().WaitAsync(Patience);

        Assert.Equal(4, seen.Times.Count);
        Assert.Equal(4, kernel.Candles.TicksApplied);
        Assert.Equal(1, kernel.Faults);
        Assert.Equal(ComponentState.Degraded, kernel.State);
    }

    private sealed class Recorder(TradingKernel kernel, bool throwOnSecond = false) : ITickObserver
    {
        public List<long> Times { get; } = [];

        public List<long> ClosedM1WhenSeen { get; } = [];

        public void OnTick(in Tick tick)
        {
            Times.Add(tick.EventTimeMs);
            ClosedM1WhenSeen.Add(kernel.Candles.ClosedM1);
            if (throwOnSecond && Times.Count == 2)
            {
                throw new InvalidOperationException("observer broke");
            }
        }
    }
}
