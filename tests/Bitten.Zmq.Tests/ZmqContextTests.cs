using static Bitten.Zmq.Tests.TestSupport;

namespace Bitten.Zmq.Tests;

public class ZmqContextTests
{
    [Fact]
    public void LibraryVersionIsZeroMqFour()
    {
        var version = ZmqContext.LibraryVersion;

        Assert.Equal(4, version.Major);
        Assert.True(version >= new Version(4, 3, 0), $"libzmq {version} is older than 4.3");
    }

    [Fact]
    public async Task DisposingContextWithOpenSocketsReturns()
    {
        var context = new ZmqContext();
        var pull = context.CreateSocket(ZmqSocketType.Pull);
        var push = context.CreateSocket(ZmqSocketType.Push);
        var stranded = context.CreateSocket(ZmqSocketType.Dealer);
        push.Connect(Loopback(BindAnyPort(pull)));
        push.Send(Bytes("never read"));

        // Nothing listens on the dealer's peer, so without linger 0 its queued frame would hold
        // zmq_ctx_term forever.
        using var probe = context.CreateSocket(ZmqSocketType.Pull);
        var unusedPort = BindAnyPort(probe);
        probe.Unbind(probe.LastEndpoint);
        stranded.Connect(Loopback(unusedPort));
        stranded.Send(Bytes("queued for nobody"));

        var disposed = await CompletesWithin(Task.Run(context.Dispose), TimeSpan.FromSeconds(5));

        Assert.True(disposed, "ZmqContext.Dispose hung");
        Assert.Throws<ObjectDisposedException>(() => push.TrySend(Bytes("late")));
        Assert.Throws<ObjectDisposedException>(() => context.CreateSocket(ZmqSocketType.Pair));
    }

    [Fact]
    public async Task DisposingContextReleasesAReceiveBlockedOnAnotherThread()
    {
        var context = new ZmqContext();
        var pull = context.CreateSocket(ZmqSocketType.Pull);
        pull.Bind("inproc://blocked");
        using var receiving = new ManualResetEventSlim();

        var receiver = Task.Run(() =>
        {
            receiving.Set();
            try
            {
                pull.ReceiveFrame();
                return "received";
            }
            catch (ZmqException error) when (error.IsContextTerminated)
            {
                return "terminated";
            }
            catch (ObjectDisposedException)
            {
                // Dispose won the race and closed the socket before the receive started.
                return "disposed";
            }
        });
        Assert.True(receiving.Wait(TimeSpan.FromSeconds(5)), "receiver task never started");

        var disposed = await CompletesWithin(Task.Run(context.Dispose), TimeSpan.FromSeconds(5));

        Assert.True(disposed, "ZmqContext.Dispose hung");
        Assert.True(await CompletesWithin(receiver, TimeSpan.FromSeconds(5)), "blocked receive was not released");
        Assert.Contains(await receiver, new[] { "terminated", "disposed" });
    }

    [Fact]
    public void DisposingContextTwiceAndSocketAfterContextIsHarmless()
    {
        var context = new ZmqContext(ioThreads: 2);
        var socket = context.CreateSocket(ZmqSocketType.Pair);

        context.Dispose();
        context.Dispose();
        socket.Dispose();

        Assert.Throws<ObjectDisposedException>(() => socket.Linger);
    }

    [Fact]
    public void NegativeIoThreadCountIsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ZmqContext(-1));
    }
}
