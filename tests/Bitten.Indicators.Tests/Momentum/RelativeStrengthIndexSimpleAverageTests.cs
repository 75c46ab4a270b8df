using Bitten.Indicators.Momentum;
using Bitten.Indicators.Tests.Support;

namespace Bitten.Indicators.Tests.Momentum;

/// <summary>The RSI with gains and losses averaged by SMA(14), LEAN's "RSI 14" column.</summary>
public sealed class RelativeStrengthIndexSimpleAverageTests : ValueIndicatorTests<RelativeStrengthIndex>
{
    protected override string ReferenceFile => "indicators/lean/spy_with_indicators.txt";

    protected override string ExpectedName => "RSI(14,SMA)";

    protected override int ExpectedWarmUpPeriod => 15;

    // The column starts one row after the indicator is ready (LEAN's own test skips blank rows the same way).
    protected override int ReferenceWarmUpSlack => 1;

    // The generator's closes had more decimals than the 2 printed. A simple average drops a rounded change from its
    // window in one step, so up to ~3e-4 shows on the RSI, where Wilder's slow decay hides it (that column matches
    // to 5e-6). 1e-3 is also LEAN's own tolerance for this column.
    protected override IReadOnlyList<ReferenceColumn<RelativeStrengthIndex>> ReferenceColumns =>
    [
        new("RSI 14", rsi => rsi.Current, Tolerance.Abs(1e-3)),
    ];

    protected override RelativeStrengthIndex CreateIndicator() => new(14, MovingAverageType.Simple);
}
