using static Bitten.Zmq.Tests.TestSupport;

namespace Bitten.Zmq.Tests;

public class ZmqCurveTests
{
    [Fact]
    public void GenerateKeyPairReturnsDistinctZ85Keys()
    {
        var (publicKey, secretKey) = ZmqCurve.GenerateKeyPair();
        var (otherPublic, _) = ZmqCurve.GenerateKeyPair();

        Assert.Equal(40, publicKey.Length);
        Assert.Equal(40, secretKey.Length);
        Assert.NotEqual(publicKey, secretKey);
        Assert.NotEqual(publicKey, otherPublic);
    }

    [Fact]
    public void ClientWithTheRightServerKeyExchangesFrames()
    {
        var server = ZmqCurve.GenerateKeyPair();
        var client = ZmqCurve.GenerateKeyPair();
        using var context = new ZmqContext();
        using var rep = context.CreateSocket(ZmqSocketType.Rep);
        using var req = context.CreateSocket(ZmqSocketType.Req);
        rep.ReceiveTimeout = PatienceMs;
        req.ReceiveTimeout = PatienceMs;
        rep.SetCurveServer(server.SecretKey);
        var endpoint = Loopback(BindAnyPort(rep));
        req.SetCurveClient(server.PublicKey, client.PublicKey, client.SecretKey);
        req.Connect(endpoint);

        req.Send(Bytes("ping"));
        Assert.Equal("ping", Text(rep.ReceiveFrame()));
        rep.Send(Bytes("pong"));
        Assert.Equal("pong", Text(req.ReceiveFrame()));
    }

    [Fact]
    public void ClientWithTheWrongServerKeyGetsNothingThrough()
    {
        var server = ZmqCurve.GenerateKeyPair();
        var impostor = ZmqCurve.GenerateKeyPair();
        var client = ZmqCurve.GenerateKeyPair();
        using var context = new ZmqContext();
        using var pull = context.CreateSocket(ZmqSocketType.Pull);
        using var wrong = context.CreateSocket(ZmqSocketType.Push);
        using var right = context.CreateSocket(ZmqSocketType.Push);
        pull.ReceiveTimeout = PatienceMs;
        pull.SetCurveServer(server.SecretKey);
        var endpoint = Loopback(BindAnyPort(pull));

        wrong.SetCurveClient(impostor.PublicKey, client.PublicKey, client.SecretKey);
        wrong.Connect(endpoint);
        wrong.Send(Bytes("from wrong"));

        Assert.False(WaitReadable(pull, 500), "a client with the wrong server key got a frame through");

        // The server itself works: the same frame with the right key arrives.
        right.SetCurveClient(server.PublicKey, client.PublicKey, client.SecretKey);
        right.Connect(endpoint);
        right.Send(Bytes("from right"));

        Assert.Equal("from right", Text(pull.ReceiveFrame()));
    }

    [Fact]
    public void MalformedKeyIsRejectedBeforeReachingLibzmq()
    {
        using var context = new ZmqContext();
        using var socket = context.CreateSocket(ZmqSocketType.Rep);

        Assert.Throws<ArgumentException>(() => socket.SetCurveServer("too short"));
        Assert.Throws<ArgumentException>(() => socket.SetCurveServer(new string('é', 40)));
    }
}
