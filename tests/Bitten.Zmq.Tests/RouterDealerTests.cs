using static Bitten.Zmq.Tests.TestSupport;

namespace Bitten.Zmq.Tests;

public class RouterDealerTests
{
    [Fact]
    public void RouterSeesDealerIdentityAndRepliesReachOnlyThatDealer()
    {
        using var context = new ZmqContext();
        using var router = context.CreateSocket(ZmqSocketType.Router);
        using var first = context.CreateSocket(ZmqSocketType.Dealer);
        using var second = context.CreateSocket(ZmqSocketType.Dealer);
        router.ReceiveTimeout = PatienceMs;
        first.ReceiveTimeout = PatienceMs;
        second.ReceiveTimeout = PatienceMs;
        var endpoint = Loopback(BindAnyPort(router));
        first.SetIdentity(Bytes("dealer-1"));
        second.SetIdentity(Bytes("dealer-2"));
        first.Connect(endpoint);
        second.Connect(endpoint);

        first.Send(Bytes("hello from 1"));
        var fromFirst = router.ReceiveMultipart();
        second.Send(Bytes("hello from 2"));
        var fromSecond = router.ReceiveMultipart();

        Assert.Equal(["dealer-1", "hello from 1"], fromFirst.Select(Text));
        Assert.Equal(["dealer-2", "hello from 2"], fromSecond.Select(Text));

        router.SendMultipart(Bytes("dealer-2"), Bytes("for 2"));
        router.SendMultipart(Bytes("dealer-1"), Bytes("for 1"));

        Assert.Equal("for 1", Text(first.ReceiveFrame()));
        Assert.Equal("for 2", Text(second.ReceiveFrame()));
        Assert.False(WaitReadable(first, 50), "dealer-1 received a reply addressed elsewhere");
        Assert.False(WaitReadable(second, 50), "dealer-2 received a reply addressed elsewhere");
    }

    [Fact]
    public void RouterMandatoryRejectsUnknownIdentity()
    {
        using var context = new ZmqContext();
        using var router = context.CreateSocket(ZmqSocketType.Router);
        router.RouterMandatory = true;
        BindAnyPort(router);

        var error = Assert.Throws<ZmqException>(() => router.SendMultipart(Bytes("ghost"), Bytes("boo")));

        Assert.Equal(113, error.ErrorCode); // EHOSTUNREACH
        Assert.False(error.IsContextTerminated);
    }
}
