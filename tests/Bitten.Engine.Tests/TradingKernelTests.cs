using Bitten.Domain.Market;
using Bitten.Engine.Kernel;
using Bitten.Engine.Market;
using Bitten.Testing;
using static Bitten.Engine.Tests.TestTicks;

namespace Bitten.Engine.Tests;

public class TradingKernelTests
{
    /// <summary>Only reached when the kernel hangs; a passing test never waits on it.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly ManualClock _clock = new(DateTimeOffset.FromUnixTimeMilliseconds(At(12, 0)));
    private readonly RecordingCandleSink _sink = new();

    [Fact]
    public async Task PostedTicksProduceClosedCandlesAfterAFlush()
    {
        await using var kernel = NewKernel();
        kernel.Subscribe(_sink);
        kernel.Start();

        kernel.Post(Quote(1.1000, 1.1002, At(12, 0, 10), _clock.Now()));
        kernel.Post(Quote(1.1010, 1.1012, At(12, 0, 40), _clock.Now()));
        kernel.Post(Quote(1.0990, 1.0992, At(12, 0, 50), _clock.Now()));
        kernel.Post(Quote(1.1005, 1.1007, At(12, 1, 5), _clock.Now()));
        await kernel.FlushAsync().WaitAsync(Patience);

        var closed = Assert.Single(_sink.Candles);
        Assert.Equal(Timeframe.M1, closed.Timeframe);
        Assert.Equal(At(12, 0), closed.OpenTimeMs);
        Assert.Equal(new Ohlc(1.1000, 1.1010, 1.0990, 1.0990), closed.Bid);
        Assert.Equal(new Ohlc(1.1002, 1.1012, 1.0992, 1.0992), closed.Ask);
        Assert.Equal(3, closed.TickCount);
        Assert.Equal(4, kernel.Candles.TicksApplied);
        Assert.Equal(ComponentState.Running, kernel.State);
    }

    [Fact]
    public async Task AdvancingTheClockPastABarsEndClosesItThroughTheClockTimer()
    {
        await using var kernel = NewKernel();
        kernel.Subscribe(_sink);
        kernel.Start();
        _clock.Advance(TimeSpan.FromSeconds(10));
        kernel.Post(Quote(1.1, 1.1002, At(12, 0, 10), _clock.Now()));
        await kernel.FlushAsync().WaitAsync(Patience);

        _clock.Advance(TimeSpan.FromSeconds(49)); // 12:00:59
        await kernel.FlushAsync().WaitAsync(Patience);
        Assert.Empty(_sink.Candles);

        _clock.Advance(TimeSpan.FromSeconds(2)); // 12:01:01, past end + grace
        await kernel.FlushAsync().WaitAsync(Patience);

        var closed = Assert.Single(_sink.Candles);
        Assert.Equal(At(12, 0), closed.OpenTimeMs);
        Assert.Equal(Timeframe.M1, closed.Timeframe);
        Assert.Equal(1, kernel.Candles.ClosedM1);
        Assert.Equal(0, kernel.Candles.ClosedM5);
    }

    [Fact]
    public async Task TheClockTimerDoesNothingBeforeStart()
    {
        await using var kernel = NewKernel();
        kernel.Subscribe(_sink);
        kernel.Handle(KernelMessage.ForTick(Quote(1.1, 1.1002, At(12, 0, 10), _clock.Now())));

        _clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Empty(_sink.Candles);
        kernel.Handle(KernelMessage.ForClock());
        Assert.NotEmpty(_sink.Candles);
    }

    [Fact]
    public async Task HandlesMessagesOnTheCallersThreadForReplay()
    {
        await using var kernel = NewKernel();
        kernel.Subscribe(_sink);

        kernel.Handle(KernelMessage.ForTick(Quote(1.1, 1.1002, At(12, 0, 10))));
        kernel.Handle(KernelMessage.ForTick(Quote(1.2, 1.2002, At(12, 5, 10))));

        Assert.Equal([Timeframe.M1, Timeframe.M5], _sink.Candles.Select(c => c.Timeframe));
        Assert.Equal(2, kernel.Candles.TicksApplied);
    }

    [Fact]
    public async Task AFaultingCandleSinkIsCountedAndTheKernelKeepsRunning()
    {
        var health = new ComponentHealth();
        await using var kernel = NewKernel(health);
        var thrower = new ThrowingCandleSink(failures: 1);
        kernel.Subscribe(_sink);
        kernel.Subscribe(thrower);
        kernel.Start();

        kernel.Post(Quote(1.1, 1.1002, At(12, 0, 10), _clock.Now()));
        kernel.Post(Quote(1.2, 1.2002, At(12, 1, 10), _clock.Now())); // closes 12:00, the sink throws
        await kernel.FlushAsync().WaitAsync(Patience);

        Assert.Equal(1, kernel.Faults);
        Assert.Contains(ThrowingCandleSink.Message, kernel.LastFault, StringComparison.Ordinal);
        Assert.Equal(ComponentState.Degraded, kernel.State);
        Assert.Equal(ComponentState.Degraded, health.Get(TradingKernel.ComponentName).State);

        kernel.Post(Quote(1.3, 1.3002, At(12, 2, 10), _clock.Now())); // closes 12:01
        await kernel.FlushAsync().WaitAsync(Patience);

        Assert.Equal([At(12, 0), At(12, 1)], _sink.Of(Timeframe.M1).Select(c => c.OpenTimeMs));
        Assert.Equal(1, kernel.Faults);
        Assert.Equal(2, thrower.Calls);
    }

    [Fact]
    public async Task EveryFaultIsCounted()
    {
        await using var kernel = NewKernel();
        kernel.Subscribe(new ThrowingCandleSink(failures: int.MaxValue));
        kernel.Start();

        // Five ticks in five minutes of one M5 bucket: four M1 closes, each one faults.
        for (var minute = 0; minute <= 4; minute++)
        {
            kernel.Post(Quote(1.1, 1.1002, At(12, minute, 10), _clock.Now()));
        }

        await kernel.FlushAsync().WaitAsync(Patience);

        Assert.Equal(4, kernel.Faults);
        Assert.Equal(ComponentState.Degraded, kernel.State);
    }

    [Fact]
    public async Task AFaultingSinkDoesNotCostTheLongerTimeframesTheTick()
    {
        await using var kernel = NewKernel();
        kernel.Subscribe(_sink);
        kernel.Subscribe(new ThrowingCandleSink(failures: 1));

        kernel.Handle(KernelMessage.ForTick(Quote(1.1, 1.1002, At(12, 0, 10))));
        kernel.Handle(KernelMessage.ForTick(Quote(1.2, 1.2002, At(12, 1, 10)))); // closes M1 12:00; the sink throws
        kernel.Handle(KernelMessage.ForTick(Quote(1.3, 1.3002, At(12, 5, 10)))); // closes M1 12:01 and M5 12:00

        Assert.Equal(1, kernel.Faults);
        Assert.Equal(3, kernel.Candles.TicksApplied);
        var m5 = Assert.Single(_sink.Of(Timeframe.M5));
        Assert.Equal(2, m5.TickCount);
        Assert.Equal(1.2, m5.Bid.High);
    }

    [Fact]
    public async Task DisposingStopsTheKernel()
    {
        var health = new ComponentHealth();
        var kernel = NewKernel(health);
        kernel.Start();
        Assert.Equal(ComponentState.Running, health.Get(TradingKernel.ComponentName).State);

        await kernel.DisposeAsync().AsTask().WaitAsync(Patience);

        Assert.Equal(ComponentState.Stopped, kernel.State);
        Assert.Equal(ComponentState.Stopped, health.Get(TradingKernel.ComponentName).State);
    }

    [Fact]
    public async Task StartingTwiceIsRefused()
    {
        await using var kernel = NewKernel();
        kernel.Start();

        Assert.Throws<InvalidOperationException>(kernel.Start);
    }

    private TradingKernel NewKernel(ComponentHealth? health = null) =>
        new(_clock, new MarketOptions { BarCloseGraceMilliseconds = 500 }, new KernelOptions { ClockIntervalMilliseconds = 250 }, health);

    private sealed class ThrowingCandleSink(int failures) : ICandleSink
    {
        public const string Message = "sink failed on purpose";

        private int _remaining = failures;

        public int Calls { get; private set; }

        public void OnCandleClosed(in Candle candle)
        {
            Calls++;
            if (_remaining-- > 0)
            {
                throw new InvalidOperationException(Message);
            }
        }
    }
}

internal static class ClockExtensions
{
    public static long Now(this TimeProvider clock) => clock.GetUtcNow().ToUnixTimeMilliseconds();
}
