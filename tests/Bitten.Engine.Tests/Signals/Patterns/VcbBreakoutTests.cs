using Bitten.Domain.Market;
using Bitten.Domain.Signals;
using Bitten.Engine.Signals;
using Bitten.Engine.Signals.Patterns;
using Xunit.Abstractions;

namespace Bitten.Engine.Tests.Signals.Patterns;

public class VcbBreakoutTests(ITestOutputHelper output)
{
    private const double EurUsd = 1.1000;
    private const double Pip = 0.0001;
    private const int SqueezeBar = 38;

    // A zig-zag whose amplitude shrinks by 0.9 a bar: every band width is 0.9⁵ ≈ 0.59 of the one 5 bars earlier.
    private const double Decay = 0.9;

    private readonly VcbBreakout _detector = new();

    [Fact]
    public void AContractingQuietSqueezeBrokenOnATickSurgeIsBought()
    {
        var candles = Shape(Decay, breakoutClose: 30);
        var r = Assert.NotNull(RapidCandles.Detect(_detector, candles, "EURUSD"));

        var intensity = 1 - (Width(candles, SqueezeBar) / (3 * Atr(candles, SqueezeBar)));
        Assert.Equal(Direction.Buy, r.Direction);
        Assert.Equal(candles[^1].Mid.Close, r.EntryPrice);
        Assert.Equal(70, r.Components.Base);
        Assert.Equal(Math.Min(10, 2 * (30 - Top(candles))), r.Components.Strength, 1e-6);
        Assert.Equal(Math.Min(10, 20 * intensity) + Math.Min(6, 0.5 * Duration(candles)), r.Components.Quality, 1e-6);
        Assert.Equal(8 * ((110 / 55.0) - 1.3), r.Components.Volume, 1e-9); // 110 ticks over (100 + 9 × 50) / 10
        Assert.Equal(8, r.Components.Session);
        Assert.Equal(Math.Clamp(r.Components.Total, 70, 92), r.Confidence);
        Assert.InRange(r.Confidence, 70, 92);
    }

    [Fact]
    public void TheMirroredBreakoutIsSoldWithTheSameScore()
    {
        var candles = Shape(Decay, breakoutClose: 30);
        var buy = Assert.NotNull(RapidCandles.Detect(_detector, candles, "EURUSD"));
        var sell = Assert.NotNull(RapidCandles.Detect(_detector, RapidCandles.Mirror(candles, EurUsd), "EURUSD"));

        Assert.Equal(Direction.Sell, sell.Direction);
        Assert.Equal(EurUsd - (30 * Pip), sell.EntryPrice, 1e-12);
        AssertSameComponents(buy.Components, sell.Components);
    }

    [Fact]
    public void ACloseUnderTwoPipsBeyondTheOuterChannelIsNoSignal()
    {
        var top = Top(Shape(Decay, breakoutClose: 30));
        Assert.Null(RapidCandles.Detect(_detector, Shape(Decay, top + 1.9), "EURUSD"));
        var r = Assert.NotNull(RapidCandles.Detect(_detector, Shape(Decay, top + 2.1), "EURUSD"));
        Assert.Equal(2 * 2.1, r.Components.Strength, 1e-6);
    }

    [Fact]
    public void ASqueezeNotUnderSevenTenthsOfItsRecentWidthsIsNoSignal()
    {
        // Decay 0.78^(1/5) a bar: each stage still contracts under 0.8, but the width is 0.705 of the shifted windows'.
        var decay = Math.Pow(0.78, 0.2);
        var candles = Shape(decay, breakoutClose: 30);
        var history = Enumerable.Range(5, 5).Average(s => Width(candles, SqueezeBar - s));
        Assert.InRange(Width(candles, SqueezeBar) / history, 0.7, 0.71);
        Assert.True(Width(candles, SqueezeBar - 5) < 0.8 * Width(candles, SqueezeBar - 10));
        Assert.Null(RapidCandles.Detect(_detector, candles, "EURUSD"));
    }

    [Fact]
    public void BandsThatDidNotContractInStagesAreNoSignal()
    {
        // The oldest stage window loses its widest bars, so the middle stage is no longer 80% of it.
        var candles = Shape(Decay, breakoutClose: 30, flattenOldest: true);
        Assert.True(Width(candles, SqueezeBar - 10) >= 0.8 * Width(candles, SqueezeBar - 15));
        Assert.True(Width(candles, SqueezeBar - 5) < 0.8 * Width(candles, SqueezeBar - 10));
        Assert.NotNull(RapidCandles.Detect(_detector, Shape(Decay, breakoutClose: 30), "EURUSD"));
        Assert.Null(RapidCandles.Detect(_detector, candles, "EURUSD"));
    }

    [Fact]
    public void ASqueezeWhoseTicksDidNotDryUpIsNoSignal()
    {
        // 85 ticks a bar in the squeeze against 100 before: not under 0.8×; the breakout still surges.
        Assert.Null(RapidCandles.Detect(_detector, Shape(Decay, 30, quietTicks: 85, breakoutTicks: 300), "EURUSD"));
        Assert.NotNull(RapidCandles.Detect(_detector, Shape(Decay, 30, quietTicks: 79, breakoutTicks: 300), "EURUSD"));
    }

    [Fact]
    public void ABreakoutOnUnderOnePointThreeTimesTheTenBarAverageIsNoSignal()
    {
        // The 10-bar average is 55 ticks: 71 is under 1.3×, 72 over.
        Assert.Null(RapidCandles.Detect(_detector, Shape(Decay, 30, breakoutTicks: 71), "EURUSD"));
        var r = Assert.NotNull(RapidCandles.Detect(_detector, Shape(Decay, 30, breakoutTicks: 72), "EURUSD"));
        Assert.Equal(8 * ((72 / 55.0) - 1.3), r.Components.Volume, 1e-9);
    }

    [Fact]
    public void FewerThanThirtySixCandlesIsNoSignal()
    {
        var candles = Shape(Decay, breakoutClose: 30);
        Assert.Equal(36, _detector.MinimumCandles);
        Assert.NotNull(RapidCandles.Detect(_detector, candles.AsSpan(4), "EURUSD"));
        Assert.Null(RapidCandles.Detect(_detector, candles.AsSpan(5), "EURUSD"));
    }

    [Theory]
    [InlineData(TradingSession.London, 8)]
    [InlineData(TradingSession.Overlap, 6)]
    [InlineData(TradingSession.NewYork, 5)]
    [InlineData(TradingSession.Asian, 3)]
    [InlineData(TradingSession.Late, 0)]
    public void EverySessionGetsItsBonus(TradingSession session, double bonus)
    {
        var r = RapidCandles.Detect(_detector, Shape(Decay, 30), "EURUSD", session);
        Assert.Equal(bonus, Assert.NotNull(r).Components.Session);
    }

    [Theory]
    [InlineData("USDJPY", 150.0, 0.01)]
    [InlineData("XAUUSD", 2000.0, 0.1)]
    public void TheSameShapeInPipsScoresTheSameOnJpyAndGoldAndKeepsTheTwoPipMargin(string symbol, double basePrice, double pip)
    {
        var eur = Assert.NotNull(RapidCandles.Detect(_detector, Shape(Decay, 30), "EURUSD"));
        var other = Assert.NotNull(RapidCandles.Detect(_detector, Shape(Decay, 30, basePrice: basePrice, pip: pip), symbol));
        AssertSameComponents(eur.Components, other.Components);

        var top = Top(Shape(Decay, 30));
        Assert.Null(RapidCandles.Detect(_detector, Shape(Decay, top + 1.9, basePrice: basePrice, pip: pip), symbol));
        Assert.NotNull(RapidCandles.Detect(_detector, Shape(Decay, top + 2.1, basePrice: basePrice, pip: pip), symbol));
    }

    [Theory]
    [InlineData(RapidCandles.EurUsdFeed, "EURUSD", 0)]
    [InlineData(RapidCandles.XauUsdFeed, "XAUUSD", 0)]
    public void OnRealCandlesEveryPrefixReadsTheSameTwiceAndIgnoresTheNextCandle(string feed, string symbol, int expected)
    {
        var readings = RapidCandles.CountReadingsCheckingPurity(_detector, feed, symbol, 70, 92);
        output.WriteLine($"VCB_BREAKOUT {symbol}: {readings} readings");
        // Pinned: a change in what the detector finds on real data must be a conscious one.
        Assert.Equal(expected, readings);
    }

    /// <summary>
    /// 39 closes zig-zagging around the base with amplitude 30 × decayⁱ pips and 5-pip wicks; 100 ticks a bar, then
    /// <paramref name="quietTicks"/> on bars 30..38 (the squeeze); bar 39 opens at the last close and closes at
    /// <paramref name="breakoutClose"/> pips on <paramref name="breakoutTicks"/>. With <paramref name="flattenOldest"/>
    /// bars 4..8 take the smaller amplitudes of bars 24..28.
    /// </summary>
    private static Candle[] Shape(
        double decay, double breakoutClose, int quietTicks = 50, int breakoutTicks = 110, bool flattenOldest = false,
        double basePrice = EurUsd, double pip = Pip)
    {
        var closes = new double[40];
        var ticks = new int[40];
        for (var i = 0; i < 39; i++)
        {
            var power = flattenOldest && i is >= 4 and <= 8 ? i + 20 : i;
            closes[i] = (i % 2 == 0 ? 1 : -1) * 30 * Math.Pow(decay, power);
            ticks[i] = i >= 30 ? quietTicks : 100;
        }

        closes[39] = breakoutClose;
        ticks[39] = breakoutTicks;
        var candles = RapidCandles.FromPips(basePrice, pip, closes, 5, ticks);
        var open = closes[38];
        candles[39] = RapidCandles.PipBar(39, basePrice, pip, open, breakoutClose + 1, open - 1, breakoutClose, breakoutTicks);
        return candles;
    }

    private static double[] Closes(Candle[] candles, int end) =>
        candles[(end - 19)..(end + 1)].Select(c => (c.Mid.Close - EurUsd) / Pip).ToArray();

    private static double Mean(Candle[] candles, int end) => Closes(candles, end).Average();

    private static double Width(Candle[] candles, int end)
    {
        var closes = Closes(candles, end);
        var mean = closes.Average();
        return 4 * Math.Sqrt(closes.Select(c => (c - mean) * (c - mean)).Average());
    }

    private static double Atr(Candle[] candles, int end) =>
        Enumerable.Range(end - 18, 19).Average(i =>
        {
            var m = candles[i].Mid;
            var previous = candles[i - 1].Mid.Close;
            return Math.Max(m.High - m.Low, Math.Max(Math.Abs(m.High - previous), Math.Abs(m.Low - previous))) / Pip;
        });

    /// <summary>
    /// EMA(20) as Bitten.Indicators defines it, running over every close from the first: seeded by the mean of the first
    /// 20, then ema + 2/21 × (close − ema) for each close up to <paramref name="end"/>.
    /// </summary>
    private static double Ema(Candle[] candles, int end)
    {
        var closes = candles[..(end + 1)].Select(c => (c.Mid.Close - EurUsd) / Pip).ToArray();
        return closes.Skip(20).Aggregate(closes.Take(20).Average(), (ema, close) => ema + ((2.0 / 21) * (close - ema)));
    }

    /// <summary>The outer upper channel at the squeeze bar, in pips over the base: max(BB upper, EMA + 1.5 ATR).</summary>
    private static double Top(Candle[] candles) =>
        Math.Max(Mean(candles, SqueezeBar) + (Width(candles, SqueezeBar) / 2), Ema(candles, SqueezeBar) + (1.5 * Atr(candles, SqueezeBar)));

    private static int Duration(Candle[] candles)
    {
        var bars = 0;
        while (bars < 12 && Width(candles, SqueezeBar - bars) < 0.8 * 3 * Atr(candles, SqueezeBar - bars))
        {
            bars++;
        }

        return bars;
    }

    private static void AssertSameComponents(ConfidenceComponents expected, ConfidenceComponents actual)
    {
        Assert.Equal(expected.Base, actual.Base, 1e-9);
        Assert.Equal(expected.Strength, actual.Strength, 1e-6);
        Assert.Equal(expected.Quality, actual.Quality, 1e-6);
        Assert.Equal(expected.Volume, actual.Volume, 1e-9);
        Assert.Equal(expected.Session, actual.Session, 1e-9);
    }
}
