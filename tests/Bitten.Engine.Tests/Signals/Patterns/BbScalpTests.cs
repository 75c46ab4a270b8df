using Bitten.Domain.Market;
using Bitten.Domain.Signals;
using Bitten.Engine.Signals;
using Bitten.Engine.Signals.Patterns;
using Xunit.Abstractions;

namespace Bitten.Engine.Tests.Signals.Patterns;

public class BbScalpTests(ITestOutputHelper output)
{
    private const double EurUsd = 1.1000;
    private const double Pip = 0.0001;

    private readonly BbScalp _detector = new();

    [Fact]
    public void ASpikeThroughTheUpperBandWithRsiOverSixtyFiveAndALongUpperWickIsSold()
    {
        var candles = Reversion(AllUp, wicks: 10, high: 27, lowBelowOpen: 10);
        var r = Assert.NotNull(RapidCandles.Detect(_detector, candles, "EURUSD"));

        // By hand: last 20 closes 0×6, 1..14 → mean 5.25, σ = √23.1875; ATR = (5×20 + 13×21 + 37) / 19.
        var upper = 5.25 + (2 * Math.Sqrt(23.1875));
        var atr = 410.0 / 19;
        Assert.Equal(upper, Upper(candles, candles.Length - 1), 1e-9);
        Assert.Equal(atr, Atr(candles, candles.Length - 1), 1e-9);
        var intensity = 1 - (4 * Math.Sqrt(23.1875) / (2.5 * atr));

        Assert.Equal(Direction.Sell, r.Direction);
        Assert.Equal(candles[^1].Mid.Close, r.EntryPrice);
        Assert.Equal(72, r.Components.Base);
        Assert.Equal(10, r.Components.Strength); // RSI 100: 0.67 × 35 capped at 10
        Assert.Equal(8 + (20 * ((26.0 / 37) - 0.4)) + (10 * intensity), r.Components.Quality, 1e-9); // penetration ≈ 25 pips, capped at 8
        Assert.Equal(0, r.Components.Volume);
        Assert.Equal(8, r.Components.Session);
        Assert.Equal(92, r.Confidence); // total ≈ 110.5, clamped
        Assert.True(r.Components.Total > 92);
    }

    [Fact]
    public void TheMirroredSpikeIsBoughtWithTheSameScore()
    {
        var candles = Reversion(AllUp, wicks: 10, high: 27, lowBelowOpen: 10);
        var sell = Assert.NotNull(RapidCandles.Detect(_detector, candles, "EURUSD"));
        var buy = Assert.NotNull(RapidCandles.Detect(_detector, RapidCandles.Mirror(candles, EurUsd), "EURUSD"));

        Assert.Equal(Direction.Buy, buy.Direction);
        Assert.Equal(EurUsd - (14 * Pip), buy.EntryPrice, 1e-12);
        AssertSameComponents(sell.Components, buy.Components);
    }

    [Fact]
    public void AnRsiJustOverSixtyFiveScoresItsExcessAndAnRsiOfFiftyIsNoSignal()
    {
        // Seven gains of 2 and seven losses of 1: RSI = 100 − 100 / (1 + 14/7) = 66.67.
        var over = Assert.NotNull(RapidCandles.Detect(_detector, Reversion(i => i % 2 == 0 ? 2 : -1, 10, 27, 10), "EURUSD"));
        Assert.Equal(0.67 * ((200.0 / 3) - 65), over.Components.Strength, 1e-9);

        Assert.Null(RapidCandles.Detect(_detector, Reversion(i => i % 2 == 0 ? 2 : -2, 10, 27, 10), "EURUSD"));
    }

    [Fact]
    public void AnUpperWickUnderSixtyPercentIsNoSignal()
    {
        // The last close rises 20 pips instead of 1: the wick is 7 of 37 pips.
        var candles = Reversion(i => i == 13 ? 20 : 1, 10, 27, 10);
        Assert.True(candles[^1].Mid.High >= EurUsd + (Upper(candles, candles.Length - 1) * Pip));
        Assert.Null(RapidCandles.Detect(_detector, candles, "EURUSD"));
    }

    [Fact]
    public void AHighShortOfTheUpperBandIsNoSignal()
    {
        var candles = Reversion(i => i == 13 ? 0 : 1, 10, 1.5, 0.2);
        Assert.True(candles[^1].Mid.High < EurUsd + (Upper(candles, candles.Length - 1) * Pip));
        Assert.Null(RapidCandles.Detect(_detector, candles, "EURUSD"));
    }

    [Fact]
    public void AnUptrendOfMoreThanOneAtrOverTheFiftySmaVetoesTheSell()
    {
        // Narrow wicks: ATR ≈ 4.5 pips while the close is 11.9 pips over the 50-SMA.
        Assert.Null(RapidCandles.Detect(_detector, Reversion(AllUp, wicks: 1, high: 27, lowBelowOpen: 10), "EURUSD"));
    }

    [Fact]
    public void TheTrendFilterReadsAllFiftyCandlesDownToTheOldest()
    {
        var candles = Reversion(AllUp, wicks: 10, high: 27, lowBelowOpen: 10);
        Assert.Equal(50, _detector.MinimumCandles);
        Assert.Equal(50, candles.Length);
        Assert.Null(RapidCandles.Detect(_detector, candles.AsSpan(1), "EURUSD"));

        // Only the 50-SMA sees the oldest bar: 600 pips lower drops it 12 pips, past one ATR under the close.
        var oldestLow = (Candle[])candles.Clone();
        oldestLow[0] = RapidCandles.PipBar(0, EurUsd, Pip, -600, -590, -610, -600);
        Assert.NotNull(RapidCandles.Detect(_detector, candles, "EURUSD"));
        Assert.Null(RapidCandles.Detect(_detector, oldestLow, "EURUSD"));
    }

    [Fact]
    public void ACloseOutOfASqueezeOnATickSurgeIsABreakout()
    {
        var candles = Breakout(ticks: 200);
        var r = Assert.NotNull(RapidCandles.Detect(_detector, candles, "EURUSD"));

        // By hand: the prior window zig-zags ±1 (width 4) with true ranges of 22; the last 20 closes give upper 0.4 + 2 × 1.8.
        Assert.Equal(4.0, Upper(candles, candles.Length - 1), 1e-9);
        Assert.Equal(Direction.Buy, r.Direction);
        Assert.Equal(candles[^1].Mid.Close, r.EntryPrice);
        Assert.Equal(70, r.Components.Base);
        Assert.Equal(2 * (7 - 4.0), r.Components.Strength, 1e-9);
        Assert.Equal(10 * (1 - (4.0 / 55)), r.Components.Quality, 1e-9);
        Assert.Equal(10 * (2.0 - 1.3), r.Components.Volume, 1e-9);
        Assert.Equal(Math.Clamp(r.Components.Total, 70, 92), r.Confidence);
    }

    [Fact]
    public void AMirroredBreakoutIsASell()
    {
        var buy = Assert.NotNull(RapidCandles.Detect(_detector, Breakout(ticks: 200), "EURUSD"));
        var sell = Assert.NotNull(RapidCandles.Detect(_detector, RapidCandles.Mirror(Breakout(ticks: 200), EurUsd), "EURUSD"));
        Assert.Equal(Direction.Sell, sell.Direction);
        AssertSameComponents(buy.Components, sell.Components);
    }

    [Fact]
    public void ABreakoutOnUnderOnePointThreeTimesTheAverageTicksIsNoSignal()
    {
        Assert.Null(RapidCandles.Detect(_detector, Breakout(ticks: 129), "EURUSD"));
        Assert.NotNull(RapidCandles.Detect(_detector, Breakout(ticks: 130), "EURUSD"));
    }

    [Fact]
    public void ABreakoutWithoutAPriorSqueezeIsNoSignal()
    {
        // A slow triangle wave of 1-pip steps: band width ≈ 11 pips against 2.5 × ATR ≈ 3.75.
        var closes = new double[50];
        for (var i = 0; i < 49; i++)
        {
            var phase = i % 20;
            closes[i] = phase < 10 ? phase - 5 : 15 - phase;
        }

        closes[49] = closes[48] + 12;
        var candles = RapidCandles.FromPips(EurUsd, Pip, closes, 0.25, [.. Enumerable.Repeat(100, 49), 300]);
        Assert.True(4 * Sd(candles, 48) >= 2.5 * Atr(candles, 48));
        Assert.True(candles[^1].Mid.Close > EurUsd + (Upper(candles, 49) * Pip));
        Assert.Null(RapidCandles.Detect(_detector, candles, "EURUSD"));
    }

    [Theory]
    [InlineData(TradingSession.London, 8)]
    [InlineData(TradingSession.Overlap, 6)]
    [InlineData(TradingSession.NewYork, 5)]
    [InlineData(TradingSession.Asian, 3)]
    [InlineData(TradingSession.Late, 0)]
    public void EverySessionGetsItsBonus(TradingSession session, double bonus)
    {
        var r = RapidCandles.Detect(_detector, Reversion(AllUp, 10, 27, 10), "EURUSD", session);
        Assert.Equal(bonus, Assert.NotNull(r).Components.Session);
    }

    [Theory]
    [InlineData("USDJPY", 150.0, 0.01)]
    [InlineData("XAUUSD", 2000.0, 0.1)]
    public void TheSameShapesInPipsScoreTheSameOnJpyAndGold(string symbol, double basePrice, double pip)
    {
        var eurReversion = Assert.NotNull(RapidCandles.Detect(_detector, Reversion(AllUp, 10, 27, 10), "EURUSD"));
        var eurBreakout = Assert.NotNull(RapidCandles.Detect(_detector, Breakout(200), "EURUSD"));
        var reversion = Assert.NotNull(RapidCandles.Detect(_detector, Reversion(AllUp, 10, 27, 10, basePrice, pip), symbol));
        var breakout = Assert.NotNull(RapidCandles.Detect(_detector, Breakout(200, basePrice, pip), symbol));

        AssertSameComponents(eurReversion.Components, reversion.Components);
        AssertSameComponents(eurBreakout.Components, breakout.Components);
        Assert.Equal(basePrice + (7 * pip), breakout.EntryPrice, 1e-9);
    }

    [Theory]
    [InlineData(RapidCandles.EurUsdFeed, "EURUSD", 33)]
    [InlineData(RapidCandles.XauUsdFeed, "XAUUSD", 54)]
    public void OnRealCandlesEveryPrefixReadsTheSameTwiceAndIgnoresTheNextCandle(string feed, string symbol, int expected)
    {
        var readings = RapidCandles.CountReadingsCheckingPurity(_detector, feed, symbol, 70, 92);
        output.WriteLine($"BB_SCALP {symbol}: {readings} readings");
        // Pinned: a change in what the detector finds on real data must be a conscious one.
        Assert.Equal(expected, readings);
    }

    private static double AllUp(int move) => 1;

    /// <summary>
    /// 36 flat closes, then 14 moves (bars 36..49); every bar but the last has <paramref name="wicks"/> pips of wick.
    /// The last opens at the previous close and reaches <paramref name="high"/> pips above it and
    /// <paramref name="lowBelowOpen"/> below it.
    /// </summary>
    private static Candle[] Reversion(
        Func<int, double> move, double wicks, double high, double lowBelowOpen, double basePrice = EurUsd, double pip = Pip)
    {
        var closes = new double[50];
        for (var i = 36; i < 50; i++)
        {
            closes[i] = closes[i - 1] + move(i - 36);
        }

        var candles = RapidCandles.FromPips(basePrice, pip, closes, wicks);
        var open = closes[48];
        candles[49] = RapidCandles.PipBar(49, basePrice, pip, open, open + high, open - lowBelowOpen, closes[49]);
        return candles;
    }

    /// <summary>49 closes zig-zagging ±1 pip with 10-pip wicks (a deep squeeze), then a close at +7 with a tiny upper wick.</summary>
    private static Candle[] Breakout(int ticks, double basePrice = EurUsd, double pip = Pip)
    {
        var closes = new double[50];
        for (var i = 0; i < 49; i++)
        {
            closes[i] = i % 2 == 0 ? 1 : -1;
        }

        var candles = RapidCandles.FromPips(basePrice, pip, closes, 10);
        candles[49] = RapidCandles.PipBar(49, basePrice, pip, 1, 7.5, 0.5, 7, ticks);
        return candles;
    }

    private static double[] ClosesInPips(Candle[] candles, int end) =>
        candles[(end - 19)..(end + 1)].Select(c => Math.Round((c.Mid.Close - EurUsd) / Pip, 9)).ToArray();

    private static double Sd(Candle[] candles, int end)
    {
        var closes = ClosesInPips(candles, end);
        var mean = closes.Average();
        return Math.Sqrt(closes.Select(c => (c - mean) * (c - mean)).Average());
    }

    private static double Upper(Candle[] candles, int end) => ClosesInPips(candles, end).Average() + (2 * Sd(candles, end));

    private static double Atr(Candle[] candles, int end)
    {
        var sum = 0.0;
        for (var i = end - 18; i <= end; i++)
        {
            var m = candles[i].Mid;
            var previous = candles[i - 1].Mid.Close;
            sum += new[] { m.High - m.Low, Math.Abs(m.High - previous), Math.Abs(m.Low - previous) }.Max();
        }

        return sum / 19 / Pip;
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
