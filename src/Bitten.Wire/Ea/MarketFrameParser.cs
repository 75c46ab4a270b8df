using System.Text.Json;
using Bitten.Domain.Market;
using Bitten.Domain.Primitives;

namespace Bitten.Wire.Ea;

/// <summary>
/// Parses a market-port frame straight from its bytes with <see cref="Utf8JsonReader"/>: one pass, no strings,
/// no allocation for a valid frame. Everything invalid comes back as a <see cref="RejectReason"/>, never as an
/// exception, so one bad EA cannot take the bridge down. Unknown fields are ignored (newer EAs add some).
/// Price sanity (finite, positive, ask ≥ bid, jumps) is the validator's job, not the parser's.
/// </summary>
public static class MarketFrameParser
{
    /// <summary>Bytes the caller lends for strings that arrive JSON-escaped.</summary>
    public const int ScratchBytes = 384;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 16 };

    private const uint HasType = 1, HasSymbol = 2, HasBid = 4, HasAsk = 8, HasTimestamp = 16,
        HasTimeframe = 32, HasTime = 64, HasOpen = 128, HasHigh = 256, HasLow = 512, HasClose = 1024;

    public static RejectReason Parse(ReadOnlySpan<byte> json, Span<byte> scratch, out MarketFrame frame)
    {
        frame = default;
        if (json.IsEmpty || IsWhiteSpace(json))
        {
            return RejectReason.EmptyFrame;
        }

        try
        {
            return ParseObject(json, scratch, ref frame);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: the reader refuses to unescape invalid UTF-8 or lone surrogates.
            frame = default;
            return RejectReason.NotJson;
        }
    }

    private static RejectReason ParseObject(ReadOnlySpan<byte> json, Span<byte> scratch, ref MarketFrame frame)
    {
        // isFinalBlock: false makes an incomplete document end Read() with false instead of throwing,
        // which is how a truncated frame is told apart from garbage.
        var reader = new Utf8JsonReader(json, isFinalBlock: false, new JsonReaderState(ReaderOptions));
        if (!reader.Read())
        {
            return RejectReason.Truncated;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return RejectReason.NotAnObject;
        }

        uint seen = 0;
        var scratchUsed = 0;
        var source = RejectReason.None;
        ReadOnlySpan<byte> nodeId = default;
        while (true)
        {
            if (!reader.Read())
            {
                return RejectReason.Truncated;
            }

            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            // The token is a property name; ValueTextEquals also copes with escaped names.
            var field = Field.Other;
            if (reader.ValueTextEquals("type"u8)) field = Field.Type;
            else if (reader.ValueTextEquals("symbol"u8)) field = Field.Symbol;
            else if (reader.ValueTextEquals("bid"u8)) field = Field.Bid;
            else if (reader.ValueTextEquals("ask"u8)) field = Field.Ask;
            else if (reader.ValueTextEquals("timestamp"u8)) field = Field.Timestamp;
            else if (reader.ValueTextEquals("spread"u8)) field = Field.Spread;
            else if (reader.ValueTextEquals("volume"u8)) field = Field.Volume;
            else if (reader.ValueTextEquals("user_uuid"u8)) field = Field.UserUuid;
            else if (reader.ValueTextEquals("node_id"u8)) field = Field.NodeId;
            else if (reader.ValueTextEquals("timeframe"u8)) field = Field.Timeframe;
            else if (reader.ValueTextEquals("time"u8)) field = Field.Time;
            else if (reader.ValueTextEquals("open"u8)) field = Field.Open;
            else if (reader.ValueTextEquals("high"u8)) field = Field.High;
            else if (reader.ValueTextEquals("low"u8)) field = Field.Low;
            else if (reader.ValueTextEquals("close"u8)) field = Field.Close;
            else if (reader.ValueTextEquals("tick_volume"u8)) field = Field.TickVolume;
            else if (reader.ValueTextEquals("utc_offset_seconds"u8)) field = Field.UtcOffset;

            if (!reader.Read())
            {
                return RejectReason.Truncated;
            }

            var tokenType = reader.TokenType;
            if (field == Field.Other || tokenType == JsonTokenType.Null)
            {
                if (!reader.TrySkip())
                {
                    return RejectReason.Truncated;
                }

                continue;
            }

            switch (field)
            {
                case Field.Type:
                    if (tokenType != JsonTokenType.String)
                    {
                        return RejectReason.WrongFieldType;
                    }

                    frame.Type = EaMessageTypes.Parse(reader.ValueIsEscaped ? ReadString(ref reader, scratch, ref scratchUsed) : reader.ValueSpan);
                    if (frame.Type == EaMessageType.Unknown)
                    {
                        return RejectReason.UnknownType;
                    }

                    seen |= HasType;
                    break;
                case Field.Symbol:
                    if (tokenType != JsonTokenType.String)
                    {
                        return RejectReason.WrongFieldType;
                    }

                    // An escape takes at most six bytes per character, so this bounds the unescaped length too.
                    if (reader.ValueSpan.Length > SymbolRegistry.MaxSymbolBytes * (reader.ValueIsEscaped ? 6 : 1))
                    {
                        return RejectReason.SymbolTooLong;
                    }

                    frame.Symbol = reader.ValueIsEscaped ? ReadString(ref reader, scratch, ref scratchUsed) : reader.ValueSpan;
                    if (frame.Symbol.Length > SymbolRegistry.MaxSymbolBytes)
                    {
                        return RejectReason.SymbolTooLong;
                    }

                    if (frame.Symbol.IsEmpty)
                    {
                        return RejectReason.MissingField;
                    }

                    seen |= HasSymbol;
                    break;
                case Field.UserUuid or Field.NodeId:
                    if (tokenType != JsonTokenType.String)
                    {
                        source = RejectReason.WrongFieldType;
                        break;
                    }

                    if (reader.ValueSpan.Length <= 64)
                    {
                        var id = reader.ValueIsEscaped ? ReadString(ref reader, scratch, ref scratchUsed) : reader.ValueSpan;
                        if (field == Field.UserUuid) frame.Source = id;
                        else nodeId = id;
                    }

                    break;
                case Field.Timestamp:
                    if (tokenType == JsonTokenType.Number)
                    {
                        if (!reader.TryGetDouble(out var number) || !EaTimestamp.TryFromNumber(number, out frame.TimestampMs, out frame.TimestampKind))
                        {
                            return RejectReason.BadTimestamp;
                        }
                    }
                    else if (tokenType == JsonTokenType.String)
                    {
                        if (reader.ValueIsEscaped || !EaTimestamp.TryFromText(reader.ValueSpan, out frame.TimestampMs, out frame.TimestampKind))
                        {
                            return RejectReason.BadTimestamp;
                        }
                    }
                    else
                    {
                        return RejectReason.WrongFieldType;
                    }

                    seen |= HasTimestamp;
                    break;
                case Field.Timeframe:
                    if (tokenType != JsonTokenType.String)
                    {
                        return RejectReason.WrongFieldType;
                    }

                    if (!Timeframes.TryParse(reader.ValueSpan, out frame.Timeframe))
                    {
                        return RejectReason.WrongFieldType;
                    }

                    seen |= HasTimeframe;
                    break;
                case Field.Time:
                    if (tokenType != JsonTokenType.Number)
                    {
                        return RejectReason.WrongFieldType;
                    }

                    if (!reader.TryGetDouble(out var barTime) || !EaTimestamp.TryFromNumber(barTime, out frame.BarOpenTimeMs, out _))
                    {
                        return RejectReason.BadTimestamp;
                    }

                    seen |= HasTime;
                    break;
                case Field.UtcOffset:
                    if (tokenType != JsonTokenType.Number || !reader.TryGetInt32(out frame.UtcOffsetSeconds) || Math.Abs(frame.UtcOffsetSeconds) > 14 * 3600)
                    {
                        return RejectReason.WrongFieldType;
                    }

                    frame.HasUtcOffset = true;
                    break;
                case Field.TickVolume:
                    if (tokenType != JsonTokenType.Number || !reader.TryGetInt64(out frame.TickVolume))
                    {
                        return RejectReason.WrongFieldType;
                    }

                    break;
                default:
                    // The remaining fields are all numbers: prices, spread, volume.
                    if (tokenType != JsonTokenType.Number)
                    {
                        return RejectReason.WrongFieldType;
                    }

                    if (!reader.TryGetDouble(out var value) || !double.IsFinite(value))
                    {
                        return RejectReason.NonFinitePrice;
                    }

                    switch (field)
                    {
                        case Field.Bid: frame.Bid = value; seen |= HasBid; break;
                        case Field.Ask: frame.Ask = value; seen |= HasAsk; break;
                        case Field.Spread: frame.Spread = value; break;
                        case Field.Volume: frame.Volume = value; break;
                        case Field.Open: frame.Open = value; seen |= HasOpen; break;
                        case Field.High: frame.High = value; seen |= HasHigh; break;
                        case Field.Low: frame.Low = value; seen |= HasLow; break;
                        case Field.Close: frame.Close = value; seen |= HasClose; break;
                    }

                    break;
            }
        }

        if (!IsWhiteSpace(json[(int)reader.BytesConsumed..]))
        {
            return RejectReason.NotJson;
        }

        if ((seen & HasType) == 0)
        {
            return RejectReason.MissingType;
        }

        if (frame.Source.IsEmpty)
        {
            frame.Source = nodeId;
        }

        const uint tickFields = HasSymbol | HasBid | HasAsk | HasTimestamp;
        const uint barFields = HasSymbol | HasTimeframe | HasTime | HasOpen | HasHigh | HasLow | HasClose;
        return frame.Type switch
        {
            EaMessageType.Tick when (seen & tickFields) != tickFields => RejectReason.MissingField,
            EaMessageType.Ohlc when (seen & barFields) != barFields => RejectReason.MissingField,
            EaMessageType.Ohlc => CheckBar(in frame),
            _ => source,
        };
    }

    private static RejectReason CheckBar(in MarketFrame frame)
    {
        if (frame.Open <= 0 || frame.High <= 0 || frame.Low <= 0 || frame.Close <= 0)
        {
            return RejectReason.NonPositivePrice;
        }

        return frame.High < Math.Max(frame.Open, frame.Close) || frame.Low > Math.Min(frame.Open, frame.Close)
            ? RejectReason.InconsistentBar
            : RejectReason.None;
    }

    private static ReadOnlySpan<byte> ReadString(scoped ref Utf8JsonReader reader, Span<byte> scratch, scoped ref int used)
    {
        var target = scratch[used..];
        // Unescaping never lengthens a string, so this bound makes CopyString safe from throwing.
        if (target.Length < reader.ValueSpan.Length)
        {
            return default;
        }

        var written = reader.CopyString(target);
        used += written;
        return target[..written];
    }

    private static bool IsWhiteSpace(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0))
            {
                return false;
            }
        }

        return true;
    }

    private enum Field
    {
        Other,
        Type,
        Symbol,
        Bid,
        Ask,
        Timestamp,
        Spread,
        Volume,
        UserUuid,
        NodeId,
        Timeframe,
        Time,
        Open,
        High,
        Low,
        Close,
        TickVolume,
        UtcOffset,
    }
}
