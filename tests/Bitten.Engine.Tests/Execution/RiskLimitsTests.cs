using Bitten.Engine.Execution;

namespace Bitten.Engine.Tests.Execution;

public class RiskLimitsTests
{
    [Theory]
    [InlineData(-100, 1)]
    [InlineData(0, 1)]
    [InlineData(499.99, 1)]
    [InlineData(500, 2)]
    [InlineData(999.99, 2)]
    [InlineData(1_000, 3)]
    [InlineData(4_999.99, 3)]
    [InlineData(5_000, 5)]
    [InlineData(9_999.99, 5)]
    [InlineData(10_000, 10)]
    [InlineData(49_999.99, 10)]
    [InlineData(50_000, 15)]
    [InlineData(10_000_000, 15)]
    public void EachBalanceBandIncludesItsLowerEdge(double balance, int expected)
    {
        Assert.Equal(expected, RiskLimits.MaxOpenPositions((decimal)balance));
    }

    [Fact]
    public void TheDrawdownLimitIsAFifthOfThePeak()
    {
        Assert.Equal(20m, RiskLimits.MaxDrawdownPercent);
    }
}
