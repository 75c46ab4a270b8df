using static Bitten.Zmq.Tests.TestSupport;

namespace Bitten.Zmq.Tests;

public class ZmqSocketTests
{
    [Theory]
    [InlineData("tcp://bad", 22, "Invalid argument")]
    [InlineData("nosuch://endpoint", 93, "Protocol not supported")]
    public void BindToBadEndpointThrowsWithStrerrorText(string endpoint, int errno, string strerror)
    {
        using var context = new ZmqContext();
        using var socket = context.CreateSocket(ZmqSocketType.Pull);

        var error = Assert.Throws<ZmqException>(() => socket.Bind(endpoint));

        Assert.Equal(errno, error.ErrorCode);
        Assert.Equal($"zmq_bind({endpoint}) failed: {strerror}", error.Message);
    }

    [Fact]
    public void BindingTheSamePortTwiceThrows()
    {
        using var context = new ZmqContext();
        using var first = context.CreateSocket(ZmqSocketType.Pull);
        using var second = context.CreateSocket(ZmqSocketType.Pull);
        var port = BindAnyPort(first);

        var error = Assert.Throws<ZmqException>(() => second.Bind(Loopback(port)));

        Assert.Equal(98, error.ErrorCode); // EADDRINUSE
        Assert.Contains("Address already in use", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BoundPortIsThePortInLastEndpoint()
    {
        using var context = new ZmqContext();
        using var socket = context.CreateSocket(ZmqSocketType.Rep);

        Assert.Equal(string.Empty, socket.LastEndpoint);
        Assert.Throws<InvalidOperationException>(() => socket.BoundPort);

        socket.Bind(AnyLoopbackPort);

        Assert.InRange(socket.BoundPort, 1, 65535);
        Assert.Equal(Loopback(socket.BoundPort), socket.LastEndpoint);
    }

    [Fact]
    public void UnbindAndDisconnectStopTraffic()
    {
        using var context = new ZmqContext();
        using var pull = context.CreateSocket(ZmqSocketType.Pull);
        using var push = context.CreateSocket(ZmqSocketType.Push);
        var endpoint = Loopback(BindAnyPort(pull));
        push.Connect(endpoint);
        push.Disconnect(endpoint);
        pull.Unbind(endpoint);

        Assert.False(push.TrySend(Bytes("gone"), dontWait: true));
        Assert.Throws<ZmqException>(() => pull.Unbind(endpoint));
    }

    [Fact]
    public void NewSocketsDoNotLinger()
    {
        using var context = new ZmqContext();
        using var socket = context.CreateSocket(ZmqSocketType.Dealer);

        Assert.Equal(0, socket.Linger);
        Assert.Equal(ZmqSocketType.Dealer, socket.Type);
    }

    [Fact]
    public void OptionsReadBackWhatWasSet()
    {
        using var context = new ZmqContext();
        using var socket = context.CreateSocket(ZmqSocketType.Dealer);

        socket.Linger = 250;
        socket.SendHighWatermark = 123;
        socket.ReceiveHighWatermark = 456;
        socket.SendTimeout = 789;
        socket.ReceiveTimeout = 1011;
        socket.Immediate = true;

        Assert.Equal(250, socket.Linger);
        Assert.Equal(123, socket.SendHighWatermark);
        Assert.Equal(456, socket.ReceiveHighWatermark);
        Assert.Equal(789, socket.SendTimeout);
        Assert.Equal(1011, socket.ReceiveTimeout);
    }

    [Fact]
    public void OptionNotValidForSocketTypeThrows()
    {
        using var context = new ZmqContext();
        using var push = context.CreateSocket(ZmqSocketType.Push);

        var error = Assert.Throws<ZmqException>(() => push.Subscribe(Bytes("x")));

        Assert.Equal(22, error.ErrorCode);
        Assert.Contains("ZMQ_SUBSCRIBE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UsingADisposedSocketThrowsObjectDisposedException()
    {
        using var context = new ZmqContext();
        var socket = context.CreateSocket(ZmqSocketType.Push);
        socket.Dispose();
        socket.Dispose();

        Assert.Throws<ObjectDisposedException>(() => socket.Bind(AnyLoopbackPort));
        Assert.Throws<ObjectDisposedException>(() => socket.TrySend(Bytes("x")));
        Assert.Throws<ObjectDisposedException>(() => socket.TryReceive(new byte[4], out _, out _));
        Assert.Throws<ObjectDisposedException>(() => socket.ReceiveFrame());
        Assert.Throws<ObjectDisposedException>(() => socket.Linger);
        Assert.Throws<ObjectDisposedException>(() => socket.LastEndpoint);
    }
}
