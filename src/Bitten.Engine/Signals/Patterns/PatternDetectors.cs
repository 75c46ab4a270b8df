namespace Bitten.Engine.Signals.Patterns;

/// <summary>The six detectors, in the order Elite Guard prefers them when two readings tie.</summary>
public static class PatternDetectors
{
    public static IReadOnlyList<IPatternDetector> All() =>
    [
        new LiquiditySweepReversal(),
        new OrderBlockBounce(),
        new FairValueGapFill(),
        new VcbBreakout(),
        new BbScalp(),
        new KalmanQuickfire(),
    ];
}
