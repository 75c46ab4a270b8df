using Bitten.Indicators.Averages;

namespace Bitten.Indicators.Tests;

public sealed class MovingAverageTypeTests
{
    [Fact]
    public void CreatesTheAverageItNames()
    {
        Assert.IsType<SimpleMovingAverage>(MovingAverageType.Simple.Create(5));
        Assert.IsType<ExponentialMovingAverage>(MovingAverageType.Exponential.Create(5));
        Assert.IsType<WilderMovingAverage>(MovingAverageType.Wilders.Create(5));
        Assert.Equal("RMA(5)", MovingAverageType.Wilders.Create(5).Name);
    }

    [Fact]
    public void RefusesPeriodsBelowOne()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SimpleMovingAverage(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialMovingAverage(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WilderMovingAverage(-1));
    }
}
