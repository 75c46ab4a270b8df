using Bitten.Indicators.Tests.Support;
using Bitten.Indicators.Volatility;

namespace Bitten.Indicators.Tests.Volatility;

/// <summary>The ATR with a simple average of the true ranges, as LEAN's Keltner Channels use it.</summary>
public sealed class AverageTrueRangeSimpleAverageTests : BarIndicatorTests<AverageTrueRange>
{
    protected override string ReferenceFile => "indicators/lean/spy_atr.txt";

    protected override string ExpectedName => "ATR(14,SMA)";

    protected override int ExpectedWarmUpPeriod => 14;

    // The file starts one row after the indicator is ready (LEAN's own test skips blank rows the same way); from
    // there every value is the mean of the last 14 true ranges.
    protected override int ReferenceWarmUpSlack => 1;

    // Printed with 6 decimals, but up to 4.7e-6 off: the generator's prices carried more decimals than the 2
    // printed (the gaps are multiples of ~1e-5/14), so 1e-5.
    protected override IReadOnlyList<ReferenceColumn<AverageTrueRange>> ReferenceColumns =>
    [
        new("Average True Range 14", atr => atr.Current, Tolerance.Abs(1e-5)),
    ];

    protected override AverageTrueRange CreateIndicator() => new(14, MovingAverageType.Simple);
}
