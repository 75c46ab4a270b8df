using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;

namespace Bitten.Engine.Signals;

/// <summary>One pattern's stop, target and confidence floor.</summary>
/// <param name="StopAtrMultiple">SL distance = ATR(14, M5) × this, floored by the symbol's minimum stop.</param>
/// <param name="RewardToRisk">TP distance = SL distance × this. Published, executed and tracked alike.</param>
/// <param name="MinimumConfidence">Readings below this are dropped before the global threshold.</param>
public readonly record struct PatternRule(double StopAtrMultiple, double RewardToRisk, double MinimumConfidence);

/// <summary>Entry, stop and target of a signal, prices rounded to the symbol's digits.</summary>
public readonly record struct StopAndTarget(double StopLoss, double TakeProfit, double StopPips, double TargetPips, double RiskReward);

/// <summary>
/// The defaults table for SL/TP and per-pattern confidence floors, in one place.
/// </summary>
/// <remarks>
/// Stop multiples are the original's (§2.7). Its R:R values were all below 1 — TP smaller than SL for every
/// pattern — while the fire path silently forced TP to 1.5R, so what was published was never what was traded.
/// Here one R:R is published, executed and tracked; the default is the 1.5R the original actually executed.
/// Confidence floors are the original's pattern thresholds (§2.6), except FAIR_VALUE_GAP_FILL, whose 99 was a way
/// of switching it off: measured outcomes (pattern analytics) decide that now, so it gets the SNIPER floor of 80.
/// </remarks>
public sealed class SignalRules
{
    public static readonly SignalRules Default = new(new Dictionary<PatternType, PatternRule>
    {
        [PatternType.LiquiditySweepReversal] = new(2.0, 1.5, 70),
        [PatternType.OrderBlockBounce] = new(1.75, 1.5, 75),
        [PatternType.FairValueGapFill] = new(1.2, 1.5, 80),
        [PatternType.KalmanQuickfire] = new(0.9, 1.5, 80),
        [PatternType.BbScalp] = new(0.8, 1.5, 85),
        [PatternType.VcbBreakout] = new(1.5, 1.5, 75),
    });

    private readonly PatternRule[] _rules;

    public SignalRules(IReadOnlyDictionary<PatternType, PatternRule> rules)
    {
        _rules = new PatternRule[Enum.GetValues<PatternType>().Length];
        foreach (var pattern in Enum.GetValues<PatternType>())
        {
            if (!rules.TryGetValue(pattern, out var rule))
            {
                throw new ArgumentException($"no rule for {pattern.WireName()}", nameof(rules));
            }

            if (!(rule.StopAtrMultiple > 0) || !(rule.RewardToRisk > 0) || rule.MinimumConfidence is < 0 or > 100)
            {
                throw new ArgumentException($"rule for {pattern.WireName()} needs a positive ATR multiple and R:R and a floor in 0-100", nameof(rules));
            }

            _rules[(int)pattern] = rule;
        }
    }

    public PatternRule For(PatternType pattern) => _rules[(int)pattern];

    /// <summary>SL and TP for a signal entered at <paramref name="entry"/>, from the M5 ATR in price units.</summary>
    public StopAndTarget StopAndTargetFor(PatternType pattern, Direction direction, double entry, double atrPrice, SymbolSpec spec)
    {
        var rule = For(pattern);
        // Stops are whole tenths of a pip, as traders read them; never tighter than the broker allows.
        var stopPips = Math.Max(Math.Round(atrPrice / spec.PipSize * rule.StopAtrMultiple, 1), spec.MinStopPips);
        var targetPips = Math.Round(stopPips * rule.RewardToRisk, 1);
        var sign = direction == Direction.Buy ? 1 : -1;
        var stopLoss = Round(entry - (sign * stopPips * spec.PipSize), spec.Digits);
        var takeProfit = Round(entry + (sign * targetPips * spec.PipSize), spec.Digits);
        return new StopAndTarget(stopLoss, takeProfit, stopPips, targetPips, Math.Round(targetPips / stopPips, 2));
    }

    private static double Round(double price, int digits) => Math.Round(price, digits, MidpointRounding.AwayFromZero);
}
