namespace Bitten.Indicators.Tests;

public sealed class RollingWindowTests
{
    [Fact]
    public void IndexesFromTheNewestValue()
    {
        var window = new RollingWindow<double>(3);
        window.Add(1);
        window.Add(2);

        Assert.Equal(2, window.Count);
        Assert.False(window.IsFull);
        Assert.Equal(2, window[0]);
        Assert.Equal(1, window[1]);
        Assert.Equal(2, window.Newest);
        Assert.Equal(1, window.Oldest);
    }

    [Fact]
    public void EvictsTheOldestOnceFull()
    {
        var window = new RollingWindow<double>(3);
        for (var i = 1; i <= 5; i++)
        {
            window.Add(i);
        }

        Assert.True(window.IsFull);
        Assert.Equal(3, window.Count);
        Assert.Equal([5.0, 4.0, 3.0], new[] { window[0], window[1], window[2] });
        Assert.Equal(3, window.Oldest);
    }

    [Fact]
    public void RefusesIndexesBeyondWhatItHolds()
    {
        var window = new RollingWindow<double>(3);
        window.Add(1);

        Assert.Throws<ArgumentOutOfRangeException>(() => window[1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => window[-1]);
    }

    [Fact]
    public void StartsOverAfterClear()
    {
        var window = new RollingWindow<double>(2);
        window.Add(1);
        window.Add(2);
        window.Clear();
        window.Add(9);

        Assert.Equal(1, window.Count);
        Assert.Equal(9, window.Oldest);
    }

    [Fact]
    public void AddsWithoutAllocating()
    {
        var window = new RollingWindow<double>(16);
        window.Add(0);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            window.Add(i);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(9_999, window.Newest);
    }
}
