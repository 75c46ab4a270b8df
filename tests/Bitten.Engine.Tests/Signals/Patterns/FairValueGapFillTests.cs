using Bitten.Domain.Market;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Engine.Signals;
using Bitten.Engine.Signals.Patterns;
using static Bitten.Engine.Tests.Signals.Patterns.SniperCandles;

namespace Bitten.Engine.Tests.Signals.Patterns;

public sealed class FairValueGapFillTests
{
    private const double Tolerance = 1e-6;

    private readonly FairValueGapFill _detector = new();

    /// <summary>
    /// Ten bars (pips from base, all scaled by <paramref name="scale"/> except the current low): four dojis, a gap
    /// from +2 (bar 4's high) to +<paramref name="gapTop"/> (bar 6's low) after a strong bullish bar 5, two bars
    /// retracing, and a bullish current bar whose low is one pip under the gap's midpoint unless given.
    /// </summary>
    private static Candle[] Gap(
        SymbolSpec spec,
        double scale = 1,
        double gapTop = 20,
        double middleClose = 28,
        double bar8Low = 12,
        bool thirdBullish = true,
        bool currentBullish = true,
        double? currentLow = null,
        int currentTicks = NormalTicks,
        (double O, double H, double L, double C)? current = null)
    {
        var s = scale;
        var bars = new Candle[10];
        for (var i = 0; i < 4; i++)
        {
            bars[i] = Bar(spec, i, 0, 2 * s, -2 * s, 0);
        }

        bars[4] = Bar(spec, 4, 0, 2 * s, -2 * s, 1 * s);
        bars[5] = Bar(spec, 5, 2 * s, 30 * s, 1 * s, middleClose * s);
        bars[6] = thirdBullish ? Bar(spec, 6, 28 * s, 34 * s, gapTop * s, 32 * s) : Bar(spec, 6, 34 * s, 35 * s, gapTop * s, 29 * s);
        bars[7] = Bar(spec, 7, 32 * s, 33 * s, 18 * s, 19 * s);
        bars[8] = Bar(spec, 8, 19 * s, 20 * s, bar8Low * s, 13 * s);
        var low = currentLow ?? ((((2 + gapTop) / 2) * s) - 1);
        bars[9] = currentBullish ? Bar(spec, 9, 13 * s, 16 * s, low, 15 * s, currentTicks) : Bar(spec, 9, 15 * s, 16 * s, low, 13 * s, currentTicks);
        if (current is var (o, h, l, c))
        {
            bars[9] = Bar(spec, 9, o, h, l, c, currentTicks);
        }

        return bars;
    }

    [Fact]
    public void BuysWhenPriceRetracesToTheMiddleOfAnUnfilledBullishGap()
    {
        // Gap 18 pips (min(12, 27) = 12); middle body 26/29 (min(10, 10.76) = 10); low at +10, fill 10/18
        // (8 × (1 − 0.0556) = 7.556); ticks at the average (0); late session (0). The sum 101.56 clamps to 92.
        var reading = _detector.Detect(Gap(Eurusd), Context(Eurusd));

        Assert.NotNull(reading);
        var r = reading.Value;
        Assert.Equal(PatternType.FairValueGapFill, r.Pattern);
        Assert.Equal(Direction.Buy, r.Direction);
        Assert.Equal(Price(Eurusd, 15), r.EntryPrice, Tolerance);
        Assert.Equal(72, r.Components.Base);
        Assert.Equal(12, r.Components.Strength, Tolerance);
        Assert.Equal(10 + (8 * (1 - ((10.0 / 18) - 0.5))), r.Components.Quality, Tolerance);
        Assert.Equal(0, r.Components.Volume, Tolerance);
        Assert.Equal(0, r.Components.Session);
        Assert.Equal(92, r.Confidence);
    }

    [Fact]
    public void LetsATickCountBelowTheAverageCostUpToOnePoint()
    {
        // 80 ticks against 100: 5 × (0.8 − 1) = −1, still above the 72 floor once the capped terms are added.
        var reading = _detector.Detect(Gap(Eurusd, currentTicks: 80), Context(Eurusd));

        Assert.Equal(-1, reading!.Value.Components.Volume, Tolerance);
        Assert.Equal(92, reading.Value.Confidence);
    }

    [Theory]
    [InlineData(TradingSession.London, 8)]
    [InlineData(TradingSession.Overlap, 6)]
    [InlineData(TradingSession.NewYork, 5)]
    [InlineData(TradingSession.Asian, 2)]
    [InlineData(TradingSession.Late, 0)]
    public void GivesEverySessionItsOwnBonus(TradingSession session, double bonus)
    {
        var reading = _detector.Detect(Gap(Eurusd), Context(Eurusd, session));

        Assert.Equal(bonus, reading!.Value.Components.Session);
    }

    [Fact]
    public void SellsOnTheMirrorImage()
    {
        var reading = _detector.Detect(Mirror(Eurusd, Gap(Eurusd)), Context(Eurusd));

        Assert.NotNull(reading);
        Assert.Equal(Direction.Sell, reading.Value.Direction);
        Assert.Equal(Price(Eurusd, -15), reading.Value.EntryPrice, Tolerance);
    }

    [Fact]
    public void IgnoresAGapOfLessThanTenPips()
    {
        Assert.Null(_detector.Detect(Gap(Eurusd, gapTop: 11), Context(Eurusd)));
    }

    [Fact]
    public void IgnoresAGapWhoseMiddleCandleHasABodyUnderSixtyPercent()
    {
        Assert.Null(_detector.Detect(Gap(Eurusd, middleClose: 12), Context(Eurusd)));
    }

    [Fact]
    public void IgnoresAGapThatWasAlreadyFilled()
    {
        Assert.Null(_detector.Detect(Gap(Eurusd, bar8Low: 1.5), Context(Eurusd)));
    }

    [Fact]
    public void IgnoresACandleMoreThanTenPipsFromTheGapsMiddle()
    {
        // The gap's middle is +11: a low at +20.5 is 9.5 pips away, one at +21.5 is 10.5.
        Assert.NotNull(_detector.Detect(Gap(Eurusd, current: (23, 26, 20.5, 25)), Context(Eurusd)));
        Assert.Null(_detector.Detect(Gap(Eurusd, current: (23, 26, 21.5, 25)), Context(Eurusd)));
    }

    [Fact]
    public void NeedsTwoOfTheLastFiveCandlesInTheGapsDirection()
    {
        Assert.NotNull(_detector.Detect(Gap(Eurusd, thirdBullish: false), Context(Eurusd)));
        Assert.Null(_detector.Detect(Gap(Eurusd, thirdBullish: false, currentBullish: false), Context(Eurusd)));
    }

    [Fact]
    public void NeedsEightyPercentOfTheAverageTickCount()
    {
        Assert.Null(_detector.Detect(Gap(Eurusd, currentTicks: 75), Context(Eurusd)));
    }

    [Fact]
    public void NeedsTenCandles()
    {
        Assert.Equal(10, _detector.MinimumCandles);
        Assert.Null(_detector.Detect(Gap(Eurusd).AsSpan(1), Context(Eurusd)));
    }

    [Fact]
    public void MeasuresTheGapInPipsAndNeedsAHundredOnGold()
    {
        // 18 pips is a gap on USDJPY but not on XAUUSD ($1.80); 180 gold pips ($18) is.
        var yen = _detector.Detect(Gap(Usdjpy), Context(Usdjpy));
        Assert.Equal(JpyBase + 0.15, yen!.Value.EntryPrice, Tolerance);
        Assert.Null(_detector.Detect(Gap(Xauusd), Context(Xauusd)));

        var gold = _detector.Detect(Gap(Xauusd, scale: 10), Context(Xauusd));
        Assert.Equal(GoldBase + 15, gold!.Value.EntryPrice, Tolerance);
        Assert.Equal(12, gold.Value.Components.Strength, Tolerance);
    }

    [Fact]
    public void IsAPureFunctionOfThePrefixOnRealCandles()
    {
        var eurusd = AssertPureAndBlindToTheFuture(_detector, RealEurusd, Eurusd);
        var xauusd = AssertPureAndBlindToTheFuture(_detector, RealXauusd, Xauusd);

        // Measured over the 13 days: a $10 gap between M5 bars never happened on May 2014 gold.
        Assert.Equal((4, 0), (eurusd, xauusd));
    }
}
