namespace Bitten.Gateway.Tests;

public sealed class ZmqOptionsTests
{
    [Theory]
    [InlineData(5, 15, null)]
    [InlineData(1, 2, null)]
    [InlineData(0, 15, "Zmq:PingSeconds must be between 1 and 3600, not 0")]
    [InlineData(3601, 4000, "Zmq:PingSeconds must be between 1 and 3600, not 3601")]
    [InlineData(5, 5, "Zmq:PingTimeoutSeconds must be longer than Zmq:PingSeconds (5) and at most 3600, not 5")]
    [InlineData(5, 3, "Zmq:PingTimeoutSeconds must be longer than Zmq:PingSeconds (5) and at most 3600, not 3")]
    [InlineData(5, 3601, "Zmq:PingTimeoutSeconds must be longer than Zmq:PingSeconds (5) and at most 3600, not 3601")]
    public void PingsMustBeOfASaneLengthAndTheTimeoutLongerThanTheInterval(int ping, int timeout, string? error)
    {
        var errors = new ZmqOptions { PingSeconds = ping, PingTimeoutSeconds = timeout }.Validate().ToList();

        if (error is null)
        {
            Assert.Empty(errors);
        }
        else
        {
            Assert.Equal([error], errors);
        }
    }

    [Fact]
    public void EveryServedSocketCarriesTheHeartbeat()
    {
        using var context = new Bitten.Zmq.ZmqContext();
        using var socket = context.CreateSocket(Bitten.Zmq.ZmqSocketType.Router);

        new ZmqOptions { PingSeconds = 2, PingTimeoutSeconds = 7 }.Serve(socket);

        Assert.Equal((TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(7)), (socket.HeartbeatInterval, socket.HeartbeatTimeout));
    }
}
