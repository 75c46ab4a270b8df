using System.Diagnostics;
using System.Globalization;
using Bitten.Domain.Market;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Engine.Kernel;
using Bitten.Engine.Market;
using Bitten.Engine.Signals;
using Bitten.Engine.Signals.Patterns;
using Bitten.Engine.Tracking;
using Bitten.Simulation.Replay;

namespace Bitten.Bench;

/// <summary>
/// Replay throughput of the engine on one thread: recorded ticks through the kernel's handler (candles, the six
/// detectors on every M5 close, gates, SL/TP, outcome tracking) on a manual clock — no sockets, no threads.
/// </summary>
public static class ReplayBenchmark
{
    public static string Run(string ticksPath, int passes)
    {
        var files = TickReplay.Discover([ticksPath]);
        var symbols = new SymbolRegistry();
        var ticks = files.Count == 0 ? [] : new TickReplay(files).Read()
            .Select(t => new Tick(symbols.GetOrAdd(t.Symbol), t.Tick.Bid, t.Tick.Ask, t.Tick.TimeMs, t.Tick.TimeMs)).ToArray();
        if (ticks.Length == 0)
        {
            throw new InvalidDataException($"no ticks in {ticksPath}: it holds no LEAN *_quote.zip or tick .csv file with a tick in it");
        }
        var span = ticks[^1].EventTimeMs - ticks[0].EventTimeMs;
        var samples = new List<double>();
        var closes = new List<double>();
        long signals = 0, resolved = 0;
        for (var run = 0; run < passes + 1; run++)
        {
            var clock = new ManualClock(DateTimeOffset.FromUnixTimeMilliseconds(ticks[0].EventTimeMs));
            var kernel = new TradingKernel(clock, new MarketOptions(), new KernelOptions());
            var outcomes = new Count();
            var pipeline = SignalPipeline.Create(symbols, new EliteGuardOptions(), outcomes);
            var timing = new TimedGuard(pipeline.Guard);
            kernel.Subscribe(timing);
            kernel.Subscribe(pipeline.Tracker);
            // Ticks only: in a gapless replay every bar is closed by the next tick. (`bitten backtest` also runs the
            // kernel clock in replay time, which at 4 clock messages per replayed second costs about two thirds of
            // this throughput on these data.)
            var start = Stopwatch.GetTimestamp();
            foreach (var tick in ticks)
            {
                kernel.Handle(KernelMessage.ForTick(tick));
            }

            var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            if (run == 0)
            {
                continue; // warm-up: JIT and first-touch of every array
            }

            samples.Add(ticks.Length / seconds);
            closes.Add(timing.MicrosecondsPerM5Close);
            signals = timing.Guard.Raised;
            resolved = outcomes.Resolved;
        }

        samples.Sort();
        closes.Sort();
        return string.Create(CultureInfo.InvariantCulture,
            $"bench replay: {ticks.Length:N0} real ticks ({symbols.Count} symbols, {span / 86_400_000.0:F1} days) × {passes} passes, one thread\n" +
            $"  median {samples[samples.Count / 2]:N0} ticks/s (min {samples[0]:N0}, max {samples[^1]:N0})\n" +
            $"  Elite Guard per M5 close (six detectors + CITADEL + tuner + gates + SL/TP): median {closes[closes.Count / 2]:F1} µs\n" +
            $"  {signals} signals raised, {resolved} resolved per pass");
    }

    private sealed class Count : IOutcomeSink
    {
        public long Resolved { get; private set; }

        public void OnResolved(in SignalOutcome outcome) => Resolved++;
    }

    /// <summary>Times Elite Guard's work on M5 closes only (the other candles pass straight through).</summary>
    private sealed class TimedGuard(EliteGuard guard) : ICandleSink
    {
        private long _ticks;
        private long _closes;

        public EliteGuard Guard => guard;

        public double MicrosecondsPerM5Close => _closes == 0 ? 0 : Stopwatch.GetElapsedTime(0, _ticks).TotalMicroseconds / _closes;

        public void OnCandleClosed(in Candle candle)
        {
            if (candle.Timeframe != Timeframe.M5)
            {
                guard.OnCandleClosed(in candle);
                return;
            }

            var start = Stopwatch.GetTimestamp();
            guard.OnCandleClosed(in candle);
            _ticks += Stopwatch.GetTimestamp() - start;
            _closes++;
        }
    }
}
