using Bitten.Domain.Signals;

namespace Bitten.Engine.Tests.Tracking;

/// <summary>The wire names, the pattern → class table and the signal id format of PRODUCT.md §4.</summary>
public class SignalVocabularyTests
{
    [Theory]
    [InlineData(PatternType.LiquiditySweepReversal, "LIQUIDITY_SWEEP_REVERSAL", SignalClass.Sniper)]
    [InlineData(PatternType.OrderBlockBounce, "ORDER_BLOCK_BOUNCE", SignalClass.Sniper)]
    [InlineData(PatternType.FairValueGapFill, "FAIR_VALUE_GAP_FILL", SignalClass.Sniper)]
    [InlineData(PatternType.KalmanQuickfire, "KALMAN_QUICKFIRE", SignalClass.Rapid)]
    [InlineData(PatternType.BbScalp, "BB_SCALP", SignalClass.Rapid)]
    [InlineData(PatternType.VcbBreakout, "VCB_BREAKOUT", SignalClass.Rapid)]
    public void EachPatternHasItsWireNameAndClass(PatternType pattern, string wire, SignalClass signalClass)
    {
        Assert.Equal(wire, pattern.WireName());
        Assert.Equal(signalClass, pattern.Class());
        Assert.True(PatternTypes.TryParse(wire, out var fromChars));
        Assert.Equal(pattern, fromChars);
        Assert.True(PatternTypes.TryParse(System.Text.Encoding.UTF8.GetBytes(wire), out var fromBytes));
        Assert.Equal(pattern, fromBytes);
        Assert.Equal(pattern, PatternTypes.Parse(wire));
    }

    [Fact]
    public void EveryPatternIsInTheTableExactlyOnce()
    {
        Assert.Equal(Enum.GetValues<PatternType>(), PatternTypes.All);
        Assert.Equal(6, PatternTypes.All.Select(p => p.WireName()).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(3, PatternTypes.All.Count(p => p.Class() == SignalClass.Rapid));
    }

    [Theory]
    [InlineData("")]
    [InlineData("bb_scalp")]
    [InlineData("BB_SCALP ")]
    [InlineData("SWEEP_RETURN")]
    public void UnknownPatternNamesAreRefused(string text)
    {
        Assert.False(PatternTypes.TryParse(text, out _));
        Assert.False(PatternTypes.TryParse(System.Text.Encoding.UTF8.GetBytes(text), out _));
        Assert.Throws<FormatException>(() => PatternTypes.Parse(text));
        Assert.Throws<ArgumentOutOfRangeException>(() => ((PatternType)99).WireName());
    }

    [Fact]
    public void DirectionsClassesAndOutcomesHaveTheirWireNames()
    {
        Assert.Equal("BUY", Direction.Buy.WireName());
        Assert.Equal("SELL", Direction.Sell.WireName());
        Assert.True(Directions.TryParse("SELL", out var sell) && sell == Direction.Sell);
        Assert.True(Directions.TryParse("BUY"u8, out var buy) && buy == Direction.Buy);
        Assert.False(Directions.TryParse("buy", out _));
        Assert.Equal(1, Direction.Buy.Sign());
        Assert.Equal(-1, Direction.Sell.Sign());
        Assert.Equal("RAPID", SignalClass.Rapid.WireName());
        Assert.True(SignalClasses.TryParse("SNIPER", out var sniper) && sniper == SignalClass.Sniper);
        Assert.False(SignalClasses.TryParse("ELITE", out _));
        Assert.Equal("WIN", Outcome.Win.WireName());
        Assert.Equal("LOSS", Outcome.Loss.WireName());
    }

    [Fact]
    public void ASignalIdNamesClassPatternSymbolAndUnixMilliseconds()
    {
        Assert.Equal("ELITE_RAPID_KALMAN_QUICKFIRE_XAUUSD_1757940791123",
            SignalIds.Create(SignalClass.Rapid, PatternType.KalmanQuickfire, "XAUUSD", 1_757_940_791_123));
        Assert.Equal("ELITE_SNIPER_FAIR_VALUE_GAP_FILL_EURUSD_1",
            SignalIds.Create(SignalClass.Sniper, PatternType.FairValueGapFill, "EURUSD", 1));
    }

    [Fact]
    public void ASignalIdWithAClassTheTableDisagreesWithIsRefused()
    {
        Assert.Throws<ArgumentException>(() => SignalIds.Create(SignalClass.Sniper, PatternType.BbScalp, "EURUSD", 1));
        Assert.Throws<ArgumentException>(() => SignalIds.Create(SignalClass.Rapid, PatternType.BbScalp, "", 1));
    }

    [Fact]
    public void ASignalsClassComesFromItsPattern()
    {
        var rapid = TestSignals.Buy(1.1, 1.09, 1.2, 0);
        var sniper = rapid with { PatternType = PatternType.LiquiditySweepReversal };

        Assert.Equal(SignalClass.Rapid, rapid.SignalClass);
        Assert.Equal(SignalClass.Sniper, sniper.SignalClass);
    }
}
