using Bitten.Domain.Signals;
using Bitten.Engine.Signals.Citadel;
using static Bitten.Engine.Tests.Signals.Citadel.ZoneCandles;

namespace Bitten.Engine.Tests.Signals.Citadel;

public sealed class CitadelShieldTests
{
    private const double Atr = 10 * Pip;
    private const double Target = 15 * Pip;

    [Fact]
    public void ACleanSignalScoresTheNeutralSevenAndKeepsItsConfidence()
    {
        var shield = CitadelShield.Assess(Flat(30), Direction.Buy, Price(0), Target, Atr, Pip);

        Assert.Equal(4, shield.Liquidity);
        Assert.Equal(0, shield.Sweep);
        Assert.Equal(2, shield.Volatility);
        Assert.Equal(1, shield.Spread, 9);
        Assert.Equal(CitadelShield.NeutralScore, shield.Score);
        Assert.Equal(0, shield.ConfidenceAdjustment);
        Assert.Equal(CitadelVerdict.Approve, shield.Verdict);
        Assert.False(shield.HasOpposingZone);
    }

    [Fact]
    public void LiquidityScoresTheClearAirToTheOpposingZoneAgainstTheTarget()
    {
        // BUY at +10: the revisited high at +20 is 10 pips away, two thirds of the 15-pip target.
        var shield = CitadelShield.Assess(RevisitedHigh().ToArray(), Direction.Buy, Price(10), Target, Atr, Pip);

        Assert.Equal(4.0 * 10 / 15, shield.Liquidity, 6);
        Assert.Equal(Price(20), shield.OpposingLevel, 10);
        Assert.Equal(CitadelVerdict.Approve, shield.Verdict);
    }

    [Fact]
    public void ASignalRightUnderOpposingLiquidityIsHeld()
    {
        // BUY at +16: 4 pips under the zone, less than half an ATR.
        var shield = CitadelShield.Assess(RevisitedHigh().ToArray(), Direction.Buy, Price(16), Target, Atr, Pip);

        Assert.Equal(CitadelVerdict.Hold, shield.Verdict);
        Assert.Equal(Price(20), shield.OpposingLevel, 10);
        Assert.True(shield.Liquidity < 4 * 5 / 15.0);
    }

    [Fact]
    public void ARecentSweepInTheSignalsFavourScoresAndOverridesTheHold()
    {
        var candles = RevisitedHigh();
        candles.Add(Bar(11, 9, -10, 2)); // the low at −8 is swept: sell stops taken, good for a BUY

        var buy = CitadelShield.Assess(candles.ToArray(), Direction.Buy, Price(16), Target, Atr, Pip);
        var sell = CitadelShield.Assess(candles.ToArray(), Direction.Sell, Price(16), Target, Atr, Pip);

        Assert.Equal(3, buy.Sweep);
        Assert.Equal(CitadelVerdict.Approve, buy.Verdict);
        Assert.Equal(0, sell.Sweep);
    }

    [Fact]
    public void ASweepOlderThanFifteenMinutesNoLongerCounts()
    {
        var candles = RevisitedHigh();
        candles.Add(Bar(11, 9, -10, 2));
        for (var i = 12; i < 12 + CitadelShield.RecentSweepCandles; i++)
        {
            candles.Add(Bar(i, 9, -1, 3));
        }

        var shield = CitadelShield.Assess(candles.ToArray(), Direction.Buy, Price(5), Target, Atr, Pip);

        Assert.Equal(0, shield.Sweep);
    }

    [Fact]
    public void ALoneSwingIsNotLiquidityToAvoid()
    {
        // SELL at −5: the low at −8 was visited once, so nothing rests there to stop a SELL.
        var shield = CitadelShield.Assess(RevisitedHigh().ToArray(), Direction.Sell, Price(-5), Target, Atr, Pip);

        Assert.False(shield.HasOpposingZone);
        Assert.Equal(4, shield.Liquidity);
    }

    [Theory]
    [InlineData(10, 2.0)]   // ATR equal to its average: sane
    [InlineData(18, 2.0)]   // 1.8×: the edge of the calm band
    [InlineData(24, 1.0)]   // 2.4×: halfway to the ceiling
    [InlineData(30, 0.0)]   // 3×: no credit
    [InlineData(4.5, 1.0)]  // 0.45×: halfway down to the floor
    [InlineData(3, 0.0)]
    public void VolatilityIsCreditedWhileTheAtrIsNearItsOwnAverage(double atrPips, double expected)
    {
        var shield = CitadelShield.Assess(Flat(30), Direction.Buy, Price(0), Target, atrPips * Pip, Pip);

        Assert.Equal(expected, shield.Volatility, 9);
    }

    [Theory]
    [InlineData(1, 1.0)]
    [InlineData(2, 0.5)]
    [InlineData(3, 0.0)]
    [InlineData(8, 0.0)]
    public void AWideSpreadAgainstTheAtrCostsItsPoint(double spreadPips, double expected)
    {
        var shield = CitadelShield.Assess(Flat(30, spreadPips), Direction.Buy, Price(0), Target, Atr, Pip);

        Assert.Equal(expected, shield.Spread, 9);
        Assert.Equal(shield.Score - CitadelShield.NeutralScore, shield.ConfidenceAdjustment, 9);
    }

    [Fact]
    public void AZoneIsClearedByACloseBeyondItAndTheTolerance()
    {
        var level = Price(20);
        Assert.True(CitadelShield.Cleared(Bar(0, 23, 15, 21.6), Direction.Buy, level, Atr, Pip));
        Assert.False(CitadelShield.Cleared(Bar(0, 23, 15, 21.4), Direction.Buy, level, Atr, Pip));
        Assert.True(CitadelShield.Cleared(Bar(0, 20, 15, 18.4), Direction.Sell, level, Atr, Pip));
        Assert.False(CitadelShield.Cleared(Bar(0, 20, 15, 18.6), Direction.Sell, level, Atr, Pip));
    }

    [Fact]
    public void OnlyTheLastHundredCandlesAreRead()
    {
        // The revisited high sits before the last 100 flat candles, so it no longer stands in a BUY's way.
        var candles = RevisitedHigh().Concat(Flat(CitadelShield.Lookback).Select((c, i) => c with { OpenTimeMs = StartMs + ((11 + i) * M5Ms) })).ToArray();

        var shield = CitadelShield.Assess(candles, Direction.Buy, Price(16), Target, Atr, Pip);

        Assert.False(shield.HasOpposingZone);
    }
}
