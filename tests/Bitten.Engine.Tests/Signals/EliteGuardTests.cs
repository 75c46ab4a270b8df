using Bitten.Domain.Market;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Engine.Signals;
using Bitten.Engine.Signals.Patterns;
using Bitten.Engine.Tracking;
using Bitten.Engine.Tests.Signals.Patterns;

namespace Bitten.Engine.Tests.Signals;

public sealed class EliteGuardTests
{
    private const long FiveMinutes = 300_000;

    // 2014-05-05 12:00 UTC: the Overlap session.
    private static readonly long Start = new DateTimeOffset(2014, 5, 5, 12, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private readonly SymbolRegistry _symbols = new();
    private readonly List<Signal> _raised = [];

    private EliteGuard Guard(EliteGuardOptions? options = null, params IPatternDetector[] detectors) =>
        new(_symbols, SymbolCatalogue.Default, detectors, SignalRules.Default, SignalGate.Default(), options ?? new EliteGuardOptions(), new Collect(_raised));

    /// <summary>Flat M5 bars 10 pips high around 1.1000: every true range is 0.0010, so ATR(14) is exactly 10 pips.</summary>
    private Candle M5(int index, string symbol = "EURUSD", Timeframe timeframe = Timeframe.M5)
    {
        var ohlc = new Ohlc(1.1000, 1.1005, 1.0995, 1.1000);
        return new Candle(_symbols.GetOrAdd(symbol), timeframe, Start + (index * FiveMinutes), ohlc, ohlc, ohlc, 10);
    }

    [Fact]
    public void RaisesASignalWithStopsFromTheAtrAndTheSymbolFloor()
    {
        var guard = Guard(null, new Scripted(PatternType.KalmanQuickfire, fireAt: 20, Direction.Buy, 85));
        for (var i = 0; i <= 20; i++)
        {
            guard.OnCandleClosed(M5(i));
        }

        var signal = Assert.Single(_raised);
        var close = Start + (21 * FiveMinutes);
        Assert.Equal($"ELITE_RAPID_KALMAN_QUICKFIRE_EURUSD_{close}", signal.SignalId);
        Assert.Equal(Direction.Buy, signal.Direction);
        Assert.Equal(1.1000, signal.EntryPrice);
        // ATR 10 pips × 0.9 = 9 pips, floored at EURUSD's 10-pip minimum; TP 1.5 × 10 = 15 pips.
        Assert.Equal(10, signal.StopPips);
        Assert.Equal(1.0990, signal.StopLoss);
        Assert.Equal(1.1015, signal.TakeProfit);
        Assert.Equal(85, signal.Confidence);
        // Flat candles: no zones, no sweep, sane volatility, no spread — the neutral shield, which leaves confidence as is.
        Assert.Equal(7, signal.CitadelScore);
        Assert.Equal(SignalClass.Rapid, signal.SignalClass);
        Assert.Equal("OVERLAP", signal.Session);
        Assert.Equal(close, signal.TimestampMs);
        Assert.Equal(close + (30 * 60_000), signal.ExpiresAtMs);
    }

    [Fact]
    public void KeepsTheMostConfidentReading()
    {
        var guard = Guard(null,
            new Scripted(PatternType.BbScalp, fireAt: 20, Direction.Sell, 86),
            new Scripted(PatternType.LiquiditySweepReversal, fireAt: 20, Direction.Buy, 88));
        for (var i = 0; i <= 20; i++)
        {
            guard.OnCandleClosed(M5(i));
        }

        Assert.Equal(PatternType.LiquiditySweepReversal, Assert.Single(_raised).PatternType);
    }

    [Fact]
    public void DropsReadingsBelowThePatternFloorOrTheGlobalThreshold()
    {
        // BB_SCALP's floor is 85; the global threshold is raised to 90 for the second detector.
        var guard = Guard(new EliteGuardOptions { GlobalThreshold = 90 },
            new Scripted(PatternType.BbScalp, fireAt: 20, Direction.Sell, 84),
            new Scripted(PatternType.KalmanQuickfire, fireAt: 21, Direction.Buy, 85));
        for (var i = 0; i <= 21; i++)
        {
            guard.OnCandleClosed(M5(i));
        }

        Assert.Empty(_raised);
        Assert.Equal(1, guard.BelowFloor);
        Assert.Equal(1, guard.BelowThreshold);
    }

    [Fact]
    public void PacesASymbolToThreeSignalsAnHour()
    {
        var guard = Guard(null, new Scripted(PatternType.KalmanQuickfire, fireAt: -1, Direction.Buy, 85));
        for (var i = 0; i < 30; i++)
        {
            guard.OnCandleClosed(M5(i));
        }

        // Fires on every bar from the 14th (ATR(14) is ready on it); 5 minutes apart passes the cooldown, the cap stops the 4th.
        Assert.Equal(3, _raised.Count(s => s.TimestampMs < _raised[0].TimestampMs + 3_600_000));
        Assert.True(guard.Paced > 0);
        Assert.True(_raised.Zip(_raised.Skip(1)).All(p => p.Second.TimestampMs - p.First.TimestampMs >= FiveMinutes));
    }

    [Fact]
    public void IgnoresOtherTimeframesAndCountsSymbolsOutsideTheCatalogue()
    {
        var guard = Guard(null, new Scripted(PatternType.KalmanQuickfire, fireAt: -1, Direction.Buy, 85));
        for (var i = 0; i <= 20; i++)
        {
            guard.OnCandleClosed(M5(i, timeframe: Timeframe.M1));
            guard.OnCandleClosed(M5(i, symbol: "BTCUSD"));
        }

        Assert.Empty(_raised);
        Assert.Equal(21, guard.UnknownSymbol);
        Assert.Equal(0, guard.Evaluations);
    }

    [Fact]
    public void APatternSwitchedOffByItsRecordRaisesNothingUntilAnAdminKeepsItOn()
    {
        var board = new PatternSwitchboard();
        for (var i = 0; i < 20; i++)
        {
            var id = $"OLD{i}";
            board.OnSignal(new Signal(id, "EURUSD", new SymbolId(0), Direction.Buy, 1.1, 1.099, 1.1015, 10, 15, 1.5, 85, PatternType.KalmanQuickfire, 7, "LONDON", 0, 1, 0));
            board.OnResolved(new SignalOutcome(id, Outcome.Loss, 1.099, 1, -10, 5, 0, 10));
        }

        var guard = new EliteGuard(_symbols, SymbolCatalogue.Default, [new Scripted(PatternType.KalmanQuickfire, fireAt: -1, Direction.Buy, 85)],
            SignalRules.Default, SignalGate.Default(), new EliteGuardOptions(), new Collect(_raised), switchboard: board);
        for (var i = 0; i <= 20; i++)
        {
            guard.OnCandleClosed(M5(i));
        }

        Assert.Empty(_raised);
        board.KeepOn(PatternType.KalmanQuickfire, keep: true);
        guard.OnCandleClosed(M5(21));
        Assert.Single(_raised);
    }

    [Fact]
    public void APatternAnAdminSwitchedOffRaisesNothingWhateverItsRecordUntilSwitchedOnAgain()
    {
        var board = new PatternSwitchboard();
        var guard = new EliteGuard(_symbols, SymbolCatalogue.Default, [new Scripted(PatternType.KalmanQuickfire, fireAt: -1, Direction.Buy, 85)],
            SignalRules.Default, SignalGate.Default(), new EliteGuardOptions(), new Collect(_raised), switchboard: board);

        Assert.Equal(PatternOverride.None, board.Override(PatternType.KalmanQuickfire, PatternOverride.ForceOff));
        for (var i = 0; i <= 20; i++)
        {
            guard.OnCandleClosed(M5(i));
        }

        Assert.Empty(_raised);
        Assert.Equal([PatternType.KalmanQuickfire], board.States.DisabledByAdmin);
        Assert.True(board.States.IsDisabled(PatternType.KalmanQuickfire));
        Assert.Equal(PatternOverride.ForceOff, board.Override(PatternType.KalmanQuickfire, PatternOverride.KeepOn));
        guard.OnCandleClosed(M5(21));
        Assert.Single(_raised);
        Assert.Empty(board.States.DisabledByAdmin);
    }

    [Fact]
    public void TheSignalsScoreIsTheDetectorsTermsAndCitadelsAdjustmentSummingToItsConfidence()
    {
        var parts = new ConfidenceComponents(68, 6.5, 4.25, 2, 6);
        var guard = Guard(null, new Composed(parts, Math.Clamp(parts.Total, 60, 95)));
        for (var i = 0; i <= 20; i++)
        {
            guard.OnCandleClosed(M5(i));
        }

        var signal = Assert.Single(_raised);
        var score = Assert.IsType<SignalScore>(signal.Score);
        Assert.Equal((68, 6.5, 4.25, 2, 6), (score.Base, score.Strength, score.Quality, score.Volume, score.Session));
        // The flat bars' neutral shield (7) moves nothing; its parts are what it scored.
        Assert.Equal((0, 7), (score.Citadel, score.CitadelScore));
        Assert.Equal(score.CitadelScore, score.Liquidity + score.Sweep + score.Volatility + score.Spread, 9);
        Assert.Equal(signal.CitadelScore, score.CitadelScore);
        // 86.75 is raised at 86.8: the rounding is the remainder, and the parts sum to the confidence.
        Assert.Equal(86.8, signal.Confidence);
        Assert.Equal(0.05, score.Range, 9);
        Assert.Equal(signal.Confidence, score.Total, 9);
    }

    [Fact]
    public void APatternsConfidenceCapIsTheRemainderOfItsScore()
    {
        var parts = new ConfidenceComponents(80, 15, 8, 4, 8);
        var guard = Guard(null, new Composed(parts, 95));
        for (var i = 0; i <= 20; i++)
        {
            guard.OnCandleClosed(M5(i));
        }

        var score = Assert.Single(_raised).Score!;
        Assert.Equal(95 - 115, score.Range, 9);
        Assert.Equal(95, score.Total, 9);
    }

    [Fact]
    public void StopsComeFromTheLibrarysWilderAtrWhichIsReadyOnTheFourteenthBar()
    {
        // Wilder's ATR(14) as Bitten.Indicators defines it: the first bar's true range is its high − low, the seed is
        // the mean of the first 14 true ranges, so 14 flat bars of 10 pips read exactly 10 pips and 13 read nothing.
        var guard = Guard(null, new Scripted(PatternType.KalmanQuickfire, fireAt: -1, Direction.Buy, 85));
        for (var i = 0; i < 13; i++)
        {
            guard.OnCandleClosed(M5(i));
        }

        Assert.Empty(_raised);
        guard.OnCandleClosed(M5(13));
        Assert.Equal(10, Assert.Single(_raised).StopPips);

        // A bar twice as wide after the seed moves the ATR by (20 − 10) / 14 pips: 10.71 × 2.0 (LIQUIDITY_SWEEP's
        // multiple) = 21.4 pips, rounded to the tenth.
        _raised.Clear();
        var sweep = Guard(null, new Scripted(PatternType.LiquiditySweepReversal, fireAt: 14, Direction.Buy, 85));
        for (var i = 0; i < 14; i++)
        {
            sweep.OnCandleClosed(M5(i));
        }

        sweep.OnCandleClosed(M5(14) with { Mid = new Ohlc(1.1, 1.1010, 1.0990, 1.1) });
        Assert.Equal(Math.Round((10 + (10.0 / 14)) * 2.0, 1), Assert.Single(_raised).StopPips);
    }

    [Fact]
    public void WarmedCandlesFillTheLookBackWithoutBeingJudged()
    {
        // Needs 40 closed bars and fires on every bar once it has them.
        var detector = new NeedsHistory(40);
        var warmed = Guard(null, detector);
        var cold = Guard(null, detector);

        // Forty bars from before a restart: none is judged, so nothing is raised while warming.
        Assert.Equal(40, warmed.Warm(Enumerable.Range(0, 40).Select(i => M5(i))));
        Assert.Equal(0, warmed.Counts.Evaluations);
        Assert.Empty(_raised);

        // The first live bar after the restart is judged with the full look-back; without the warm-up it could not be.
        warmed.OnCandleClosed(M5(40));
        Assert.Equal(Start + (41 * FiveMinutes), Assert.Single(_raised).TimestampMs);
        cold.OnCandleClosed(M5(40));
        Assert.Single(_raised);
        Assert.Equal(1, cold.Counts.Evaluations);
    }

    [Fact]
    public void AGuardWarmedWithTheStoredCandlesRaisesExactlyTheSignalOfOneThatNeverStopped()
    {
        // Real EURUSD bars, so the stop (ATR(14)) and CITADEL's zones depend on every bar before the signal's.
        var symbol = _symbols.GetOrAdd("EURUSD");
        var bars = RapidCandles.RealM5(RapidCandles.EurUsdFeed)[..250].Select(c => c with { Symbol = symbol }).ToArray();
        var never = Guard(null, new FiresOn(bars[^1].OpenTimeMs));
        foreach (var bar in bars)
        {
            never.OnCandleClosed(bar);
        }

        // The restarted guard saw the same bars only through Warm: its indicators must have been rebuilt from them.
        var restarted = Guard(null, new FiresOn(bars[^1].OpenTimeMs));
        Assert.Equal(249, restarted.Warm(bars[..^1]));
        restarted.OnCandleClosed(bars[^1]);

        Assert.Equal(2, _raised.Count);
        Assert.Equal(_raised[0], _raised[1]);
    }

    /// <summary>Fires a BUY at 85 on the bar that opened at <paramref name="openTimeMs"/>.</summary>
    private sealed class FiresOn(long openTimeMs) : IPatternDetector
    {
        public PatternType Pattern => PatternType.OrderBlockBounce;

        public int MinimumCandles => 1;

        public PatternReading? Detect(ReadOnlySpan<Candle> closed, in DetectorContext context) => closed[^1].OpenTimeMs == openTimeMs
            ? new PatternReading(Pattern, Direction.Buy, closed[^1].Mid.Close, 85, new ConfidenceComponents(85, 0, 0, 0, 0))
            : null;
    }

    /// <summary>Fires on every bar once it has at least <paramref name="bars"/> closed bars to read.</summary>
    private sealed class NeedsHistory(int bars) : IPatternDetector
    {
        public PatternType Pattern => PatternType.KalmanQuickfire;

        public int MinimumCandles => bars;

        public PatternReading? Detect(ReadOnlySpan<Candle> closed, in DetectorContext context) =>
            new PatternReading(Pattern, Direction.Buy, closed[^1].Mid.Close, 90, new ConfidenceComponents(90, 0, 0, 0, 0));
    }

    /// <summary>Fires a BUY on the 21st bar with the given terms and (clamped) confidence.</summary>
    private sealed class Composed(ConfidenceComponents parts, double confidence) : IPatternDetector
    {
        public PatternType Pattern => PatternType.KalmanQuickfire;

        public int MinimumCandles => 21;

        public PatternReading? Detect(ReadOnlySpan<Candle> closed, in DetectorContext context) =>
            closed.Length == 21 ? new PatternReading(Pattern, Direction.Buy, closed[^1].Mid.Close, confidence, parts) : null;
    }

    private sealed class Collect(List<Signal> raised) : ISignalSink
    {
        public void OnSignal(Signal signal) => raised.Add(signal);
    }

    /// <summary>Fires on the bar whose index (from the first) is <paramref name="fireAt"/>, or on every bar when −1.</summary>
    private sealed class Scripted(PatternType pattern, int fireAt, Direction direction, double confidence) : IPatternDetector
    {
        public PatternType Pattern => pattern;

        public int MinimumCandles => 1;

        public PatternReading? Detect(ReadOnlySpan<Candle> closed, in DetectorContext context)
        {
            var index = (int)((closed[^1].OpenTimeMs - Start) / FiveMinutes);
            return fireAt == -1 || index == fireAt
                ? new PatternReading(pattern, direction, closed[^1].Mid.Close, confidence, new ConfidenceComponents(confidence, 0, 0, 0, 0))
                : null;
        }
    }
}
