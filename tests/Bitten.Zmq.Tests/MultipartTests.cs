using static Bitten.Zmq.Tests.TestSupport;

namespace Bitten.Zmq.Tests;

public class MultipartTests
{
    [Fact]
    public void MultipartMessageRoundTripsWithEmptyAndLargeFrames()
    {
        using var context = new ZmqContext();
        using var pull = context.CreateSocket(ZmqSocketType.Pull);
        using var push = context.CreateSocket(ZmqSocketType.Push);
        pull.ReceiveTimeout = PatienceMs;
        push.Connect(Loopback(BindAnyPort(pull)));

        var large = new byte[100_000];
        Random.Shared.NextBytes(large);
        push.SendMultipart(Bytes("header"), [], large);

        var frames = pull.ReceiveMultipart();

        Assert.Equal(3, frames.Count);
        Assert.Equal("header", Text(frames[0]));
        Assert.Empty(frames[1]);
        Assert.Equal(large, frames[2]);
    }

    [Fact]
    public void HasMoreIsTrueUntilTheLastFrame()
    {
        using var context = new ZmqContext();
        using var pull = context.CreateSocket(ZmqSocketType.Pull);
        using var push = context.CreateSocket(ZmqSocketType.Push);
        pull.ReceiveTimeout = PatienceMs;
        pull.Bind("inproc://more");
        push.Connect("inproc://more");

        push.Send(Bytes("one"), more: true);
        push.Send(Bytes("two"), more: true);
        push.Send(Bytes("three"));

        Assert.Equal("one", Text(pull.ReceiveFrame()));
        Assert.True(pull.HasMore);
        var buffer = new byte[16];
        Assert.True(pull.TryReceive(buffer, out var size, out var more));
        Assert.Equal("two", Text(buffer[..size]));
        Assert.True(more);
        Assert.True(pull.HasMore);
        Assert.True(pull.TryReceiveFrame(out var last));
        Assert.Equal("three", Text(last));
        Assert.False(pull.HasMore);
    }

    [Fact]
    public void SendMultipartWithoutFramesIsRejected()
    {
        using var context = new ZmqContext();
        using var push = context.CreateSocket(ZmqSocketType.Push);

        Assert.Throws<ArgumentException>(() => push.SendMultipart());
    }
}
