namespace Bitten.Zmq;

/// <summary>
/// The zmq_socket_monitor events a monitor PAIR reads (libzmq 4.3's ZMQ_EVENT_* values). Each event is two frames:
/// six bytes (the event as a 16-bit and its value as a 32-bit number, native byte order), then the peer's endpoint.
/// </summary>
[Flags]
public enum ZmqMonitorEvent
{
    None = 0,
    Connected = 0x0001,
    Accepted = 0x0020,
    Disconnected = 0x0200,
    HandshakeFailedNoDetail = 0x0800,
    HandshakeSucceeded = 0x1000,
    HandshakeFailedProtocol = 0x2000,
    HandshakeFailedAuth = 0x4000,
    HandshakeFailed = HandshakeFailedNoDetail | HandshakeFailedProtocol | HandshakeFailedAuth,
}

/// <summary>The value libzmq gives a <see cref="ZmqMonitorEvent.HandshakeFailedProtocol"/> (ZMQ_PROTOCOL_ERROR_ZMTP_*).</summary>
public static class ZmqProtocolError
{
    /// <summary>The peer's CURVE box did not open: it holds another server key (or is not CURVE at all but says so).</summary>
    public const uint Cryptographic = 0x11000001;

    /// <summary>The peer speaks another security mechanism: a plain (NULL) client at a CURVE server.</summary>
    public const uint MechanismMismatch = 0x11000002;
}
