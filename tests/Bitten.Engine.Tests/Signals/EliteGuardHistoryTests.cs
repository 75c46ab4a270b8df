using Bitten.Domain.Market;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Engine.Market;
using Bitten.Engine.Signals;
using Bitten.Engine.Signals.Patterns;
using Bitten.Simulation.Replay;
using Bitten.Testing;

namespace Bitten.Engine.Tests.Signals;

/// <summary>
/// An EA's history bars in Elite Guard: they fill the look-back and the indicators, never raise a signal, never take a
/// tick-built bar's place, and leave the next live close judged exactly as if the bars had been built live.
/// </summary>
public sealed class EliteGuardHistoryTests
{
    private const long FiveMinutes = 300_000;

    private readonly SymbolRegistry _symbols = new();
    private readonly List<Signal> _raised = [];

    private EliteGuard Guard(List<Signal>? into = null) => new(_symbols, SymbolCatalogue.Default, PatternDetectors.All(), SignalRules.Default,
        SignalGate.Default(), new EliteGuardOptions { TuneThreshold = false }, new Collect(into ?? _raised));

    /// <summary>The M5 bars the engine builds from OANDA's real XAUUSD ticks of 2014-05-05.</summary>
    private Candle[] GoldM5()
    {
        var gold = _symbols.GetOrAdd("XAUUSD");
        var sink = new RecordingCandleSink(8192);
        var candles = new CandleAggregator(sink, new MarketOptions());
        var ticks = new TickFile(SharedData.Path("ticks/oanda-cfd/xauusd/20140505_quote.zip"), "XAUUSD", TickFileFormat.LeanZip,
            new DateOnly(2014, 5, 5), TimeSpan.Zero).Load();
        foreach (var t in ticks)
        {
            candles.OnTick(new Tick(gold, t.Bid, t.Ask, t.TimeMs, t.TimeMs));
        }

        return [.. sink.Of(Timeframe.M5)];
    }

    [Fact]
    public void HistoryBarsFillTheLookBackAndRaiseNothingThatTheSameBarsLiveWould()
    {
        var bars = GoldM5();
        var live = new List<Signal>();
        var liveGuard = Guard(live);
        foreach (var bar in bars)
        {
            liveGuard.OnCandleClosed(bar);
        }

        var warmed = Guard();
        foreach (var bar in bars)
        {
            warmed.OnHistoryBar(bar);
        }

        Assert.NotEmpty(live); // the day does signal when its bars close live
        Assert.Empty(_raised);
        Assert.Equal(0, warmed.Evaluations);
        Assert.Equal(Math.Min(bars.Length, 300), warmed.HistoryOf(bars[0].Symbol).Length);
        Assert.Equal(bars.Length, warmed.HistoryBarsWarmed);
        Assert.Equal(bars[^1], warmed.HistoryOf(bars[0].Symbol)[^1]);
    }

    [Fact]
    public void TheFirstLiveCloseAfterHistoryInAnyOrderIsJudgedAsIfEveryBarHadClosedLive()
    {
        var bars = GoldM5();
        var live = new List<Signal>();
        var liveGuard = Guard(live);
        var first = -1;
        for (var i = 0; i < bars.Length && first < 0; i++)
        {
            liveGuard.OnCandleClosed(bars[i]);
            first = live.Count > 0 ? i : -1;
        }

        Assert.True(first > 50, $"the first live signal came at bar {first}");
        Assert.Equal(0, liveGuard.Released); // a fresh reading, not a CITADEL hold released (history recreates no hold)

        // The EA's history newest first: every bar after the first goes in before the ones it holds.
        var warmed = Guard();
        for (var i = first - 1; i >= 0; i--)
        {
            warmed.OnHistoryBar(bars[i]);
        }

        warmed.OnCandleClosed(bars[first]);

        var expected = Assert.Single(live);
        var signal = Assert.Single(_raised);
        Assert.Equal(expected.SignalId, signal.SignalId);
        Assert.Equal(expected.EntryPrice, signal.EntryPrice);
        Assert.Equal(expected.StopLoss, signal.StopLoss);
        Assert.Equal(expected.TakeProfit, signal.TakeProfit);
        Assert.Equal(expected.Confidence, signal.Confidence);
        Assert.Equal(expected.CitadelScore, signal.CitadelScore);
    }

    [Fact]
    public void AHistoryBarNeverTakesThePlaceOfABarBuiltFromTicks()
    {
        var bars = GoldM5();
        var guard = Guard();
        for (var i = 0; i < 60; i++)
        {
            guard.OnCandleClosed(bars[i]);
        }

        var before = guard.HistoryOf(bars[0].Symbol).ToArray();
        for (var i = 0; i < 60; i++)
        {
            // The EA's view of the same bars, a pip higher: the engine's own bars stay.
            var bid = bars[i].Bid;
            guard.OnHistoryBar(bars[i] with { Bid = bid with { High = bid.High + 0.1 }, Mid = bars[i].Mid with { High = bars[i].Mid.High + 0.1 } });
        }

        Assert.Equal(before, guard.HistoryOf(bars[0].Symbol).ToArray());
        Assert.Equal(60, guard.HistoryBarsDropped);
        Assert.Equal(0, guard.HistoryBarsWarmed);
    }

    [Fact]
    public void HistoryFillsTheSlotsBeforeTheTickBuiltBarsAndTheIndicatorsFollow()
    {
        var bars = GoldM5();
        var reconnected = Guard();
        for (var i = 100; i < 110; i++)
        {
            reconnected.OnCandleClosed(bars[i]);
        }

        for (var i = 0; i < 110; i++)
        {
            reconnected.OnHistoryBar(bars[i]);
        }

        var straight = Guard();
        for (var i = 0; i < 111; i++)
        {
            straight.OnCandleClosed(bars[i]);
        }

        reconnected.OnCandleClosed(bars[110]);

        Assert.Equal(straight.HistoryOf(bars[0].Symbol).ToArray(), reconnected.HistoryOf(bars[0].Symbol).ToArray());
        Assert.Equal(100, reconnected.HistoryBarsWarmed);
        Assert.Equal(10, reconnected.HistoryBarsDropped);
    }

    [Fact]
    public void HistoryOfAnotherPeriodIsIgnored()
    {
        var guard = Guard();
        var m1 = GoldM5()[0] with { Timeframe = Timeframe.M1 };

        guard.OnHistoryBar(m1);

        Assert.True(guard.HistoryOf(m1.Symbol).IsEmpty);
        Assert.Equal(0, guard.HistoryBarsWarmed + guard.HistoryBarsDropped);
    }

    private sealed class Collect(List<Signal> raised) : ISignalSink
    {
        public void OnSignal(Signal signal) => raised.Add(signal);
    }
}
