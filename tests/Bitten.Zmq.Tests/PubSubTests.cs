using static Bitten.Zmq.Tests.TestSupport;

namespace Bitten.Zmq.Tests;

public class PubSubTests
{
    [Fact]
    public void SubscriberReceivesOnlyFramesMatchingItsPrefix()
    {
        using var context = new ZmqContext();
        using var pub = context.CreateSocket(ZmqSocketType.Pub);
        using var sub = context.CreateSocket(ZmqSocketType.Sub);
        sub.ReceiveTimeout = PatienceMs;
        sub.Subscribe(Bytes("A."));
        sub.Connect(Loopback(BindAnyPort(pub)));

        // Slow joiner: frames published before the subscription reaches the publisher are
        // dropped, so publish until one gets through.
        var joined = false;
        for (var attempt = 0; attempt < 500 && !joined; attempt++)
        {
            pub.Send(Bytes("A.join"));
            joined = WaitReadable(sub, 10);
        }

        Assert.True(joined, "subscriber never received a matching frame");

        pub.Send(Bytes("B.other"));
        pub.Send(Bytes("A.last"));

        // One connection keeps order, so a delivered B frame would show up before A.last.
        var received = new List<string>();
        string text;
        do
        {
            text = Text(sub.ReceiveFrame());
            received.Add(text);
        }
        while (text != "A.last");

        Assert.All(received, frame => Assert.StartsWith("A.", frame, StringComparison.Ordinal));
        Assert.DoesNotContain("B.other", received);
    }

    [Fact]
    public void UnsubscribedPrefixStopsBeingDelivered()
    {
        using var context = new ZmqContext();
        using var pub = context.CreateSocket(ZmqSocketType.Pub);
        using var sub = context.CreateSocket(ZmqSocketType.Sub);
        pub.Bind("inproc://unsubscribe");
        sub.ReceiveTimeout = PatienceMs;
        sub.Subscribe(Bytes("x"));
        sub.Subscribe(Bytes("y"));
        sub.Connect("inproc://unsubscribe");

        var joined = false;
        for (var attempt = 0; attempt < 500 && !joined; attempt++)
        {
            pub.Send(Bytes("y-join"));
            joined = WaitReadable(sub, 10);
        }

        Assert.True(joined, "subscriber never received a matching frame");
        sub.Unsubscribe(Bytes("x"));

        // SUB also filters on its own side, so the unsubscription takes effect at once even if
        // the publisher has not processed it yet; y-last marks the end of what can arrive.
        pub.Send(Bytes("x-dropped"));
        pub.Send(Bytes("y-last"));

        var received = new List<string>();
        string text;
        do
        {
            text = Text(sub.ReceiveFrame());
            received.Add(text);
        }
        while (text != "y-last");

        Assert.DoesNotContain("x-dropped", received);
    }
}
