using System.Runtime.InteropServices;

namespace Bitten.Zmq;

/// <summary>One socket to watch in <see cref="ZmqPoller.Poll"/>, and what it was found ready for.</summary>
public struct ZmqPollItem
{
    private readonly short _events;

    public ZmqPollItem(ZmqSocket socket, bool readable = true, bool writable = false)
    {
        ArgumentNullException.ThrowIfNull(socket);
        Socket = socket;
        _events = (short)((readable ? LibZmq.PollIn : 0) | (writable ? LibZmq.PollOut : 0));
    }

    public ZmqSocket Socket { get; }

    /// <summary>A frame can be received without blocking (as of the last poll).</summary>
    public readonly bool IsReadable => (ReturnedEvents & LibZmq.PollIn) != 0;

    /// <summary>A frame can be sent without blocking (as of the last poll).</summary>
    public readonly bool IsWritable => (ReturnedEvents & LibZmq.PollOut) != 0;

    internal readonly short Events => _events;

    internal short ReturnedEvents { readonly get; set; }
}

public static class ZmqPoller
{
    // Above this many items the native array moves from the stack to native memory; neither
    // touches the GC heap, so polling stays allocation-free on a hot loop.
    private const int StackItemLimit = 64;

    /// <summary>
    /// Waits up to timeoutMs (-1: forever, 0: just check) until at least one item is ready and
    /// returns how many are. Each item's IsReadable/IsWritable is updated in place.
    /// </summary>
    public static unsafe int Poll(Span<ZmqPollItem> items, int timeoutMs)
    {
        var count = items.Length;
        var heap = count > StackItemLimit ? NativeMemory.Alloc((nuint)count, (nuint)sizeof(ZmqNativePollItem)) : null;
        var native = heap is not null
            ? new Span<ZmqNativePollItem>(heap, count)
            : stackalloc ZmqNativePollItem[count];
        var acquired = 0;
        try
        {
            for (; acquired < count; acquired++)
            {
                ref var item = ref items[acquired];
                if (item.Socket is null)
                {
                    throw new ArgumentException("Every poll item needs a socket.", nameof(items));
                }

                native[acquired] = new ZmqNativePollItem { Socket = item.Socket.Acquire(), Events = item.Events };
            }

            var ready = PollNative(native, timeoutMs);
            for (var i = 0; i < count; i++)
            {
                items[i].ReturnedEvents = native[i].Revents;
            }

            return ready;
        }
        finally
        {
            for (var i = 0; i < acquired; i++)
            {
                items[i].Socket.Release();
            }

            NativeMemory.Free(heap);
        }
    }

    private static unsafe int PollNative(Span<ZmqNativePollItem> native, int timeoutMs)
    {
        // A signal must not stretch the caller's timeout: on EINTR only the remaining time is waited.
        var deadline = timeoutMs > 0 ? Environment.TickCount64 + timeoutMs : 0;
        var timeout = timeoutMs;
        fixed (ZmqNativePollItem* items = native)
        {
            while (true)
            {
                var ready = LibZmq.zmq_poll(items, native.Length, new CLong(timeout));
                if (ready >= 0)
                {
                    return ready;
                }

                var error = Marshal.GetLastPInvokeError();
                if (error != LibZmq.EIntr)
                {
                    throw new ZmqException(error, "zmq_poll");
                }

                if (timeoutMs > 0)
                {
                    timeout = (int)Math.Max(0, deadline - Environment.TickCount64);
                }
            }
        }
    }
}
