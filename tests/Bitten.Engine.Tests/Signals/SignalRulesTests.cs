using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Engine.Signals;

namespace Bitten.Engine.Tests.Signals;

public sealed class SignalRulesTests
{
    private static readonly SymbolSpec Eur = SymbolCatalogue.Default.Get("EURUSD");
    private static readonly SymbolSpec Jpy = SymbolCatalogue.Default.Get("USDJPY");
    private static readonly SymbolSpec Gold = SymbolCatalogue.Default.Get("XAUUSD");

    [Fact]
    public void StopIsAtrTimesThePatternMultipleAndTargetIsStopTimesRewardToRisk()
    {
        // ATR 0.0012 = 12 pips; KALMAN multiple 0.9 → 10.8 pips; min stop 10 does not bite; R:R 1.5 → 16.2 pips.
        var levels = SignalRules.Default.StopAndTargetFor(PatternType.KalmanQuickfire, Direction.Buy, 1.10000, 0.0012, Eur);
        Assert.Equal(10.8, levels.StopPips);
        Assert.Equal(16.2, levels.TargetPips);
        Assert.Equal(1.09892, levels.StopLoss);
        Assert.Equal(1.10162, levels.TakeProfit);
        Assert.Equal(1.5, levels.RiskReward);
    }

    [Fact]
    public void SellLevelsMirrorBuyLevels()
    {
        var levels = SignalRules.Default.StopAndTargetFor(PatternType.KalmanQuickfire, Direction.Sell, 1.10000, 0.0012, Eur);
        Assert.Equal(1.10108, levels.StopLoss);
        Assert.Equal(1.09838, levels.TakeProfit);
    }

    [Fact]
    public void TheSymbolsMinimumStopFloorsAQuietMarket()
    {
        // ATR 2 pips × 0.8 = 1.6 pips, below USDJPY's 15-pip broker minimum.
        var levels = SignalRules.Default.StopAndTargetFor(PatternType.BbScalp, Direction.Buy, 150.000, 0.02, Jpy);
        Assert.Equal(Jpy.MinStopPips, levels.StopPips);
        Assert.Equal(Math.Round(150.000 - (Jpy.MinStopPips * 0.01), 3), levels.StopLoss);
        Assert.Equal(Math.Round(Jpy.MinStopPips * 1.5, 1), levels.TargetPips);
    }

    [Fact]
    public void GoldUsesItsTenCentPipAndTwoDigits()
    {
        // ATR $4.00 = 40 pips; LSR multiple 2.0 → 80 pips = $8.00.
        var levels = SignalRules.Default.StopAndTargetFor(PatternType.LiquiditySweepReversal, Direction.Buy, 2000.00, 4.00, Gold);
        Assert.Equal(80, levels.StopPips);
        Assert.Equal(1992.00, levels.StopLoss);
        Assert.Equal(2012.00, levels.TakeProfit);
    }

    [Fact]
    public void EveryPatternHasARuleAndTheTableRefusesGaps()
    {
        foreach (var pattern in Enum.GetValues<PatternType>())
        {
            var rule = SignalRules.Default.For(pattern);
            Assert.True(rule.StopAtrMultiple > 0 && rule.RewardToRisk >= 1, $"{pattern}: TP must not be smaller than SL by default");
        }

        Assert.Throws<ArgumentException>(() => new SignalRules(new Dictionary<PatternType, PatternRule> { [PatternType.BbScalp] = new(1, 1, 50) }));
    }
}

public sealed class SignalGateTests
{
    private static readonly SymbolId Eur = new(0);
    private static readonly SymbolId Gold = new(1);
    private const long Minute = 60_000;

    [Fact]
    public void RefusesWithinTheCooldownAndAllowsAfterIt()
    {
        var gate = SignalGate.Default();
        Assert.True(gate.Allows(Eur, 0, out _));
        gate.Record(Eur, 0);
        Assert.False(gate.Allows(Eur, (5 * Minute) - 1, out var reason));
        Assert.Equal("cooldown", reason);
        Assert.True(gate.Allows(Eur, 5 * Minute, out _));
        Assert.True(gate.Allows(Gold, 1, out _));
    }

    [Fact]
    public void CapsThreeSignalsInAnySixtyMinutes()
    {
        var gate = SignalGate.Default();
        foreach (var t in new[] { 0L, 10 * Minute, 20 * Minute })
        {
            Assert.True(gate.Allows(Eur, t, out _));
            gate.Record(Eur, t);
        }

        Assert.False(gate.Allows(Eur, 59 * Minute, out var reason));
        Assert.Equal("hourly_cap", reason);
        Assert.True(gate.Allows(Eur, 60 * Minute, out _)); // the first has left the window
        gate.Record(Eur, 60 * Minute);
        Assert.False(gate.Allows(Eur, 69 * Minute, out reason)); // 10, 20 and 60 are within the hour
        Assert.Equal("hourly_cap", reason);
        Assert.True(gate.Allows(Eur, 70 * Minute, out _));
    }
}
