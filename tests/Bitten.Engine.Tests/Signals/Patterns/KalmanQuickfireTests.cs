using Bitten.Domain.Market;
using Bitten.Domain.Signals;
using Bitten.Engine.Signals;
using Bitten.Engine.Signals.Patterns;
using Xunit.Abstractions;

namespace Bitten.Engine.Tests.Signals.Patterns;

public class KalmanQuickfireTests(ITestOutputHelper output)
{
    private const double EurUsd = 1.1000;
    private const double Pip = 0.0001;

    // 18 zig-zag true ranges of 6 + 4 pips and the jump's 20 + 4, over 19.
    private const double ShapeAtrPips = 204.0 / 19;

    private readonly KalmanQuickfire _detector = new();

    [Fact]
    public void AJumpAboveAZigZagIsSoldBackTowardTheFilteredPrice()
    {
        var closes = ZigZagThenJump(20);
        var reading = RapidCandles.Detect(_detector, RapidCandles.FromPips(EurUsd, Pip, closes, 2), "EURUSD");

        var r = Assert.NotNull(reading);
        var expected = Reference.Of(closes, ShapeAtrPips);
        Assert.True(expected.Z > 1.2, $"the shape must be a z of over 1.2, was {expected.Z}");
        Assert.Equal(PatternType.KalmanQuickfire, r.Pattern);
        Assert.Equal(Direction.Sell, r.Direction);
        Assert.Equal(EurUsd + ((closes[^1] - 0.5) * Pip), r.EntryPrice, 1e-10);
        Assert.Equal(72 + 7, r.Components.Base);
        Assert.Equal(Math.Min(15, 7.5 * (expected.Z - 2)), r.Components.Strength, 1e-9);
        Assert.Equal(expected.Accuracy + (8 * (1 - (Math.Abs(ShapeAtrPips - 17.5) / 17.5))), r.Components.Quality, 1e-9);
        Assert.Equal(0, r.Components.Volume, 1e-12);
        Assert.Equal(8, r.Components.Session);
        Assert.Equal(Math.Clamp(r.Components.Total, 68, 92), r.Confidence);
        Assert.InRange(r.Confidence, 68, 92);
    }

    [Fact]
    public void AFallBelowAZigZagIsBoughtWithTheSameScore()
    {
        var up = RapidCandles.FromPips(EurUsd, Pip, ZigZagThenJump(20), 2);
        var sell = Assert.NotNull(RapidCandles.Detect(_detector, up, "EURUSD"));
        var buy = Assert.NotNull(RapidCandles.Detect(_detector, RapidCandles.Mirror(up, EurUsd), "EURUSD"));

        Assert.Equal(Direction.Buy, buy.Direction);
        Assert.Equal(EurUsd - ((ZigZagThenJump(20)[^1] - 0.5) * Pip), buy.EntryPrice, 1e-10);
        AssertSameComponents(sell.Components, buy.Components);
    }

    [Fact]
    public void TheEstimateMatchesAnIndependentKalmanRecurrenceWhoseGainConvergesToTheClosedForm()
    {
        // K∞ = (−Q + √(Q² + 4QR)) / 2R, as Bitten.Indicators' KalmanFilter documents; the recurrence must reach it.
        var gain = Reference.Gains(400)[^1];
        Assert.Equal((-0.001 + Math.Sqrt((0.001 * 0.001) + (4 * 0.001 * 0.1))) / 0.2, gain, 1e-9);

        for (var jump = 12; jump <= 30; jump += 6)
        {
            var closes = ZigZagThenJump(jump);
            var r = Assert.NotNull(RapidCandles.Detect(_detector, RapidCandles.FromPips(EurUsd, Pip, closes, 2), "EURUSD"));
            var atr = ((18 * 10) + jump + 4) / 19.0;
            var expected = Reference.Of(closes, atr);
            Assert.Equal(Math.Min(15, 7.5 * (expected.Z - 2)), r.Components.Strength, 1e-9);
            Assert.Equal(expected.Accuracy + (8 * (1 - (Math.Abs(atr - 17.5) / 17.5))), r.Components.Quality, 1e-9);
        }
    }

    [Fact]
    public void ACloseThatStaysOnTheZigZagIsNoSignal()
    {
        var closes = ZigZagThenJump(0);
        Assert.True(Math.Abs(Reference.Of(closes, ShapeAtrPips).Z) < 1.2);
        Assert.Null(RapidCandles.Detect(_detector, RapidCandles.FromPips(EurUsd, Pip, closes, 2), "EURUSD"));
    }

    [Theory]
    [InlineData(0.25)] // ATR ≈ 2.7 pips: below the 5-pip floor
    [InlineData(3.0)] // ATR ≈ 32 pips: above the 30-pip ceiling
    public void AnAtrOutsideTheFxBandIsNoSignal(double scale)
    {
        var closes = Scaled(ZigZagThenJump(20), scale);
        Assert.Null(RapidCandles.Detect(_detector, RapidCandles.FromPips(EurUsd, Pip, closes, 2 * scale), "EURUSD"));
    }

    [Fact]
    public void ATickCountUnderEightTenthsOfTheAverageIsNoSignalAndAtItScoresANegativeVolumeTerm()
    {
        var closes = ZigZagThenJump(20);
        var quiet = Ticks(closes.Length, 79);
        var borderline = Ticks(closes.Length, 80);

        Assert.Null(RapidCandles.Detect(_detector, RapidCandles.FromPips(EurUsd, Pip, closes, 2, quiet), "EURUSD"));
        var r = Assert.NotNull(RapidCandles.Detect(_detector, RapidCandles.FromPips(EurUsd, Pip, closes, 2, borderline), "EURUSD"));
        Assert.Equal(8 * (0.8 - 1), r.Components.Volume, 1e-12);
    }

    [Fact]
    public void ATickSurgeEarnsAtMostEightVolumePoints()
    {
        var closes = ZigZagThenJump(20);
        var r = Assert.NotNull(RapidCandles.Detect(_detector, RapidCandles.FromPips(EurUsd, Pip, closes, 2, Ticks(closes.Length, 150)), "EURUSD"));
        var surge = Assert.NotNull(RapidCandles.Detect(_detector, RapidCandles.FromPips(EurUsd, Pip, closes, 2, Ticks(closes.Length, 500)), "EURUSD"));

        Assert.Equal(8 * 0.5, r.Components.Volume, 1e-12);
        Assert.Equal(8, surge.Components.Volume);
    }

    [Fact]
    public void ASteadyTrendLosesTheRangingBaseAndBonus()
    {
        // Nine rising moves of 3 pips, then a 25-pip jump: |ups − downs| = 9 > 4.
        var closes = new double[30];
        for (var i = 1; i < closes.Length; i++)
        {
            closes[i] = closes[i - 1] + (i == closes.Length - 1 ? 25 : i % 2 == 0 || i > 18 ? 3 : -1);
        }

        var r = Assert.NotNull(RapidCandles.Detect(_detector, RapidCandles.FromPips(EurUsd, Pip, closes, 2), "EURUSD"));
        Assert.Equal(68, r.Components.Base);
        Assert.Equal(Direction.Sell, r.Direction);
    }

    [Theory]
    [InlineData(TradingSession.London, 8)]
    [InlineData(TradingSession.Overlap, 6)]
    [InlineData(TradingSession.NewYork, 5)]
    [InlineData(TradingSession.Asian, 3)]
    [InlineData(TradingSession.Late, 0)]
    public void EverySessionGetsItsBonus(TradingSession session, double bonus)
    {
        var r = RapidCandles.Detect(_detector, RapidCandles.FromPips(EurUsd, Pip, ZigZagThenJump(20), 2), "EURUSD", session);
        Assert.Equal(bonus, Assert.NotNull(r).Components.Session);
    }

    [Fact]
    public void TheSameShapeInPipsScoresTheSameOnUsdJpyWithItsPipOfOneHundredth()
    {
        var closes = ZigZagThenJump(20);
        var eur = Assert.NotNull(RapidCandles.Detect(_detector, RapidCandles.FromPips(EurUsd, Pip, closes, 2), "EURUSD"));
        var jpy = Assert.NotNull(RapidCandles.Detect(_detector, RapidCandles.FromPips(150.00, 0.01, closes, 2), "USDJPY"));

        AssertSameComponents(eur.Components, jpy.Components);
        Assert.Equal(150.00 + ((closes[^1] - 0.5) * 0.01), jpy.EntryPrice, 1e-9);
    }

    [Fact]
    public void GoldUsesItsOwnBandOfTwentyToOneHundredFiftyPips()
    {
        var closes = ZigZagThenJump(20);
        Assert.Null(RapidCandles.Detect(_detector, RapidCandles.FromPips(2000, 0.1, closes, 2), "XAUUSD"));

        var r = Assert.NotNull(RapidCandles.Detect(_detector, RapidCandles.FromPips(2000, 0.1, Scaled(closes, 4), 8), "XAUUSD"));
        var atr = 4 * ShapeAtrPips;
        Assert.Equal(Reference.Of(closes, ShapeAtrPips).Accuracy + (8 * (1 - (Math.Abs(atr - 85) / 85))), r.Components.Quality, 1e-9);
        Assert.Equal(2000 + (((4 * closes[^1]) - 0.5) * 0.1), r.EntryPrice, 1e-9);
    }

    [Fact]
    public void SilverUsesItsOwnBandOfTenToSixtyPips()
    {
        // ATR ≈ 32 pips: over the FX ceiling, inside silver's band.
        var closes = Scaled(ZigZagThenJump(20), 3);
        Assert.NotNull(RapidCandles.Detect(_detector, RapidCandles.FromPips(25, 0.01, closes, 6), "XAGUSD"));
        Assert.Null(RapidCandles.Detect(_detector, RapidCandles.FromPips(25, 0.01, Scaled(closes, 2.5), 15), "XAGUSD"));
    }

    [Fact]
    public void FewerThanThirtyCandlesIsNoSignalAndOlderCandlesAreIgnored()
    {
        var candles = RapidCandles.FromPips(EurUsd, Pip, ZigZagThenJump(20), 2);
        Assert.Equal(30, _detector.MinimumCandles);
        Assert.Null(RapidCandles.Detect(_detector, candles.AsSpan(1), "EURUSD"));

        var longer = RapidCandles.FromPips(EurUsd, Pip, [50, -50, .. ZigZagThenJump(20)], 2);
        Assert.Equal(RapidCandles.Detect(_detector, candles, "EURUSD")!.Value.Components, RapidCandles.Detect(_detector, longer, "EURUSD")!.Value.Components);
    }

    [Theory]
    [InlineData(RapidCandles.EurUsdFeed, "EURUSD", 65)]
    [InlineData(RapidCandles.XauUsdFeed, "XAUUSD", 12)]
    public void OnRealCandlesEveryPrefixReadsTheSameTwiceAndIgnoresTheNextCandle(string feed, string symbol, int expected)
    {
        var readings = RapidCandles.CountReadingsCheckingPurity(_detector, feed, symbol, 68, 92);
        output.WriteLine($"KALMAN_QUICKFIRE {symbol}: {readings} readings");
        // Pinned: a change in what the detector finds on real data must be a conscious one.
        Assert.Equal(expected, readings);
    }

    /// <summary>29 closes zig-zagging ±3 pips (ending on +3), then one <paramref name="jump"/> pips above the last.</summary>
    private static double[] ZigZagThenJump(double jump)
    {
        var closes = new double[30];
        for (var i = 0; i < 29; i++)
        {
            closes[i] = i % 2 == 0 ? 3 : -3;
        }

        closes[29] = jump == 0 ? -3 : closes[28] + jump;
        return closes;
    }

    private static double[] Scaled(double[] closes, double scale) => Array.ConvertAll(closes, c => c * scale);

    private static int[] Ticks(int count, int last)
    {
        var ticks = Enumerable.Repeat(100, count).ToArray();
        ticks[^1] = last;
        return ticks;
    }

    private static void AssertSameComponents(ConfidenceComponents expected, ConfidenceComponents actual)
    {
        Assert.Equal(expected.Base, actual.Base, 1e-9);
        Assert.Equal(expected.Strength, actual.Strength, 1e-9);
        Assert.Equal(expected.Quality, actual.Quality, 1e-9);
        Assert.Equal(expected.Volume, actual.Volume, 1e-9);
        Assert.Equal(expected.Session, actual.Session, 1e-9);
    }

    /// <summary>The reference's arithmetic in pips, written separately from the detector.</summary>
    private static class Reference
    {
        public static double[] Gains(int updates)
        {
            var gains = new double[updates];
            var p = 1.0;
            for (var i = 0; i < updates; i++)
            {
                var prior = p + 0.001;
                gains[i] = prior / (prior + 0.1);
                p = (1 - gains[i]) * prior;
            }

            return gains;
        }

        public static (double Z, double Accuracy) Of(double[] closesInPips, double atrPips)
        {
            // Q and R are in price units; the gains do not depend on price, so the pip-scaled recurrence agrees.
            var gains = Gains(closesInPips.Length);
            var estimate = closesInPips[0];
            var residuals = new List<double>();
            for (var i = 0; i < closesInPips.Length; i++)
            {
                var residual = closesInPips[i] - estimate;
                estimate += gains[i] * residual;
                if (i > 0)
                {
                    residuals.Add(residual);
                }
            }

            var mean = residuals.Average();
            var std = Math.Sqrt(residuals.Select(r => (r - mean) * (r - mean)).Average());
            var z = (closesInPips[^1] - estimate - mean) / std;
            var recent = residuals.TakeLast(5).Select(Math.Abs).Average();
            return (z, Math.Clamp(10 * (1 - (recent / (2 * atrPips))), 0, 10));
        }
    }
}
