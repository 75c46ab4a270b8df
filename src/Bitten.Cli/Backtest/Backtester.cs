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

namespace Bitten.Cli.Backtest;

/// <summary>One raised signal and how it ended; <see cref="Outcome"/> is null while it was still open at the end.</summary>
public sealed record BacktestTrade(Signal Signal, SignalOutcome? Outcome)
{
    public string OutcomeName => Outcome is { } o ? o.Outcome.WireName() : "OPEN";
}

/// <summary>One M5 close (mid) of a symbol, for the price chart.</summary>
public readonly record struct PricePoint(long TimeMs, double Close);

/// <summary>What a backtest produced: the trades in the order they were raised and each symbol's M5 closes.</summary>
public sealed record BacktestResult(
    IReadOnlyList<BacktestTrade> Trades,
    IReadOnlyDictionary<string, IReadOnlyList<PricePoint>> Closes,
    long Ticks,
    long Faults,
    EliteGuardCounts Engine);

/// <summary>
/// Runs recorded ticks through the same kernel, detectors, gates and outcome tracker as the live system, on one thread
/// and a manual clock (the wiring of <c>bench replay</c>), so the same ticks always give the same signals.
/// </summary>
public static class Backtester
{
    /// <param name="files">Tick files, already discovered.</param>
    /// <param name="symbols">Symbols to keep (upper case), or null for all.</param>
    /// <param name="fromMs">Inclusive lower bound of tick time (Unix ms), or null.</param>
    /// <param name="toMs">Exclusive upper bound of tick time (Unix ms), or null.</param>
    /// <param name="progress">Where progress lines go (every 10 %), or null for none.</param>
    public static BacktestResult Run(IReadOnlyList<TickFile> files, ISet<string>? symbols, long? fromMs, long? toMs, TextWriter? progress)
    {
        ArgumentNullException.ThrowIfNull(files);
        var selected = files.Where(f => symbols is null || symbols.Contains(f.Symbol)).ToList();
        var registry = new SymbolRegistry();

        // Materialised first so progress can be reported against a known total.
        var ticks = new TickReplay(selected).Read()
            .Where(t => (fromMs is not { } from || t.Tick.TimeMs >= from) && (toMs is not { } to || t.Tick.TimeMs < to))
            .Select(t => new Tick(registry.GetOrAdd(t.Symbol), t.Tick.Bid, t.Tick.Ask, t.Tick.TimeMs, t.Tick.TimeMs))
            .ToArray();

        var trades = new List<BacktestTrade>();
        var closes = new Dictionary<string, IReadOnlyList<PricePoint>>(StringComparer.Ordinal);
        if (ticks.Length == 0)
        {
            return new BacktestResult(trades, closes, 0, 0, default);
        }

        var clock = new ManualClock(DateTimeOffset.FromUnixTimeMilliseconds(ticks[0].EventTimeMs));
        var kernel = new TradingKernel(clock, new MarketOptions(), new KernelOptions());
        var recorder = new Recorder(registry);
        var pipeline = SignalPipeline.Create(registry, new EliteGuardOptions(), recorder, recorder);
        pipeline.SubscribeTo(kernel);
        kernel.Subscribe((ICandleSink)recorder);

        // Candles close across gaps in the ticks (weekends, quiet hours) by the clock, in replay time.
        using var timer = kernel.HandleClockInline();

        var started = Stopwatch.GetTimestamp();
        var step = Math.Max(1, ticks.Length / 10);
        for (var i = 0; i < ticks.Length; i++)
        {
            ref readonly var tick = ref ticks[i];
            var now = DateTimeOffset.FromUnixTimeMilliseconds(tick.EventTimeMs);

            // Clock-based work (expiry, cooldowns) must see replay time; the merged stream can repeat a millisecond,
            // and the manual clock refuses to go backwards.
            if (now > clock.GetUtcNow())
            {
                clock.SetUtcNow(now);
            }

            kernel.Handle(KernelMessage.ForTick(tick));
            if (progress is not null && (((i + 1) % step == 0 && i + 1 < ticks.Length) || i + 1 == ticks.Length))
            {
                var seconds = Math.Max(1e-9, Stopwatch.GetElapsedTime(started).TotalSeconds);
                progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"backtest: {100.0 * (i + 1) / ticks.Length,5:F1}% {i + 1:N0}/{ticks.Length:N0} ticks ({(i + 1) / seconds:N0} ticks/s), {recorder.Signals.Count} signals"));
            }
        }

        if (kernel.Faults > 0)
        {
            // The kernel counts a failing message and carries on, as it must live; a backtest says so out loud.
            progress?.WriteLine($"backtest: warning: {kernel.Faults} kernel faults, last: {kernel.LastFault}");
        }

        foreach (var signal in recorder.Signals)
        {
            trades.Add(new BacktestTrade(signal, recorder.Outcomes.TryGetValue(signal.SignalId, out var o) ? o : null));
        }

        foreach (var (symbol, points) in recorder.Closes)
        {
            closes[symbol] = points;
        }

        return new BacktestResult(trades, closes, ticks.Length, kernel.Faults, pipeline.Guard.Counts);
    }

    /// <summary>Collects signals, outcomes and M5 closes.</summary>
    private sealed class Recorder(SymbolRegistry registry) : ISignalSink, IOutcomeSink, ICandleSink
    {
        public List<Signal> Signals { get; } = [];

        public Dictionary<string, SignalOutcome> Outcomes { get; } = new(StringComparer.Ordinal);

        public SortedDictionary<string, List<PricePoint>> Closes { get; } = new(StringComparer.Ordinal);

        public void OnSignal(Signal signal) => Signals.Add(signal);

        public void OnResolved(in SignalOutcome outcome) => Outcomes[outcome.SignalId] = outcome;

        public void OnCandleClosed(in Candle candle)
        {
            if (candle.Timeframe != Timeframe.M5)
            {
                return;
            }

            var name = registry.NameOf(candle.Symbol);
            if (!Closes.TryGetValue(name, out var list))
            {
                Closes[name] = list = [];
            }

            list.Add(new PricePoint(candle.CloseTimeMs, candle.Mid.Close));
        }
    }
}
