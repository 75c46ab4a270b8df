using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Bitten.Zmq;

/// <summary>
/// A libzmq socket. Like the native socket it wraps, it is NOT thread-safe: each socket belongs
/// to one thread at a time (hand it over only with a memory barrier, e.g. through a task or a
/// lock). The only cross-thread call that is safe is <see cref="ZmqContext.Dispose"/>, which
/// interrupts blocked calls with ETERM.
/// </summary>
/// <remarks>
/// Sockets start with Linger 0 so that closing a socket or disposing the context never waits
/// for unsent data to reach a peer that may be gone.
/// </remarks>
public sealed unsafe class ZmqSocket : IDisposable
{
    // Long enough for any tcp endpoint and most ipc paths (sun_path is 108 bytes on Linux).
    private const int EndpointBufferSize = 1024;
    private const int CurveKeyLength = 40;

    private readonly ZmqContext _context;
    private readonly ZmqSocketHandle _handle;

    internal ZmqSocket(ZmqContext context, ZmqSocketHandle handle, ZmqSocketType type)
    {
        _context = context;
        _handle = handle;
        Type = type;
        Linger = 0;
    }

    public ZmqSocketType Type { get; }

    /// <summary>The endpoint of the last Bind/Connect, with wildcards resolved (tcp://127.0.0.1:41234).</summary>
    public string LastEndpoint
    {
        get
        {
            var buffer = stackalloc byte[EndpointBufferSize];
            var length = (nuint)EndpointBufferSize;
            var socket = Acquire();
            try
            {
                Check(LibZmq.zmq_getsockopt(socket, LibZmq.LastEndpoint, buffer, &length), "zmq_getsockopt(ZMQ_LAST_ENDPOINT)");
            }
            finally
            {
                Release();
            }

            // The reported length includes the terminating NUL.
            var span = new ReadOnlySpan<byte>(buffer, (int)length);
            return Encoding.UTF8.GetString(span.IndexOf((byte)0) is var end and >= 0 ? span[..end] : span);
        }
    }

    /// <summary>The TCP port of <see cref="LastEndpoint"/>; the way to learn the port chosen for "tcp://host:*".</summary>
    public int BoundPort
    {
        get
        {
            var endpoint = LastEndpoint;
            var colon = endpoint.LastIndexOf(':');
            if (colon < 0 || !int.TryParse(endpoint.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port))
            {
                throw new InvalidOperationException($"Last endpoint '{endpoint}' has no port; bind a tcp endpoint first.");
            }

            return port;
        }
    }

    public int Linger
    {
        get => GetInt(LibZmq.Linger, "ZMQ_LINGER");
        set => SetInt(LibZmq.Linger, value, "ZMQ_LINGER");
    }

    public int SendHighWatermark
    {
        get => GetInt(LibZmq.SndHwm, "ZMQ_SNDHWM");
        set => SetInt(LibZmq.SndHwm, value, "ZMQ_SNDHWM");
    }

    public int ReceiveHighWatermark
    {
        get => GetInt(LibZmq.RcvHwm, "ZMQ_RCVHWM");
        set => SetInt(LibZmq.RcvHwm, value, "ZMQ_RCVHWM");
    }

    /// <summary>Milliseconds a blocking send waits before giving up; -1 waits forever.</summary>
    public int SendTimeout
    {
        get => GetInt(LibZmq.SndTimeo, "ZMQ_SNDTIMEO");
        set => SetInt(LibZmq.SndTimeo, value, "ZMQ_SNDTIMEO");
    }

    /// <summary>Milliseconds a blocking receive waits before giving up; -1 waits forever.</summary>
    public int ReceiveTimeout
    {
        get => GetInt(LibZmq.RcvTimeo, "ZMQ_RCVTIMEO");
        set => SetInt(LibZmq.RcvTimeo, value, "ZMQ_RCVTIMEO");
    }

    /// <summary>ROUTER only: fail sends to unknown identities (EHOSTUNREACH) instead of silently dropping them.</summary>
    public bool RouterMandatory
    {
        set => SetInt(LibZmq.RouterMandatory, value ? 1 : 0, "ZMQ_ROUTER_MANDATORY");
    }

    /// <summary>Queue messages only to completed connections, so nothing piles up for a peer that never arrives.</summary>
    public bool Immediate
    {
        set => SetInt(LibZmq.Immediate, value ? 1 : 0, "ZMQ_IMMEDIATE");
    }

    /// <summary>
    /// ZMTP heartbeats (libzmq 4.2+): a PING every <paramref name="interval"/>, and a connection that has carried nothing
    /// for <paramref name="timeout"/> is closed (its peer is told to do the same after that long). Without them a pulled
    /// cable leaves TCP retransmitting into the void for minutes, and whatever is queued behind it waits as long;
    /// with them the dead connection goes, a connecting socket dials again, and the link is back as soon as the
    /// network is. Each attempt to dial gives up after <paramref name="timeout"/> too (<see cref="ConnectTimeout"/>),
    /// rather than after the system's minutes of SYN retries into a network that is still down.
    /// </summary>
    public void Heartbeat(TimeSpan interval, TimeSpan timeout)
    {
        var ms = (int)timeout.TotalMilliseconds;
        SetInt(LibZmq.HeartbeatIvl, (int)interval.TotalMilliseconds, "ZMQ_HEARTBEAT_IVL");
        SetInt(LibZmq.HeartbeatTimeout, ms, "ZMQ_HEARTBEAT_TIMEOUT");
        SetInt(LibZmq.HeartbeatTtl, ms, "ZMQ_HEARTBEAT_TTL");
        SetInt(LibZmq.ConnectTimeout, ms, "ZMQ_CONNECT_TIMEOUT");
    }

    /// <summary>The PING interval <see cref="Heartbeat"/> set (zero: no heartbeats).</summary>
    public TimeSpan HeartbeatInterval => TimeSpan.FromMilliseconds(GetInt(LibZmq.HeartbeatIvl, "ZMQ_HEARTBEAT_IVL"));

    /// <summary>How long a silent connection lasts before it is closed, as <see cref="Heartbeat"/> set it.</summary>
    public TimeSpan HeartbeatTimeout => TimeSpan.FromMilliseconds(GetInt(LibZmq.HeartbeatTimeout, "ZMQ_HEARTBEAT_TIMEOUT"));

    /// <summary>Milliseconds a connect may take before it is abandoned and tried again, as <see cref="Heartbeat"/> set it (0: the system's own TCP timeout, minutes).</summary>
    public int ConnectTimeout => GetInt(LibZmq.ConnectTimeout, "ZMQ_CONNECT_TIMEOUT");

    /// <summary>True when the last received frame is followed by another frame of the same message.</summary>
    public bool HasMore => GetInt(LibZmq.RcvMore, "ZMQ_RCVMORE") != 0;

    public void Bind(string endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var socket = Acquire();
        try
        {
            Endpoint(LibZmq.zmq_bind, socket, endpoint, "zmq_bind");
        }
        finally
        {
            Release();
        }
    }

    public void Connect(string endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var socket = Acquire();
        try
        {
            Endpoint(LibZmq.zmq_connect, socket, endpoint, "zmq_connect");
        }
        finally
        {
            Release();
        }
    }

    public void Unbind(string endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var socket = Acquire();
        try
        {
            Endpoint(LibZmq.zmq_unbind, socket, endpoint, "zmq_unbind");
        }
        finally
        {
            Release();
        }
    }

    public void Disconnect(string endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var socket = Acquire();
        try
        {
            Endpoint(LibZmq.zmq_disconnect, socket, endpoint, "zmq_disconnect");
        }
        finally
        {
            Release();
        }
    }

    /// <summary>
    /// zmq_socket_monitor: libzmq reports this socket's <paramref name="events"/> (a mask of <see cref="ZmqMonitorEvent"/>)
    /// on a PAIR it binds at <paramref name="inprocEndpoint"/>; connect a PAIR of the same context there to read them.
    /// </summary>
    public void Monitor(string inprocEndpoint, ZmqMonitorEvent events)
    {
        ArgumentNullException.ThrowIfNull(inprocEndpoint);
        var socket = Acquire();
        try
        {
            if (LibZmq.zmq_socket_monitor(socket, inprocEndpoint, (int)events) != 0)
            {
                throw ZmqException.FromLastError("zmq_socket_monitor");
            }
        }
        finally
        {
            Release();
        }
    }

    /// <summary>ZMQ_ROUTING_ID: the identity a ROUTER peer sees as this socket's first frame. Set before Connect.</summary>
    public void SetIdentity(ReadOnlySpan<byte> identity) => SetBytes(LibZmq.RoutingId, identity, "ZMQ_ROUTING_ID");

    /// <summary>SUB only: accept messages whose first frame starts with prefix; an empty prefix accepts all.</summary>
    public void Subscribe(ReadOnlySpan<byte> prefix) => SetBytes(LibZmq.Subscribe, prefix, "ZMQ_SUBSCRIBE");

    public void Unsubscribe(ReadOnlySpan<byte> prefix) => SetBytes(LibZmq.Unsubscribe, prefix, "ZMQ_UNSUBSCRIBE");

    /// <summary>Makes this socket a CURVE server. Call before Bind.</summary>
    public void SetCurveServer(string secretKeyZ85)
    {
        Span<byte> secret = stackalloc byte[CurveKeyLength];
        EncodeKey(secretKeyZ85, secret, nameof(secretKeyZ85));
        SetInt(LibZmq.CurveServer, 1, "ZMQ_CURVE_SERVER");
        SetBytes(LibZmq.CurveSecretKey, secret, "ZMQ_CURVE_SECRETKEY");
    }

    /// <summary>Makes this socket a CURVE client of the server owning serverPublicKeyZ85. Call before Connect.</summary>
    public void SetCurveClient(string serverPublicKeyZ85, string publicKeyZ85, string secretKeyZ85)
    {
        Span<byte> server = stackalloc byte[CurveKeyLength];
        Span<byte> publicKey = stackalloc byte[CurveKeyLength];
        Span<byte> secret = stackalloc byte[CurveKeyLength];
        EncodeKey(serverPublicKeyZ85, server, nameof(serverPublicKeyZ85));
        EncodeKey(publicKeyZ85, publicKey, nameof(publicKeyZ85));
        EncodeKey(secretKeyZ85, secret, nameof(secretKeyZ85));
        SetBytes(LibZmq.CurveServerKey, server, "ZMQ_CURVE_SERVERKEY");
        SetBytes(LibZmq.CurvePublicKey, publicKey, "ZMQ_CURVE_PUBLICKEY");
        SetBytes(LibZmq.CurveSecretKey, secret, "ZMQ_CURVE_SECRETKEY");
    }

    /// <summary>
    /// Sends one frame; <paramref name="more"/> marks it as followed by another frame of the same
    /// message. Returns false only when the frame could not be queued in time (dontWait, or the
    /// send timeout expired). Does not allocate.
    /// </summary>
    public bool TrySend(ReadOnlySpan<byte> frame, bool more = false, bool dontWait = false)
    {
        var flags = (more ? LibZmq.SndMore : 0) | (dontWait ? LibZmq.DontWait : 0);
        var socket = Acquire();
        try
        {
            fixed (byte* data = frame)
            {
                while (true)
                {
                    if (LibZmq.zmq_send(socket, data, (nuint)frame.Length, flags) >= 0)
                    {
                        return true;
                    }

                    var error = Marshal.GetLastPInvokeError();
                    if (error == LibZmq.EAgain)
                    {
                        return false;
                    }

                    if (error != LibZmq.EIntr)
                    {
                        throw new ZmqException(error, "zmq_send");
                    }
                }
            }
        }
        finally
        {
            Release();
        }
    }

    /// <summary>Sends one frame, waiting as long as the send timeout allows; throws if it could not be queued.</summary>
    public void Send(ReadOnlySpan<byte> frame, bool more = false)
    {
        if (!TrySend(frame, more))
        {
            throw new ZmqException(LibZmq.EAgain, "zmq_send");
        }
    }

    /// <summary>
    /// Receives one frame into <paramref name="buffer"/> without allocating. <paramref name="size"/>
    /// is the frame's full length: when it exceeds buffer.Length the frame was truncated and the
    /// rest is lost. Returns false when nothing arrived (dontWait, or the receive timeout expired).
    /// </summary>
    public bool TryReceive(Span<byte> buffer, out int size, out bool more, bool dontWait = false)
    {
        var flags = dontWait ? LibZmq.DontWait : 0;
        var socket = Acquire();
        try
        {
            fixed (byte* data = buffer)
            {
                while (true)
                {
                    var received = LibZmq.zmq_recv(socket, data, (nuint)buffer.Length, flags);
                    if (received >= 0)
                    {
                        size = received;
                        more = ReadMore(socket);
                        return true;
                    }

                    var error = Marshal.GetLastPInvokeError();
                    if (error == LibZmq.EAgain)
                    {
                        size = 0;
                        more = false;
                        return false;
                    }

                    if (error != LibZmq.EIntr)
                    {
                        throw new ZmqException(error, "zmq_recv");
                    }
                }
            }
        }
        finally
        {
            Release();
        }
    }

    /// <summary>Receives one frame of any size, waiting as long as the receive timeout allows.</summary>
    public byte[] ReceiveFrame()
    {
        if (!TryReceiveFrame(0, out var frame, out _))
        {
            throw new ZmqException(LibZmq.EAgain, "zmq_msg_recv");
        }

        return frame;
    }

    public bool TryReceiveFrame(out byte[] frame, bool dontWait = false) =>
        TryReceiveFrame(dontWait ? LibZmq.DontWait : 0, out frame, out _);

    /// <summary>Receives every frame of the next message (libzmq delivers multipart messages atomically).</summary>
    public List<byte[]> ReceiveMultipart()
    {
        var frames = new List<byte[]>();
        bool more;
        do
        {
            if (!TryReceiveFrame(0, out var frame, out more))
            {
                throw new ZmqException(LibZmq.EAgain, "zmq_msg_recv");
            }

            frames.Add(frame);
        }
        while (more);

        return frames;
    }

    public void SendMultipart(params byte[][] frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        if (frames.Length == 0)
        {
            throw new ArgumentException("A message needs at least one frame.", nameof(frames));
        }

        for (var i = 0; i < frames.Length; i++)
        {
            Send(frames[i], more: i < frames.Length - 1);
        }
    }

    public void Dispose()
    {
        if (_handle.IsClosed)
        {
            return;
        }

        _handle.Dispose();
        _context.Forget(this);
    }

    /// <summary>Takes a handle reference so the native socket cannot be closed mid-call; pair with <see cref="Release"/>.</summary>
    internal nint Acquire()
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        var added = false;
        _handle.DangerousAddRef(ref added);
        return _handle.DangerousGetHandle();
    }

    internal void Release() => _handle.DangerousRelease();

    private bool TryReceiveFrame(int flags, out byte[] frame, out bool more)
    {
        var socket = Acquire();
        ZmqMsg message;
        LibZmq.zmq_msg_init(&message);
        try
        {
            while (LibZmq.zmq_msg_recv(&message, socket, flags) < 0)
            {
                var error = Marshal.GetLastPInvokeError();
                if (error == LibZmq.EAgain)
                {
                    frame = [];
                    more = false;
                    return false;
                }

                if (error != LibZmq.EIntr)
                {
                    throw new ZmqException(error, "zmq_msg_recv");
                }
            }

            var size = LibZmq.zmq_msg_size(&message);
            if (size > (nuint)Array.MaxLength)
            {
                throw new InvalidOperationException($"A {size}-byte frame does not fit in a byte array.");
            }

            frame = size == 0 ? [] : new ReadOnlySpan<byte>(LibZmq.zmq_msg_data(&message), (int)size).ToArray();
            more = LibZmq.zmq_msg_more(&message) != 0;
            return true;
        }
        finally
        {
            LibZmq.zmq_msg_close(&message);
            Release();
        }
    }

    private static bool ReadMore(nint socket)
    {
        int value;
        var length = (nuint)sizeof(int);
        Check(LibZmq.zmq_getsockopt(socket, LibZmq.RcvMore, &value, &length), "zmq_getsockopt(ZMQ_RCVMORE)");
        return value != 0;
    }

    private int GetInt(int option, string name)
    {
        int value;
        var length = (nuint)sizeof(int);
        var socket = Acquire();
        try
        {
            Check(LibZmq.zmq_getsockopt(socket, option, &value, &length), "zmq_getsockopt", name);
        }
        finally
        {
            Release();
        }

        return value;
    }

    private void SetInt(int option, int value, string name)
    {
        var socket = Acquire();
        try
        {
            Check(LibZmq.zmq_setsockopt(socket, option, &value, sizeof(int)), "zmq_setsockopt", name);
        }
        finally
        {
            Release();
        }
    }

    private void SetBytes(int option, ReadOnlySpan<byte> value, string name)
    {
        var socket = Acquire();
        try
        {
            fixed (byte* data = value)
            {
                Check(LibZmq.zmq_setsockopt(socket, option, data, (nuint)value.Length), "zmq_setsockopt", name);
            }
        }
        finally
        {
            Release();
        }
    }

    private static void EncodeKey(string key, Span<byte> destination, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(key, parameterName);

        // Checked here because a non-ASCII char would otherwise encode as '?', itself a Z85 digit.
        if (key.Length != CurveKeyLength || !Ascii.IsValid(key))
        {
            throw new ArgumentException($"A Z85 CURVE key is {CurveKeyLength} ASCII characters.", parameterName);
        }

        Encoding.ASCII.GetBytes(key, destination);
    }

    private static void Check(int result, string operation)
    {
        if (result != 0)
        {
            throw ZmqException.FromLastError(operation);
        }
    }

    // A signal landing during the call (EINTR) is not a failure of the endpoint: the call is made again.
    private static void Endpoint(Func<nint, string, int> call, nint socket, string endpoint, string operation)
    {
        while (call(socket, endpoint) != 0)
        {
            if (Marshal.GetLastPInvokeError() != LibZmq.EIntr)
            {
                throw ZmqException.FromLastError($"{operation}({endpoint})");
            }
        }
    }

    // The detail is only formatted on failure, so the success path stays allocation-free.
    private static void Check(int result, string operation, string detail)
    {
        if (result != 0)
        {
            throw ZmqException.FromLastError($"{operation}({detail})");
        }
    }
}
