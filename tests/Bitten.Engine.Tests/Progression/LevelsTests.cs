using Bitten.Engine.Progression;

namespace Bitten.Engine.Tests.Progression;

public sealed class LevelsTests
{
    [Theory]
    [InlineData(-5, 1)]
    [InlineData(0, 1)]
    [InlineData(99, 1)]
    [InlineData(100, 2)]
    [InlineData(249, 2)]
    [InlineData(250, 3)]
    [InlineData(9_999, 9)]
    [InlineData(10_000, 10)]
    [InlineData(50_000, 15)]
    [InlineData(5_000_000, 15)]
    public void ALevelStartsAtItsPublishedThreshold(long xp, int level) => Assert.Equal(level, Levels.LevelOf(xp));

    [Fact]
    public void TheTableRisesAndEachLevelsFloorAndNextAreItsNeighbours()
    {
        Assert.Equal(0, Levels.Thresholds[0]);
        for (var level = 1; level <= Levels.Max; level++)
        {
            Assert.Equal(level, Levels.LevelOf(Levels.Floor(level)));
            if (Levels.Next(level) is { } next)
            {
                Assert.True(next > Levels.Floor(level));
                Assert.Equal(level + 1, Levels.LevelOf(next));
                Assert.Equal(level, Levels.LevelOf(next - 1));
            }
        }

        Assert.Null(Levels.Next(Levels.Max));
        Assert.Equal(100, Levels.Next(1));
    }
}
