using static Bitten.Zmq.Tests.TestSupport;

namespace Bitten.Zmq.Tests;

public class ZmqPollerTests
{
    [Fact]
    public void PollReturnsZeroWhenNothingIsPendingAndOneWhenAFrameIs()
    {
        using var context = new ZmqContext();
        using var pull = context.CreateSocket(ZmqSocketType.Pull);
        using var push = context.CreateSocket(ZmqSocketType.Push);
        push.Connect(Loopback(BindAnyPort(pull)));
        Span<ZmqPollItem> items = [new ZmqPollItem(pull)];

        Assert.Equal(0, ZmqPoller.Poll(items, 50));
        Assert.False(items[0].IsReadable);

        push.Send(Bytes("ping"));

        Assert.Equal(1, ZmqPoller.Poll(items, PatienceMs));
        Assert.True(items[0].IsReadable);
        Assert.False(items[0].IsWritable);
    }

    [Fact]
    public void PollReportsOnlyTheReadySocketAmongSeveral()
    {
        using var context = new ZmqContext();
        using var idle = context.CreateSocket(ZmqSocketType.Pull);
        using var busy = context.CreateSocket(ZmqSocketType.Pull);
        using var push = context.CreateSocket(ZmqSocketType.Push);
        idle.Bind("inproc://idle");
        busy.Bind("inproc://busy");
        push.Connect("inproc://busy");
        push.Send(Bytes("ping"));
        Span<ZmqPollItem> items = [new ZmqPollItem(idle), new ZmqPollItem(busy), new ZmqPollItem(push, readable: false, writable: true)];

        Assert.Equal(2, ZmqPoller.Poll(items, PatienceMs));
        Assert.False(items[0].IsReadable);
        Assert.True(items[1].IsReadable);
        Assert.True(items[2].IsWritable);
    }

    [Fact]
    public void PollHandlesMoreItemsThanFitOnTheStack()
    {
        using var context = new ZmqContext();
        var sockets = Enumerable.Range(0, 100).Select(_ => context.CreateSocket(ZmqSocketType.Pull)).ToArray();
        using var push = context.CreateSocket(ZmqSocketType.Push);
        sockets[^1].Bind("inproc://last");
        push.Connect("inproc://last");
        push.Send(Bytes("ping"));
        var items = sockets.Select(socket => new ZmqPollItem(socket)).ToArray();

        Assert.Equal(1, ZmqPoller.Poll(items, PatienceMs));
        Assert.True(items[^1].IsReadable);
        Assert.DoesNotContain(items[..^1], item => item.IsReadable);
    }

    [Fact]
    public void PollDoesNotAllocate()
    {
        using var context = new ZmqContext();
        using var pull = context.CreateSocket(ZmqSocketType.Pull);
        pull.Bind("inproc://poll-allocation");
        var items = new[] { new ZmqPollItem(pull) };
        var ready = ZmqPoller.Poll(items, 0);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            ready += ZmqPoller.Poll(items, 0);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, ready);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void PollOnDisposedSocketThrowsObjectDisposedException()
    {
        using var context = new ZmqContext();
        var pull = context.CreateSocket(ZmqSocketType.Pull);
        var items = new[] { new ZmqPollItem(pull) };
        pull.Dispose();

        Assert.Throws<ObjectDisposedException>(() => ZmqPoller.Poll(items, 0));
    }
}
