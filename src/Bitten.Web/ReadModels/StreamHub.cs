using System.Text;
using System.Threading.Channels;

namespace Bitten.Web.ReadModels;

/// <summary>
/// Fans server-sent-event frames out to the connected pages. Publishing never waits: each subscriber has a bounded
/// queue of <see cref="Buffered"/> frames, and one that is full is dropped (its stream is told and ends) rather than
/// holding up the kernel thread, which is where frames are published from.
/// </summary>
public sealed class StreamHub
{
    public const int Buffered = 256;

    private readonly Lock _gate = new();
    private Subscription[] _subscribers = [];

    public int Subscribers => Volatile.Read(ref _subscribers).Length;

    /// <summary>Subscribers dropped for falling behind.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    private long _dropped;

    /// <summary>A new subscriber for a user: it gets the public frames and that user's own.</summary>
    public Subscription Subscribe(long userId)
    {
        var subscription = new Subscription(this, userId);
        lock (_gate)
        {
            _subscribers = [.. _subscribers, subscription];
        }

        return subscription;
    }

    /// <summary>One SSE frame (<c>event: name</c>, <c>data: json</c>).</summary>
    public static byte[] Frame(string eventName, ReadOnlySpan<byte> json)
    {
        var head = Encoding.UTF8.GetBytes($"event: {eventName}\ndata: ");
        var frame = new byte[head.Length + json.Length + 2];
        head.CopyTo(frame, 0);
        json.CopyTo(frame.AsSpan(head.Length));
        frame[^2] = (byte)'\n';
        frame[^1] = (byte)'\n';
        return frame;
    }

    /// <summary>Queues a frame for every subscriber (<paramref name="userId"/> null) or only that user's.</summary>
    public void Publish(byte[] frame, long? userId)
    {
        foreach (var subscriber in Volatile.Read(ref _subscribers))
        {
            if ((userId is null || subscriber.UserId == userId) && !subscriber.Offer(frame))
            {
                Interlocked.Increment(ref _dropped);
            }
        }
    }

    private void Remove(Subscription subscription)
    {
        lock (_gate)
        {
            _subscribers = [.. _subscribers.Where(s => !ReferenceEquals(s, subscription))];
        }
    }

    /// <summary>One page's stream: read <see cref="Frames"/> until it completes; <see cref="Overflowed"/> says it was dropped.</summary>
    public sealed class Subscription : IDisposable
    {
        private readonly StreamHub _hub;
        private readonly Channel<byte[]> _frames = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(Buffered)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });

        private int _overflowed;

        internal Subscription(StreamHub hub, long userId)
        {
            _hub = hub;
            UserId = userId;
        }

        public long UserId { get; }

        public ChannelReader<byte[]> Frames => _frames.Reader;

        public bool Overflowed => Volatile.Read(ref _overflowed) == 1;

        internal bool Offer(byte[] frame)
        {
            if (_frames.Writer.TryWrite(frame))
            {
                return true;
            }

            // Full (or already completed): this page is too slow; it loses its stream, never the publisher its time.
            if (Interlocked.Exchange(ref _overflowed, 1) == 0)
            {
                _frames.Writer.TryComplete();
                _hub.Remove(this);
                return false;
            }

            return true;
        }

        public void Dispose()
        {
            _frames.Writer.TryComplete();
            _hub.Remove(this);
        }
    }
}
