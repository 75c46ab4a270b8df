using Bitten.Testing;
using static Bitten.Zmq.Tests.TestSupport;

namespace Bitten.Zmq.Tests;

public class PyZmqInteropTests
{
    private const string PushScript = """
        import sys, zmq
        context = zmq.Context()
        push = context.socket(zmq.PUSH)
        push.connect("tcp://127.0.0.1:%s" % sys.argv[1])
        for i in range(100):
            push.send(b"py-%d" % i)
        push.close(linger=10000)
        context.term()
        """;

    [Fact]
    public async Task PyZmqPushReachesOurPullInOrder()
    {
        using var context = new ZmqContext();
        using var pull = context.CreateSocket(ZmqSocketType.Pull);
        pull.ReceiveTimeout = 10_000;
        var port = BindAnyPort(pull);

        var sender = PyZmq.RunAsync(PushScript, TimeSpan.FromSeconds(40), port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var received = new List<string>();
        for (var i = 0; i < 100 && pull.TryReceiveFrame(out var frame); i++)
        {
            received.Add(Text(frame));
        }

        // PyZmq.RunAsync fails with python's stderr (and the apt-get hint when zmq is missing) if the peer fails.
        await sender;
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"py-{i}"), received);
    }
}
