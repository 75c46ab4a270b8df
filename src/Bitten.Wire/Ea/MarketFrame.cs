using Bitten.Domain.Market;

namespace Bitten.Wire.Ea;

/// <summary>
/// The fields of one market-port message (TICK, OHLC, heartbeat, handshake, DISCONNECT), read in place:
/// the spans point into the frame (or the caller's scratch buffer when the JSON string was escaped).
/// </summary>
public ref struct MarketFrame
{
    public EaMessageType Type;

    /// <summary>The symbol as sent; <see cref="Bitten.Domain.Primitives.SymbolRegistry"/> normalises case.</summary>
    public ReadOnlySpan<byte> Symbol;

    /// <summary>Which EA sent it: <c>user_uuid</c>, else <c>node_id</c>; empty for the seed form.</summary>
    public ReadOnlySpan<byte> Source;

    public double Bid;
    public double Ask;
    public double Spread;
    public double Volume;

    /// <summary>Unix ms; for <see cref="TimestampKind.BrokerTime"/> still in broker time (offset not applied).</summary>
    public long TimestampMs;
    public TimestampKind TimestampKind;

    public Timeframe Timeframe;
    public long BarOpenTimeMs;
    public double Open;
    public double High;
    public double Low;
    public double Close;
    public long TickVolume;

    public bool HasUtcOffset;
    public int UtcOffsetSeconds;
}
