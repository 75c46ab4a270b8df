using Bitten.Domain.Market;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Engine.Signals;
using Bitten.Engine.Signals.Patterns;
using static Bitten.Engine.Tests.Signals.Patterns.SniperCandles;

namespace Bitten.Engine.Tests.Signals.Patterns;

public sealed class OrderBlockBounceTests
{
    private const double Tolerance = 1e-6;

    private readonly OrderBlockBounce _detector = new();

    /// <summary>
    /// Fifteen bars (pips from base): nine quiet dojis, a bullish block at bar 9 (−4..+3) that dips under their lows
    /// on 250 ticks, three bars driving up to +<paramref name="displacementHigh"/>, bar 13, then the current bar
    /// dipping back into the block.
    /// </summary>
    private static Candle[] Block(
        SymbolSpec spec,
        double blockLow = -4,
        int blockTicks = 250,
        double displacementHigh = 14,
        double bar13Low = 5,
        (double O, double H, double L, double C)? current = null)
    {
        var bars = new Candle[15];
        for (var i = 0; i < 9; i++)
        {
            bars[i] = Bar(spec, i, 0, 2, -2, 0);
        }

        bars[9] = Bar(spec, 9, -1, 3, blockLow, 2, blockTicks);
        bars[10] = Bar(spec, 10, 2, Math.Min(8, displacementHigh), 1, 7);
        bars[11] = Bar(spec, 11, 7, displacementHigh - 1, 4, displacementHigh - 2);
        bars[12] = Bar(spec, 12, displacementHigh - 2, displacementHigh, 4, displacementHigh - 3);
        bars[13] = Bar(spec, 13, displacementHigh - 3, displacementHigh - 2, bar13Low, bar13Low + 1);
        var (o, h, l, c) = current ?? (2.5, 6, 2, 5.5);
        bars[14] = Bar(spec, 14, o, h, l, c);
        return bars;
    }

    [Fact]
    public void BuysWhenPriceDipsIntoABullishBlockAndClosesInItsUpperHalf()
    {
        // Displacement 11 pips (min(15, 16.5) = 15), block ticks 2.5× average (7.5), low 1 pip under the block's
        // top (8 − 1 = 7), London (8): 107.5, clamped to 92.
        var reading = _detector.Detect(Block(Eurusd), Context(Eurusd, TradingSession.London));

        Assert.NotNull(reading);
        var r = reading.Value;
        Assert.Equal(PatternType.OrderBlockBounce, r.Pattern);
        Assert.Equal(Direction.Buy, r.Direction);
        Assert.Equal(Price(Eurusd, 6), r.EntryPrice, Tolerance);
        Assert.Equal(new ConfidenceComponents(70, 15, 7, 7.5, 8), Rounded(r.Components));
        Assert.Equal(92, r.Confidence);
    }

    [Fact]
    public void TakesFifteenPercentOffWhenTheBlockWasAlreadyRetested()
    {
        // Bar 13 dips to +2.5, inside the block: (70 + 15 + 7 + 7.5 + 0) × 0.85 = 84.575 in the late session.
        var reading = _detector.Detect(Block(Eurusd, bar13Low: 2.5), Context(Eurusd));

        Assert.NotNull(reading);
        Assert.Equal(new ConfidenceComponents(59.5, 12.75, 5.95, 6.375, 0), Rounded(reading.Value.Components));
        Assert.Equal(84.575, reading.Value.Confidence, Tolerance);
    }

    [Theory]
    [InlineData(TradingSession.London, 8)]
    [InlineData(TradingSession.Overlap, 6)]
    [InlineData(TradingSession.NewYork, 4)]
    [InlineData(TradingSession.Asian, 2)]
    [InlineData(TradingSession.Late, 0)]
    public void GivesEverySessionItsOwnBonus(TradingSession session, double bonus)
    {
        var reading = _detector.Detect(Block(Eurusd), Context(Eurusd, session));

        Assert.Equal(bonus, reading!.Value.Components.Session);
    }

    [Fact]
    public void SellsOnTheMirrorImage()
    {
        var reading = _detector.Detect(Mirror(Eurusd, Block(Eurusd)), Context(Eurusd, TradingSession.London));

        Assert.NotNull(reading);
        Assert.Equal(Direction.Sell, reading.Value.Direction);
        Assert.Equal(Price(Eurusd, -6), reading.Value.EntryPrice, Tolerance);
        Assert.Equal(92, reading.Value.Confidence);
    }

    [Fact]
    public void IgnoresADisplacementOfLessThanEightPips()
    {
        Assert.NotNull(_detector.Detect(Block(Eurusd, displacementHigh: 11.5), Context(Eurusd)));
        Assert.Null(_detector.Detect(Block(Eurusd, displacementHigh: 10.5), Context(Eurusd)));
    }

    [Fact]
    public void IgnoresABlockThatSweptNoLiquidity()
    {
        // The block's low −1.5 stays above the −2 lows before it.
        Assert.Null(_detector.Detect(Block(Eurusd, blockLow: -1.5), Context(Eurusd)));
    }

    [Fact]
    public void IgnoresABlockWithoutTwiceTheAverageTickCount()
    {
        Assert.Null(_detector.Detect(Block(Eurusd, blockTicks: 190), Context(Eurusd)));
    }

    [Fact]
    public void IgnoresACandleThatDoesNotReachTheBlock()
    {
        Assert.Null(_detector.Detect(Block(Eurusd, current: (4.5, 8, 4, 7.5)), Context(Eurusd)));
    }

    [Fact]
    public void IgnoresACloseBelowTheBlocksMiddle()
    {
        Assert.Null(_detector.Detect(Block(Eurusd, current: (2, 3, -3, -1)), Context(Eurusd)));
    }

    [Fact]
    public void IgnoresACandleWithABodyUnderFortyPercentOfItsRange()
    {
        Assert.Null(_detector.Detect(Block(Eurusd, current: (3, 6, 2, 3.5)), Context(Eurusd)));
    }

    [Fact]
    public void IgnoresABlockWhoseStopWouldExceedEighteenPips()
    {
        // Stop at −15 (block low −14 less a pip), entry +6: 21 pips.
        Assert.Null(_detector.Detect(Block(Eurusd, blockLow: -14), Context(Eurusd)));
    }

    [Fact]
    public void NeedsFifteenCandles()
    {
        Assert.Equal(15, _detector.MinimumCandles);
        Assert.Null(_detector.Detect(Block(Eurusd).AsSpan(1), Context(Eurusd)));
    }

    [Fact]
    public void MeasuresEveryDistanceInTheSymbolsPips()
    {
        // The same pips fire on USDJPY (0.01) and XAUUSD (0.1) with the entry half a pip above the close.
        var yen = _detector.Detect(Block(Usdjpy), Context(Usdjpy));
        var gold = _detector.Detect(Block(Xauusd), Context(Xauusd));

        Assert.Equal(JpyBase + 0.06, yen!.Value.EntryPrice, Tolerance);
        Assert.Equal(GoldBase + 0.6, gold!.Value.EntryPrice, Tolerance);
        Assert.Equal(15, gold.Value.Components.Strength, Tolerance);
        Assert.Null(_detector.Detect(Block(Xauusd, displacementHigh: 10.5), Context(Xauusd)));
    }

    [Fact]
    public void IsAPureFunctionOfThePrefixOnRealCandles()
    {
        var eurusd = AssertPureAndBlindToTheFuture(_detector, RealEurusd, Eurusd);
        var xauusd = AssertPureAndBlindToTheFuture(_detector, RealXauusd, Xauusd);

        // Measured over the 13 days: May 2014 EURUSD rarely moved 8 pips in three M5 bars off a 2×-volume sweep.
        Assert.Equal((0, 15), (eurusd, xauusd));
    }

    private static ConfidenceComponents Rounded(ConfidenceComponents c) =>
        new(Math.Round(c.Base, 9), Math.Round(c.Strength, 9), Math.Round(c.Quality, 9), Math.Round(c.Volume, 9), Math.Round(c.Session, 9));
}
