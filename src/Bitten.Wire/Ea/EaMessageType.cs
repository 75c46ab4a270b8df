namespace Bitten.Wire.Ea;

/// <summary>The <c>type</c> of an EA → server message (PRODUCT.md §3). The case of some names matters:
/// the v2.05 EA sends <c>heartbeat</c> on the market socket and <c>HEARTBEAT</c> on the command socket.</summary>
public enum EaMessageType
{
    Unknown = 0,
    Tick,
    Ohlc,
    TelemetryHeartbeat,
    Handshake,
    Disconnect,
    Hello,
    Heartbeat,
    Confirmation,
    CloseConfirmation,
    Pong,
}

public static class EaMessageTypes
{
    public static EaMessageType Parse(ReadOnlySpan<byte> type) => type switch
    {
        _ when type.SequenceEqual("TICK"u8) || type.SequenceEqual("tick"u8) => EaMessageType.Tick,
        _ when type.SequenceEqual("OHLC"u8) || type.SequenceEqual("ohlc"u8) => EaMessageType.Ohlc,
        _ when type.SequenceEqual("heartbeat"u8) => EaMessageType.TelemetryHeartbeat,
        _ when type.SequenceEqual("HEARTBEAT"u8) => EaMessageType.Heartbeat,
        _ when type.SequenceEqual("handshake"u8) || type.SequenceEqual("HANDSHAKE"u8) => EaMessageType.Handshake,
        _ when type.SequenceEqual("DISCONNECT"u8) || type.SequenceEqual("disconnect"u8) => EaMessageType.Disconnect,
        _ when type.SequenceEqual("HELLO"u8) || type.SequenceEqual("hello"u8) => EaMessageType.Hello,
        _ when type.SequenceEqual("confirmation"u8) => EaMessageType.Confirmation,
        _ when type.SequenceEqual("close_confirmation"u8) => EaMessageType.CloseConfirmation,
        _ when type.SequenceEqual("pong"u8) => EaMessageType.Pong,
        _ => EaMessageType.Unknown,
    };

    /// <summary>Messages an EA PUSHes to the market-data port (5556).</summary>
    public static bool IsMarketPortType(this EaMessageType type) =>
        type is EaMessageType.Tick or EaMessageType.Ohlc or EaMessageType.TelemetryHeartbeat
            or EaMessageType.Handshake or EaMessageType.Disconnect;
}
