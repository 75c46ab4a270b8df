using System.Runtime.InteropServices;

namespace Bitten.Zmq;

/// <summary>
/// A libzmq context. Thread-safe, unlike the sockets it creates. Disposing it closes every
/// socket it created that is still open, so shutdown never waits on a forgotten socket.
/// </summary>
public sealed class ZmqContext : IDisposable
{
    private readonly ZmqContextHandle _handle;
    private readonly Lock _lock = new();
    private readonly HashSet<ZmqSocket> _sockets = [];
    private bool _disposed;

    /// <param name="ioThreads">libzmq's I/O threads.</param>
    /// <param name="maxSockets">The most sockets open at once (libzmq's default is 1,023; a swarm of simulated EAs needs more).</param>
    public ZmqContext(int ioThreads = 1, int? maxSockets = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ioThreads);

        _handle = new ZmqContextHandle();
        Set(LibZmq.IoThreads, ioThreads, "ZMQ_IO_THREADS");
        if (maxSockets is { } max)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(max, 1, nameof(maxSockets));
            Set(LibZmq.MaxSockets, max, "ZMQ_MAX_SOCKETS");
        }
    }

    private void Set(int option, int value, string name)
    {
        if (LibZmq.zmq_ctx_set(_handle.DangerousGetHandle(), option, value) != 0)
        {
            var error = ZmqException.FromLastError($"zmq_ctx_set({name})");
            _handle.Dispose();
            throw error;
        }
    }

    public static Version LibraryVersion
    {
        get
        {
            LibZmq.zmq_version(out var major, out var minor, out var patch);
            return new Version(major, minor, patch);
        }
    }

    public ZmqSocket CreateSocket(ZmqSocketType type)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var socket = new ZmqSocket(this, new ZmqSocketHandle(_handle, (int)type), type);
            _sockets.Add(socket);
            return socket;
        }
    }

    public void Dispose()
    {
        ZmqSocket[] open;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            open = [.. _sockets];
            _sockets.Clear();
        }

        // Shutdown first: a socket blocked in send/receive on another thread returns ETERM,
        // which drops its handle reference so the close below can actually happen.
        _ = LibZmq.zmq_ctx_shutdown(_handle.DangerousGetHandle());

        foreach (var socket in open)
        {
            socket.Dispose();
        }

        // zmq_ctx_term runs here, or when the last in-flight socket call returns.
        _handle.Dispose();
    }

    internal void Forget(ZmqSocket socket)
    {
        lock (_lock)
        {
            _sockets.Remove(socket);
        }
    }
}
