using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Engine.Tracking;
using static Bitten.Engine.Tests.TestTicks;
using static Bitten.Engine.Tests.Tracking.TestSignals;

namespace Bitten.Engine.Tests.Tracking;

/// <summary>
/// The tracking rules of PRODUCT.md §6 on hand-built ticks. A BUY at 1.10000 with SL 1.09900 (10 pips) and TP
/// 1.10150 (15 pips); a SELL at 1.10000 with SL 1.10100 and TP 1.09850; each test moves one side of the spread.
/// </summary>
public class OutcomeTrackerTests
{
    private const int Precision = 9;

    private static readonly long T0 = At(10, 0);

    private readonly RecordingOutcomeSink _sink = new();
    private readonly OutcomeTracker _tracker;

    public OutcomeTrackerTests()
    {
        _tracker = new OutcomeTracker(_sink);
    }

    private static Signal StandardBuy(long? atMs = null, SymbolId? symbol = null) => Buy(1.10000, 1.09900, 1.10150, atMs ?? T0, symbol);

    private static Signal StandardSell(long? atMs = null, SymbolId? symbol = null) => Sell(1.10000, 1.10100, 1.09850, atMs ?? T0, symbol);

    private void Feed(double bid, double ask, long atMs, SymbolId? symbol = null) => _tracker.OnTick(Quote(bid, ask, atMs, symbol: symbol));

    [Fact]
    public void ABuyWinsWhenTheBidReachesTheTarget()
    {
        var signal = StandardBuy();
        _tracker.Track(signal, EurUsdPip);

        Feed(1.10100, 1.10110, T0 + 1_000);
        Assert.Empty(_sink.Outcomes);
        Feed(1.10160, 1.10170, T0 + 2_000);

        var outcome = _sink.Single;
        Assert.Equal(signal.SignalId, outcome.SignalId);
        Assert.Equal(Outcome.Win, outcome.Outcome);
        Assert.Equal(1.10160, outcome.ExitPrice);
        Assert.Equal(T0 + 2_000, outcome.ExitTimeMs);
        Assert.Equal(16, outcome.Pips, Precision);
        Assert.Equal(0, _tracker.OpenCount);
        Assert.False(_tracker.IsOpen(signal.SignalId));
    }

    [Fact]
    public void ABuyIsNotClosedWhenOnlyTheAskReachesTheTarget()
    {
        // The original tracker judged BUYs on the ask, handing them the spread on every target.
        _tracker.Track(StandardBuy(), EurUsdPip);

        Feed(1.10140, 1.10160, T0 + 1_000);
        Feed(1.10149, 1.10200, T0 + 2_000);

        Assert.Empty(_sink.Outcomes);
        Assert.Equal(1, _tracker.OpenCount);
    }

    [Fact]
    public void ABuyLosesWhenTheBidReachesTheStopEvenThoughTheAskHasNot()
    {
        var signal = StandardBuy();
        _tracker.Track(signal, EurUsdPip);

        Feed(1.09895, 1.09915, T0 + 60_000);

        var outcome = _sink.Single;
        Assert.Equal(Outcome.Loss, outcome.Outcome);
        Assert.Equal(1.09895, outcome.ExitPrice);
        Assert.Equal(-10.5, outcome.Pips, Precision);
    }

    [Fact]
    public void ASellWinsWhenTheAskReachesTheTarget()
    {
        _tracker.Track(StandardSell(), EurUsdPip);

        Feed(1.09830, 1.09850, T0 + 1_000);

        var outcome = _sink.Single;
        Assert.Equal(Outcome.Win, outcome.Outcome);
        Assert.Equal(1.09850, outcome.ExitPrice);
        Assert.Equal(15, outcome.Pips, Precision);
    }

    [Fact]
    public void ASellIsNotClosedWhenOnlyTheBidReachesTheTarget()
    {
        _tracker.Track(StandardSell(), EurUsdPip);

        Feed(1.09800, 1.09851, T0 + 1_000);

        Assert.Empty(_sink.Outcomes);
        Assert.Equal(1, _tracker.OpenCount);
    }

    [Fact]
    public void ASellLosesWhenTheAskReachesTheStopEvenThoughTheBidHasNot()
    {
        _tracker.Track(StandardSell(), EurUsdPip);

        Feed(1.10090, 1.10102, T0 + 1_000);

        var outcome = _sink.Single;
        Assert.Equal(Outcome.Loss, outcome.Outcome);
        Assert.Equal(1.10102, outcome.ExitPrice);
        Assert.Equal(-10.2, outcome.Pips, Precision);
    }

    [Theory]
    [InlineData(Direction.Buy, 1.10150, 1.10160, Outcome.Win)]
    [InlineData(Direction.Buy, 1.09900, 1.09910, Outcome.Loss)]
    [InlineData(Direction.Sell, 1.09840, 1.09850, Outcome.Win)]
    [InlineData(Direction.Sell, 1.10090, 1.10100, Outcome.Loss)]
    public void APriceExactlyAtALevelCountsAsReachingIt(Direction direction, double bid, double ask, Outcome expected)
    {
        var signal = direction == Direction.Buy ? StandardBuy() : StandardSell();
        _tracker.Track(signal, EurUsdPip);

        Feed(bid, ask, T0 + 1_000);

        var outcome = _sink.Single;
        Assert.Equal(expected, outcome.Outcome);
        Assert.Equal(expected == Outcome.Win ? signal.TakeProfit : signal.StopLoss, outcome.ExitPrice);
    }

    [Theory]
    [InlineData(Direction.Buy)]
    [InlineData(Direction.Sell)]
    public void WhenOneTickSatisfiesBothLevelsTheStopCounts(Direction direction)
    {
        // With both levels judged on one side of the spread a well-formed signal cannot meet both on one tick; a
        // malformed one (levels crossed) can, and it must still resolve, conservatively.
        var signal = direction == Direction.Buy
            ? Buy(1.10000, stopLoss: 1.10050, takeProfit: 1.10020, T0)
            : Sell(1.10000, stopLoss: 1.09950, takeProfit: 1.09980, T0);
        _tracker.Track(signal, EurUsdPip);

        // Between the crossed levels: beyond the target and beyond the stop at once.
        Feed(direction == Direction.Buy ? 1.10030 : 1.09960, direction == Direction.Buy ? 1.10040 : 1.09970, T0 + 1_000);

        Assert.Equal(Outcome.Loss, _sink.Single.Outcome);
    }

    [Fact]
    public void AGapThroughTheStopExitsAtTheGapPriceNotAtTheStop()
    {
        _tracker.Track(StandardBuy(), EurUsdPip);

        Feed(1.09950, 1.09960, T0 + 1_000);
        Feed(1.09700, 1.09720, T0 + 2_000);

        var outcome = _sink.Single;
        Assert.Equal(Outcome.Loss, outcome.Outcome);
        Assert.Equal(1.09700, outcome.ExitPrice);
        Assert.Equal(-30, outcome.Pips, Precision);
    }

    [Fact]
    public void TicksBeforeTheSignalTimeAreIgnored()
    {
        var signal = StandardBuy(atMs: T0);
        _tracker.Track(signal, EurUsdPip);

        // Would be a win and a deep excursion if it counted: it is a late tick from before the signal.
        Feed(1.10500, 1.10510, T0 - 1);
        Feed(1.09000, 1.09010, T0 - 500);
        Assert.Empty(_sink.Outcomes);
        Assert.Equal(0, Assert.Single(_tracker.Open).MaxFavourablePips);
        Assert.Equal(0, Assert.Single(_tracker.Open).MaxAdversePips);

        Feed(1.09900, 1.09910, T0);

        var outcome = _sink.Single;
        Assert.Equal(Outcome.Loss, outcome.Outcome);
        Assert.Equal(10, outcome.MaxAdversePips, Precision);
        Assert.Equal(0, outcome.MaxFavourablePips);
    }

    [Fact]
    public void TicksOfOtherSymbolsAreIgnored()
    {
        _tracker.Track(StandardBuy(symbol: EurUsd), EurUsdPip);

        Feed(1.20000, 1.20010, T0 + 1_000, GbpUsd);
        Feed(1.20000, 1.20010, T0 + 1_000, new SymbolId(57));
        Feed(1.20000, 1.20010, T0 + 1_000, SymbolId.None);

        Assert.Empty(_sink.Outcomes);
        Assert.Equal(0, Assert.Single(_tracker.Open).MaxFavourablePips);

        Feed(1.10150, 1.10160, T0 + 2_000, EurUsd);
        Assert.Equal(Outcome.Win, _sink.Single.Outcome);
    }

    [Fact]
    public void ManySignalsOnOneSymbolResolveIndependentlyAndSeveralInOneTick()
    {
        var wideBuy = Buy(1.10000, 1.09000, 1.11000, T0);
        var buyTarget = Buy(1.10000, 1.09900, 1.10100, T0);
        var sellStop = Sell(1.10000, 1.10080, 1.09000, T0);
        var sellLater = Sell(1.10000, 1.10300, 1.09850, T0 + 5_000);
        var otherSymbol = Buy(1.30000, 1.29000, 1.30050, T0, GbpUsd);
        var buyTarget2 = Buy(1.10020, 1.09900, 1.10090, T0);
        foreach (var s in new[] { wideBuy, buyTarget, sellStop, sellLater, otherSymbol, buyTarget2 })
        {
            _tracker.Track(s, EurUsdPip);
        }

        Feed(1.10100, 1.10110, T0 + 1_000);

        // One tick closed three EURUSD signals, reported in the order they were tracked.
        Assert.Equal([buyTarget.SignalId, sellStop.SignalId, buyTarget2.SignalId], _sink.Outcomes.Select(o => o.SignalId));
        Assert.Equal([Outcome.Win, Outcome.Loss, Outcome.Win], _sink.Outcomes.Select(o => o.Outcome));
        Assert.Equal([wideBuy.SignalId, sellLater.SignalId, otherSymbol.SignalId], _tracker.Open.Select(o => o.Signal.SignalId));

        Feed(1.09840, 1.09850, T0 + 6_000);
        Assert.Equal(sellLater.SignalId, _sink.Outcomes[^1].SignalId);
        Assert.Equal(Outcome.Win, _sink.Outcomes[^1].Outcome);
        Assert.Equal(2, _tracker.OpenCount);
        Assert.Equal(4, _tracker.ResolvedCount);
    }

    [Fact]
    public void ExcursionsAreMeasuredInPipsOnTheSideOfTheSpreadTheExitWouldUse()
    {
        var buy = StandardBuy();
        var sell = StandardSell();
        _tracker.Track(buy, EurUsdPip);
        _tracker.Track(sell, EurUsdPip);

        Feed(1.10080, 1.10090, T0 + 1_000);  // buy +8 on the bid; sell −9 on the ask
        Feed(1.09950, 1.09960, T0 + 2_000);  // buy −5; sell +4
        Feed(1.10020, 1.10030, T0 + 3_000);
        var open = _tracker.Open;
        Assert.Equal(8, open[0].MaxFavourablePips, Precision);
        Assert.Equal(5, open[0].MaxAdversePips, Precision);
        Assert.Equal(4, open[1].MaxFavourablePips, Precision);
        Assert.Equal(9, open[1].MaxAdversePips, Precision);

        Feed(1.10150, 1.10160, T0 + 4_000);  // buy wins at +15; the sell's stop is hit at −16
        var won = _sink.Outcomes.Single(o => o.SignalId == buy.SignalId);
        var lost = _sink.Outcomes.Single(o => o.SignalId == sell.SignalId);
        Assert.Equal(15, won.MaxFavourablePips, Precision);
        Assert.Equal(5, won.MaxAdversePips, Precision);
        Assert.Equal(4, lost.MaxFavourablePips, Precision);
        Assert.Equal(16, lost.MaxAdversePips, Precision);
    }

    [Theory]
    [InlineData("EURUSD", 0.0001, 1.10000, 1.09900, 1.10150, 1.10153, 15.3)]
    [InlineData("USDJPY", 0.01, 150.000, 149.900, 150.150, 150.157, 15.7)]
    [InlineData("XAUUSD", 0.1, 2500.00, 2499.00, 2501.50, 2501.52, 15.2)]
    [InlineData("USDJPY", 0.01, 150.000, 149.900, 150.150, 149.880, -12)]
    [InlineData("XAUUSD", 0.1, 2500.00, 2499.00, 2501.50, 2498.50, -15)]
    public void PipsAreTheBuysExitMinusEntryInTheSymbolsPips(string symbol, double pip, double entry, double stopLoss, double takeProfit, double exitBid, double pips)
    {
        _tracker.Track(Buy(entry, stopLoss, takeProfit, T0, id: symbol), pip);

        Feed(exitBid, exitBid + pip, T0 + 1_000);

        Assert.Equal(pips, _sink.Single.Pips, 6);
        Assert.Equal(pips > 0 ? Outcome.Win : Outcome.Loss, _sink.Single.Outcome);
    }

    [Theory]
    [InlineData(150.000, 150.100, 149.850, 149.843, 15.7)]
    [InlineData(150.000, 150.100, 149.850, 150.120, -12)]
    public void PipsOfASellAreEntryMinusExit(double entry, double stopLoss, double takeProfit, double exitAsk, double pips)
    {
        _tracker.Track(Sell(entry, stopLoss, takeProfit, T0), 0.01);

        Feed(exitAsk - 0.01, exitAsk, T0 + 1_000);

        Assert.Equal(pips, _sink.Single.Pips, 6);
    }

    [Fact]
    public void DurationIsTheMinutesFromTheSignalTimeToTheExitTick()
    {
        _tracker.Track(StandardBuy(atMs: T0), EurUsdPip);

        Feed(1.10000, 1.10010, T0 + (20 * UnixMs.Minute));
        Feed(1.10200, 1.10210, T0 + (37 * UnixMs.Minute) + (30 * UnixMs.Second));

        Assert.Equal(37.5, _sink.Single.DurationMinutes, Precision);
    }

    [Fact]
    public void ASignalStaysOpenPastItsExpiryUntilALevelIsReached()
    {
        var signal = StandardBuy();
        _tracker.Track(signal, EurUsdPip);

        Feed(1.10000, 1.10010, signal.ExpiresAtMs + UnixMs.Minute);
        Assert.True(_tracker.IsOpen(signal.SignalId));

        Feed(1.09800, 1.09810, signal.ExpiresAtMs + (6 * 60 * UnixMs.Minute));
        Assert.Equal(Outcome.Loss, _sink.Single.Outcome);
    }

    [Fact]
    public void RestoringASavedTrackerAndContinuingGivesTheSameOutcomesAsNeverStopping()
    {
        var signals = new[]
        {
            StandardBuy(), StandardSell(), Buy(1.10000, 1.09700, 1.10200, T0 + 30_000), Sell(1.10000, 1.10400, 1.09900, T0),
        };
        var path = new[] { 1.10050, 1.09920, 1.10120, 1.09960, 1.10090, 1.09870, 1.09800, 1.10060, 1.10220, 1.09690 };
        var ticks = path.Select((bid, i) => Quote(bid, bid + 0.00012, T0 + ((i + 1) * 20_000))).ToArray();

        var uninterrupted = new OutcomeTracker(_sink);
        foreach (var s in signals)
        {
            uninterrupted.Track(s, EurUsdPip);
        }

        foreach (var t in ticks)
        {
            uninterrupted.OnTick(t);
        }

        var before = new RecordingOutcomeSink();
        var first = new OutcomeTracker(before);
        foreach (var s in signals)
        {
            first.Track(s, EurUsdPip);
        }

        const int SplitAt = 3;
        foreach (var t in ticks[..SplitAt])
        {
            first.OnTick(t);
        }

        var saved = first.Open.ToArray();
        Assert.Contains(saved, s => s.MaxFavourablePips > 0 && s.MaxAdversePips > 0);

        var after = new RecordingOutcomeSink();
        var resumed = new OutcomeTracker(after);
        resumed.Restore(saved);
        foreach (var t in ticks[SplitAt..])
        {
            resumed.OnTick(t);
        }

        Assert.Equal(signals.Length, _sink.Outcomes.Count);
        Assert.Equal(_sink.Outcomes, before.Outcomes.Concat(after.Outcomes));
        Assert.Equal(0, resumed.OpenCount);
    }

    [Fact]
    public void TheOpenSnapshotListsOnlyUnresolvedSignalsWithTheirPipSize()
    {
        var buy = StandardBuy();
        var jpy = Buy(150.000, 149.000, 151.000, T0, GbpUsd);
        _tracker.Track(buy, EurUsdPip);
        _tracker.Track(StandardSell(), EurUsdPip);
        _tracker.Track(jpy, 0.01);

        // Stops the SELL on the ask; the BUY's bid is still short of its target.
        Feed(1.10100, 1.10110, T0 + 1_000);

        Assert.Equal(Outcome.Loss, _sink.Single.Outcome);
        var open = _tracker.Open;
        Assert.Equal([buy.SignalId, jpy.SignalId], open.Select(o => o.Signal.SignalId));
        Assert.Equal([EurUsdPip, 0.01], open.Select(o => o.PipSize));
    }

    [Fact]
    public void TrackRefusesADuplicateIdABadPipSizeAndASignalWithoutASymbol()
    {
        var signal = StandardBuy();
        _tracker.Track(signal, EurUsdPip);

        Assert.Throws<ArgumentException>(() => _tracker.Track(signal, EurUsdPip));
        Assert.Throws<ArgumentOutOfRangeException>(() => _tracker.Track(StandardSell(), 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => _tracker.Track(StandardSell(), double.NaN));
        Assert.Throws<ArgumentException>(() => _tracker.Track(StandardSell(symbol: SymbolId.None), EurUsdPip));
        Assert.Throws<ArgumentException>(() => _tracker.Track(Buy(1.1, double.NaN, 1.2, T0), EurUsdPip));
        Assert.Equal(1, _tracker.OpenCount);
    }

    [Fact]
    public void ASinkMayTrackANewSignalWhileBeingToldOfAnOutcome()
    {
        var follow = StandardSell(atMs: T0 + 1_000);
        OutcomeTracker? tracker = null;
        var sink = new ReTrackingSink(() => tracker!.Track(follow, EurUsdPip));
        tracker = new OutcomeTracker(sink);
        tracker.Track(StandardBuy(), EurUsdPip);
        tracker.Track(Buy(1.10000, 1.09000, 1.10100, T0), EurUsdPip);

        tracker.OnTick(Quote(1.10150, 1.10160, T0 + 1_000));

        // The second buy, resolved by the same tick, was not lost to the nested Track. The SELL tracked from the sink
        // would be stopped by that tick's ask; it was tracked after the tick was applied, so it is still open.
        Assert.Equal(2, sink.Count);
        Assert.True(tracker.IsOpen(follow.SignalId));
        tracker.OnTick(Quote(1.09840, 1.09850, T0 + 2_000));
        Assert.False(tracker.IsOpen(follow.SignalId));
    }

    [Fact]
    public void AThrowingSinkStillReceivesEveryOutcomeOfTheTick()
    {
        var sink = new ThrowingSink();
        var tracker = new OutcomeTracker(sink);
        tracker.Track(StandardBuy(), EurUsdPip);
        tracker.Track(Buy(1.10000, 1.09000, 1.10100, T0), EurUsdPip);

        Assert.Throws<InvalidOperationException>(() => tracker.OnTick(Quote(1.10150, 1.10160, T0 + 1_000)));

        Assert.Equal(2, sink.Count);
        Assert.Equal(0, tracker.OpenCount);
    }

    private sealed class ReTrackingSink(Action onFirst) : IOutcomeSink
    {
        public int Count { get; private set; }

        public void OnResolved(in SignalOutcome outcome)
        {
            if (Count++ == 0)
            {
                onFirst();
            }
        }
    }

    private sealed class ThrowingSink : IOutcomeSink
    {
        public int Count { get; private set; }

        public void OnResolved(in SignalOutcome outcome)
        {
            Count++;
            throw new InvalidOperationException("sink failure");
        }
    }
}
