using Bitten.Domain.Market;
using Bitten.Domain.Primitives;
using Bitten.Engine.Kernel;
using Bitten.Engine.Signals;
using Bitten.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Bitten.Host.Tests;

/// <summary>
/// The demo's whole first minute in one process: the simulated EA connects, sends the M5 bars before its start as OHLC
/// history, and the engine's look-back is full before the first live tick, ending right before the bar that tick forms.
/// </summary>
public sealed class SimulatedEaHistoryTests
{
    private const int LookBack = 60;

    [Fact]
    public async Task TheSimulatedEasHistoryFillsTheLookBackBeforeItsFirstLiveTick()
    {
        using var store = new TempStore();
        using var host = BittenHost.Build(
        [
            $"--Storage:ConnectionString=Data Source={store.Path}", $"--Storage:TrackingFile={store.TrackingPath}",
            "--Zmq:SignalPort=0", "--Zmq:EventPort=0", "--Zmq:EventInPort=0", "--Zmq:CommandPort=0", "--Zmq:ConfirmPort=0",
            "--Zmq:MarketInPort=0", "--Zmq:MarketOutPort=0", "--Web:Port=0", "--Throne:Port=0", "--Logging:LogLevel:Default=Warning",
            // Real OANDA gold from 2014-05-01; the EA starts at 07:30, so it has 90 M5 bars to send, more than this look-back.
            "--SimEa:Ticks=" + SharedData.Path("ticks/oanda-cfd/xauusd"), $"--EliteGuard:HistoryCandles={LookBack}",
        ], [.. HostRoles.Server, HostRole.SimulatedEa], TextWriter.Null);
        var kernel = host.Services.GetRequiredService<TradingKernel>();
        var firstTick = new FirstTick();
        kernel.Subscribe(firstTick);

        await BittenHost.StartAsync(host, CancellationToken.None);
        try
        {
            var tick = await firstTick.Seen.WaitAsync(TimeSpan.FromSeconds(60));
            var guard = host.Services.GetRequiredService<SignalPipeline>().Guard;
            var gold = host.Services.GetRequiredService<SymbolRegistry>().GetOrAdd("XAUUSD");
            var (held, newest, warmed, evaluations) = await kernel.AskAsync(() =>
            {
                var history = guard.HistoryOf(gold);
                return (history.Length, history.IsEmpty ? 0 : history[^1].OpenTimeMs, guard.HistoryBarsWarmed, guard.Evaluations);
            });

            Assert.Equal(LookBack, held);
            Assert.True(warmed > LookBack, $"{warmed} bars warmed");
            // History ends with the bar before the one the first live tick falls in: no gap, no overlap.
            Assert.Equal(UnixMs.Floor(tick.EventTimeMs, Timeframe.M5.DurationMs()) - Timeframe.M5.DurationMs(), newest);
            // History is never judged: only a live close is (and none had closed when the first tick came).
            Assert.Equal(0, evaluations);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>Completes with the first tick the kernel applies: everything the EA sent before it is applied by then.</summary>
    private sealed class FirstTick : ITickObserver
    {
        private readonly TaskCompletionSource<Tick> _seen = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<Tick> Seen => _seen.Task;

        public void OnTick(in Tick tick) => _seen.TrySetResult(tick);
    }
}
