using static Bitten.Zmq.Tests.TestSupport;

namespace Bitten.Zmq.Tests;

public class PushPullTests
{
    [Fact]
    public void PushPullDeliversFramesInOrder()
    {
        const int count = 10_000;
        using var context = new ZmqContext();
        using var pull = context.CreateSocket(ZmqSocketType.Pull);
        using var push = context.CreateSocket(ZmqSocketType.Push);
        pull.ReceiveHighWatermark = 0;
        pull.ReceiveTimeout = PatienceMs;
        push.SendHighWatermark = 0;
        push.Connect(Loopback(BindAnyPort(pull)));

        // Unlimited watermarks let one thread queue everything before reading anything back.
        Span<byte> frame = stackalloc byte[sizeof(int)];
        for (var i = 0; i < count; i++)
        {
            BitConverter.TryWriteBytes(frame, i);
            push.Send(frame);
        }

        for (var i = 0; i < count; i++)
        {
            Assert.True(pull.TryReceive(frame, out var size, out var more), $"frame {i} did not arrive");
            Assert.Equal(sizeof(int), size);
            Assert.False(more);
            Assert.Equal(i, BitConverter.ToInt32(frame));
        }
    }

    [Fact]
    public void TryReceiveWithSmallBufferReportsFullSizeOfLargeFrame()
    {
        using var context = new ZmqContext();
        using var pull = context.CreateSocket(ZmqSocketType.Pull);
        using var push = context.CreateSocket(ZmqSocketType.Push);
        pull.ReceiveTimeout = PatienceMs;
        push.Connect(Loopback(BindAnyPort(pull)));

        var large = new byte[1 << 20];
        for (var i = 0; i < large.Length; i++)
        {
            large[i] = (byte)(i * 7);
        }

        push.Send(large);
        push.Send(Bytes("next"));

        var buffer = new byte[16];
        Assert.True(pull.TryReceive(buffer, out var size, out var more));
        Assert.Equal(1 << 20, size);
        Assert.False(more);
        Assert.Equal(large.AsSpan(0, buffer.Length).ToArray(), buffer);

        // Truncation drops the rest of that frame only; the stream stays aligned.
        Assert.True(pull.TryReceive(buffer, out size, out _));
        Assert.Equal("next", Text(buffer[..size]));
    }

    [Fact]
    public void DontWaitReceiveOnEmptySocketReturnsFalse()
    {
        using var context = new ZmqContext();
        using var pull = context.CreateSocket(ZmqSocketType.Pull);
        BindAnyPort(pull);

        var buffer = new byte[8];
        Assert.False(pull.TryReceive(buffer, out var size, out var more, dontWait: true));
        Assert.Equal(0, size);
        Assert.False(more);
        Assert.False(pull.TryReceiveFrame(out var frame, dontWait: true));
        Assert.Empty(frame);
    }

    [Fact]
    public void ReceiveTimeoutMakesTryReceiveReturnFalseAndReceiveFrameThrow()
    {
        using var context = new ZmqContext();
        using var pull = context.CreateSocket(ZmqSocketType.Pull);
        BindAnyPort(pull);
        pull.ReceiveTimeout = 20;

        Assert.False(pull.TryReceive(new byte[8], out _, out _));
        var error = Assert.Throws<ZmqException>(() => pull.ReceiveFrame());
        Assert.Equal(11, error.ErrorCode);
    }

    [Fact]
    public void DontWaitSendWithoutPeerReturnsFalse()
    {
        using var context = new ZmqContext();
        using var push = context.CreateSocket(ZmqSocketType.Push);
        BindAnyPort(push);

        // A bound PUSH with no peer has nowhere to queue the frame.
        Assert.False(push.TrySend(Bytes("nobody"), dontWait: true));
        push.SendTimeout = 20;
        Assert.Throws<ZmqException>(() => push.Send(Bytes("nobody")));
    }

    [Fact]
    public void TrySendAndTryReceiveDoNotAllocateAfterWarmUp()
    {
        using var context = new ZmqContext();
        using var pull = context.CreateSocket(ZmqSocketType.Pull);
        using var push = context.CreateSocket(ZmqSocketType.Push);
        pull.ReceiveTimeout = PatienceMs;
        pull.Bind("inproc://allocation");
        push.Connect("inproc://allocation");

        var payload = new byte[64];
        var buffer = new byte[64];
        var failures = 0;
        for (var i = 0; i < 1_000; i++)
        {
            failures += RoundTrip(push, pull, payload, buffer) ? 0 : 1;
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            failures += RoundTrip(push, pull, payload, buffer) ? 0 : 1;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, failures);
        Assert.Equal(0, allocated);
    }

    private static bool RoundTrip(ZmqSocket push, ZmqSocket pull, byte[] payload, byte[] buffer) =>
        push.TrySend(payload) && pull.TryReceive(buffer, out var size, out _) && size == payload.Length;
}
