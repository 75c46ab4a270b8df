using System.Runtime.InteropServices;

namespace Bitten.Zmq;

internal sealed class ZmqContextHandle : SafeHandle
{
    public ZmqContextHandle()
        : base(0, ownsHandle: true)
    {
        var raw = LibZmq.zmq_ctx_new();
        if (raw == 0)
        {
            throw ZmqException.FromLastError("zmq_ctx_new");
        }

        SetHandle(raw);
    }

    public override bool IsInvalid => handle == 0;

    // Runs only once every socket handle has released its reference (see ZmqSocketHandle),
    // so zmq_ctx_term cannot block waiting for sockets, not even on the finalizer thread.
    protected override bool ReleaseHandle()
    {
        while (LibZmq.zmq_ctx_term(handle) != 0)
        {
            if (Marshal.GetLastPInvokeError() != LibZmq.EIntr)
            {
                return false;
            }
        }

        return true;
    }
}

internal sealed class ZmqSocketHandle : SafeHandle
{
    private readonly ZmqContextHandle _context;

    public ZmqSocketHandle(ZmqContextHandle context, int type)
        : base(0, ownsHandle: true)
    {
        _context = context;

        // Holding a reference on the context handle orders finalization/disposal: the context
        // is terminated only after its last socket is closed.
        var added = false;
        context.DangerousAddRef(ref added);
        try
        {
            var raw = LibZmq.zmq_socket(context.DangerousGetHandle(), type);
            if (raw == 0)
            {
                throw ZmqException.FromLastError("zmq_socket");
            }

            SetHandle(raw);
        }
        catch
        {
            context.DangerousRelease();
            throw;
        }
    }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        var closed = LibZmq.zmq_close(handle) == 0;
        _context.DangerousRelease();
        return closed;
    }
}
