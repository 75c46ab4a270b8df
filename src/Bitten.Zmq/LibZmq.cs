using System.Runtime.InteropServices;

namespace Bitten.Zmq;

/// <summary>
/// Raw libzmq entry points. Socket calls take the raw pointer rather than the SafeHandle so
/// the managed wrappers can take one handle reference for a whole operation (send, errno
/// check, EINTR retry, RCVMORE query) instead of one per native call.
/// </summary>
internal static unsafe partial class LibZmq
{
    private const string Library = "libzmq.so.5";

    public const int EIntr = 4;
    public const int EAgain = 11;
    public const int HausNumero = 156384712;
    public const int ETerm = HausNumero + 53;

    public const int DontWait = 1;
    public const int SndMore = 2;

    public const int IoThreads = 1;
    public const int MaxSockets = 2;

    public const int RoutingId = 5;
    public const int Subscribe = 6;
    public const int Unsubscribe = 7;
    public const int RcvMore = 13;
    public const int Linger = 17;
    public const int SndHwm = 23;
    public const int RcvHwm = 24;
    public const int RcvTimeo = 27;
    public const int SndTimeo = 28;
    public const int LastEndpoint = 32;
    public const int RouterMandatory = 33;
    public const int Immediate = 39;
    public const int CurveServer = 47;
    public const int CurvePublicKey = 48;
    public const int CurveSecretKey = 49;
    public const int CurveServerKey = 50;
    public const int HeartbeatIvl = 75;
    public const int HeartbeatTtl = 76;
    public const int HeartbeatTimeout = 77;
    public const int ConnectTimeout = 79;

    public const short PollIn = 1;
    public const short PollOut = 2;

    [LibraryImport(Library)]
    public static partial void zmq_version(out int major, out int minor, out int patch);

    // errno is captured by the generated stub (SetLastError) because the runtime may touch the
    // thread's errno between our call returning and a follow-up zmq_errno() call.
    [LibraryImport(Library, SetLastError = true)]
    public static partial nint zmq_ctx_new();

    [LibraryImport(Library, SetLastError = true)]
    public static partial int zmq_ctx_set(nint context, int option, int value);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int zmq_ctx_shutdown(nint context);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int zmq_ctx_term(nint context);

    [LibraryImport(Library, SetLastError = true)]
    public static partial nint zmq_socket(nint context, int type);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int zmq_close(nint socket);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int zmq_bind(nint socket, string endpoint);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int zmq_connect(nint socket, string endpoint);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int zmq_unbind(nint socket, string endpoint);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int zmq_disconnect(nint socket, string endpoint);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int zmq_setsockopt(nint socket, int option, void* value, nuint length);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int zmq_getsockopt(nint socket, int option, void* value, nuint* length);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int zmq_send(nint socket, void* buffer, nuint length, int flags);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int zmq_recv(nint socket, void* buffer, nuint length, int flags);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int zmq_msg_init(ZmqMsg* message);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int zmq_msg_recv(ZmqMsg* message, nint socket, int flags);

    [LibraryImport(Library)]
    public static partial int zmq_msg_close(ZmqMsg* message);

    [LibraryImport(Library)]
    public static partial void* zmq_msg_data(ZmqMsg* message);

    [LibraryImport(Library)]
    public static partial nuint zmq_msg_size(ZmqMsg* message);

    [LibraryImport(Library)]
    public static partial int zmq_msg_more(ZmqMsg* message);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int zmq_poll(ZmqNativePollItem* items, int count, CLong timeout);

    // Returned as a raw pointer: a string return would be freed by the marshaller, but this
    // points at static storage inside libzmq/libc.
    [LibraryImport(Library)]
    public static partial byte* zmq_strerror(int errnum);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int zmq_socket_monitor(nint socket, string endpoint, int events);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int zmq_curve_keypair(byte* publicKey, byte* secretKey);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int zmq_curve_public(byte* publicKey, byte* secretKey);

    public static string StrError(int errnum) =>
        Marshal.PtrToStringUTF8((nint)zmq_strerror(errnum)) ?? $"errno {errnum}";
}

/// <summary>zmq_msg_t: 64 opaque bytes; longs give it the pointer alignment libzmq declares.</summary>
[StructLayout(LayoutKind.Sequential, Size = 64)]
internal unsafe struct ZmqMsg
{
    private fixed long _opaque[8];
}

/// <summary>zmq_pollitem_t on Linux: { void* socket; int fd; short events; short revents; }.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ZmqNativePollItem
{
    public nint Socket;
    public int Fd;
    public short Events;
    public short Revents;
}
