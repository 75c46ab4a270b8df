using System.Runtime.InteropServices;

namespace Bitten.Zmq;

/// <summary>A libzmq call failed; <see cref="ErrorCode"/> is the errno it reported.</summary>
public sealed class ZmqException : Exception
{
    public ZmqException(int errorCode, string operation)
        : base($"{operation} failed: {LibZmq.StrError(errorCode)}")
    {
        ErrorCode = errorCode;
    }

    public int ErrorCode { get; }

    /// <summary>
    /// The context was shut down while the operation was pending; the usual signal for a
    /// worker thread to close its socket and exit.
    /// </summary>
    public bool IsContextTerminated => ErrorCode == LibZmq.ETerm;

    internal static ZmqException FromLastError(string operation) =>
        new(Marshal.GetLastPInvokeError(), operation);
}
