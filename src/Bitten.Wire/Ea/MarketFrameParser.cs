using System.Buffers.Text;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Bitten.Domain.Market;
using Bitten.Domain.Primitives;

[assembly: InternalsVisibleTo("Bitten.Wire.Tests")]
[assembly: InternalsVisibleTo("Bitten.Benchmarks")]

namespace Bitten.Wire.Ea;

/// <summary>
/// Parses a market-port frame straight from its bytes: no strings, no allocation for a valid frame. Everything
/// invalid comes back as a <see cref="RejectReason"/>, never as an exception, so one bad EA cannot take the bridge
/// down. Unknown fields are ignored (newer EAs add some). Price sanity (finite, positive, ask ≥ bid, jumps) is the
/// validator's job, not the parser's.
/// </summary>
/// <remarks>
/// Two paths give one answer. EA frames are flat objects of plain ASCII strings and numbers, and a scanner for
/// exactly that shape is several times faster than <see cref="Utf8JsonReader"/>. Anything outside it — an escape,
/// a nested value, non-ASCII, a malformed or cut-short document — goes to the reader, which has the last word on
/// JSON. Both feed the same field rules (<see cref="Apply"/>), and a differential test holds them equal.
/// </remarks>
public static class MarketFrameParser
{
    /// <summary>Bytes the caller lends for strings that arrive JSON-escaped.</summary>
    public const int ScratchBytes = 384;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 16 };

    private static readonly double[] PowersOfTen =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
        1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    private const uint HasType = 1, HasSymbol = 2, HasBid = 4, HasAsk = 8, HasTimestamp = 16,
        HasTimeframe = 32, HasTime = 64, HasOpen = 128, HasHigh = 256, HasLow = 512, HasClose = 1024;

    public static RejectReason Parse(ReadOnlySpan<byte> json, Span<byte> scratch, out MarketFrame frame)
    {
        if (TryParseFlat(json, out frame, out var reason))
        {
            return reason;
        }

        return ParseWithReader(json, scratch, out frame);
    }

    /// <summary>The general path, on <see cref="Utf8JsonReader"/>: any valid JSON, and every way of being invalid.</summary>
    internal static RejectReason ParseWithReader(ReadOnlySpan<byte> json, Span<byte> scratch, out MarketFrame frame)
    {
        frame = default;
        if (json.IsEmpty || IsWhiteSpace(json))
        {
            return RejectReason.EmptyFrame;
        }

        try
        {
            var reason = ParseObject(json, scratch, ref frame);
            if (reason == RejectReason.None && !IsInteroperable(json))
            {
                frame = default;
                return RejectReason.NotJson;
            }

            return reason;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: the reader refuses to unescape invalid UTF-8 or lone surrogates.
            frame = default;
            return RejectReason.NotJson;
        }
    }

    /// <summary>
    /// Whether every subscriber's parser can read the frame we would republish: UTF-8 throughout (RFC 8259 §8.1) and
    /// no \u escape of a lone surrogate. The reader checks neither in the fields it skips, so a frame it accepts may
    /// still break Python's json.loads downstream. Only the reader's frames need this: the fast path takes printable
    /// ASCII without escapes alone.
    /// </summary>
    internal static bool IsInteroperable(ReadOnlySpan<byte> json)
    {
        if (!System.Text.Unicode.Utf8.IsValid(json))
        {
            return false;
        }

        // Backslashes occur only inside strings of a document the reader accepted, each starting one escape.
        var i = json.IndexOf((byte)'\\');
        var pendingHigh = false;
        while (i >= 0 && i + 1 < json.Length)
        {
            var isUnicode = json[i + 1] == (byte)'u' && i + 5 < json.Length;
            var unit = isUnicode ? HexValue(json.Slice(i + 2, 4)) : -1;
            var isLow = unit is >= 0xDC00 and <= 0xDFFF;
            if (pendingHigh != isLow)
            {
                // A high surrogate not followed by a low one, or a low one with no high one before it.
                return false;
            }

            pendingHigh = unit is >= 0xD800 and <= 0xDBFF;
            var next = i + (isUnicode ? 6 : 2);
            if (pendingHigh && (next >= json.Length || json[next] != (byte)'\\'))
            {
                return false;
            }

            if (next >= json.Length)
            {
                break;
            }

            var rest = json[next..].IndexOf((byte)'\\');
            i = rest < 0 ? -1 : next + rest;
        }

        return !pendingHigh;
    }

    private static int HexValue(ReadOnlySpan<byte> hex)
    {
        var value = 0;
        foreach (var c in hex)
        {
            var digit = c switch
            {
                >= (byte)'0' and <= (byte)'9' => c - '0',
                >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
                _ => -1,
            };
            if (digit < 0)
            {
                return -1;
            }

            value = (value << 4) | digit;
        }

        return value;
    }

    /// <summary>
    /// The fast path. Returns false, leaving the decision to the reader, for anything but a complete flat object
    /// of unescaped ASCII strings, JSON numbers, true, false and null.
    /// </summary>
    internal static bool TryParseFlat(ReadOnlySpan<byte> json, out MarketFrame frame, out RejectReason reason)
    {
        frame = default;
        var result = default(MarketFrame);
        reason = RejectReason.None;
        var state = default(FieldState);
        var i = SkipWhiteSpace(json, 0);
        if (i >= json.Length || json[i] != (byte)'{')
        {
            return false;
        }

        i = SkipWhiteSpace(json, i + 1);
        if (i < json.Length && json[i] == (byte)'}')
        {
            i++;
        }
        else
        {
            while (true)
            {
                if (!TryScanString(json, ref i, out var name))
                {
                    return false;
                }

                i = SkipWhiteSpace(json, i);
                if (i >= json.Length || json[i] != (byte)':')
                {
                    return false;
                }

                i = SkipWhiteSpace(json, i + 1);
                if (i >= json.Length)
                {
                    return false;
                }

                Token token;
                ReadOnlySpan<byte> value;
                switch (json[i])
                {
                    case (byte)'"':
                        if (!TryScanString(json, ref i, out value))
                        {
                            return false;
                        }

                        token = Token.String;
                        break;
                    case (byte)'t' when json[i..].StartsWith("true"u8):
                        token = Token.True;
                        value = default;
                        i += 4;
                        break;
                    case (byte)'f' when json[i..].StartsWith("false"u8):
                        token = Token.False;
                        value = default;
                        i += 5;
                        break;
                    case (byte)'n' when json[i..].StartsWith("null"u8):
                        token = Token.Null;
                        value = default;
                        i += 4;
                        break;
                    default:
                        if (!TryScanNumber(json, ref i, out value))
                        {
                            return false;
                        }

                        token = Token.Number;
                        break;
                }

                // Only a separator may follow a value ("truex" or "1.2.3" is the reader's to judge).
                i = SkipWhiteSpace(json, i);
                if (i >= json.Length || json[i] is not ((byte)',' or (byte)'}'))
                {
                    return false;
                }

                if (reason == RejectReason.None)
                {
                    // Like the reader, the first bad field decides; the rest of the document must still be sound JSON.
                    reason = Apply(Classify(name), token, value, ref result, ref state);
                }

                if (json[i++] == (byte)'}')
                {
                    break;
                }

                i = SkipWhiteSpace(json, i);
            }
        }

        if (!IsWhiteSpace(json[i..]))
        {
            return false;
        }

        if (reason == RejectReason.None)
        {
            reason = Finish(ref result, ref state);
            frame = result;
        }

        return true;
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

        var state = default(FieldState);
        var scratchUsed = 0;
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

            // The token is a property name. Escaped names (legal, but no EA sends them) are unescaped first.
            var field = reader.ValueIsEscaped ? ClassifyEscaped(ref reader) : Classify(reader.ValueSpan);
            if (!reader.Read())
            {
                return RejectReason.Truncated;
            }

            var token = reader.TokenType switch
            {
                JsonTokenType.String => Token.String,
                JsonTokenType.Number => Token.Number,
                JsonTokenType.True => Token.True,
                JsonTokenType.False => Token.False,
                JsonTokenType.Null => Token.Null,
                _ => Token.Structure,
            };
            ReadOnlySpan<byte> value = default;
            if (token == Token.String && field != Field.Other)
            {
                value = reader.ValueIsEscaped ? ReadString(ref reader, scratch, ref scratchUsed) : reader.ValueSpan;
            }
            else if (token == Token.Number)
            {
                value = reader.ValueSpan;
            }

            var reason = Apply(field, token, value, ref frame, ref state);
            if (reason != RejectReason.None)
            {
                frame = default;
                return reason;
            }

            if (token == Token.Structure && !reader.TrySkip())
            {
                return RejectReason.Truncated;
            }
        }

        if (!IsWhiteSpace(json[(int)reader.BytesConsumed..]))
        {
            frame = default;
            return RejectReason.NotJson;
        }

        return Finish(ref frame, ref state);
    }

    /// <summary>The rules for one field, shared by both paths. <paramref name="value"/> is an unescaped string or a number's text.</summary>
    private static RejectReason Apply(Field field, Token token, ReadOnlySpan<byte> value, ref MarketFrame frame, ref FieldState state)
    {
        if (field == Field.Other || token == Token.Null)
        {
            return RejectReason.None;
        }

        switch (field)
        {
            case Field.Type:
                if (token != Token.String)
                {
                    return RejectReason.WrongFieldType;
                }

                frame.Type = EaMessageTypes.Parse(value);
                if (frame.Type == EaMessageType.Unknown)
                {
                    return RejectReason.UnknownType;
                }

                state.Seen |= HasType;
                return RejectReason.None;
            case Field.Symbol:
                if (token != Token.String)
                {
                    return RejectReason.WrongFieldType;
                }

                if (value.Length > SymbolRegistry.MaxSymbolBytes)
                {
                    return RejectReason.SymbolTooLong;
                }

                if (value.IsEmpty)
                {
                    return RejectReason.MissingField;
                }

                if (!SymbolRegistry.IsValidName(value))
                {
                    return RejectReason.BadSymbol;
                }

                frame.Symbol = value;
                state.Seen |= HasSymbol;
                return RejectReason.None;
            case Field.UserUuid or Field.NodeId:
                if (token != Token.String)
                {
                    // Decided at the end: a tick with a malformed id is still refused, after its own checks.
                    state.Source = RejectReason.WrongFieldType;
                }
                else if (value.Length <= 64)
                {
                    if (field == Field.UserUuid)
                    {
                        frame.Source = value;
                    }
                    else
                    {
                        state.NodeId = value;
                    }
                }

                return RejectReason.None;
            case Field.Timestamp:
                if (token == Token.Number)
                {
                    return TryNumber(value, out var number) && EaTimestamp.TryFromNumber(number, out frame.TimestampMs, out frame.TimestampKind)
                        ? Seen(ref state, HasTimestamp)
                        : RejectReason.BadTimestamp;
                }

                if (token == Token.String)
                {
                    return EaTimestamp.TryFromText(value, out frame.TimestampMs, out frame.TimestampKind)
                        ? Seen(ref state, HasTimestamp)
                        : RejectReason.BadTimestamp;
                }

                return RejectReason.WrongFieldType;
            case Field.Timeframe:
                if (token != Token.String)
                {
                    return RejectReason.WrongFieldType;
                }

                return Timeframes.TryParse(value, out frame.Timeframe) ? Seen(ref state, HasTimeframe) : RejectReason.UnknownTimeframe;
            case Field.Time:
                if (token != Token.Number)
                {
                    return RejectReason.WrongFieldType;
                }

                return TryNumber(value, out var barTime) && EaTimestamp.TryFromNumber(barTime, out frame.BarOpenTimeMs, out _)
                    ? Seen(ref state, HasTime)
                    : RejectReason.BadTimestamp;
            case Field.UtcOffset:
                if (token != Token.Number || !Utf8Parser.TryParse(value, out frame.UtcOffsetSeconds, out var used) || used != value.Length
                    || Math.Abs(frame.UtcOffsetSeconds) > 14 * 3600)
                {
                    return RejectReason.WrongFieldType;
                }

                frame.HasUtcOffset = true;
                return RejectReason.None;
            case Field.TickVolume:
                return token == Token.Number && Utf8Parser.TryParse(value, out frame.TickVolume, out used) && used == value.Length
                    ? RejectReason.None
                    : RejectReason.WrongFieldType;
            default:
                // The remaining fields are all numbers: prices, spread, volume.
                if (token != Token.Number)
                {
                    return RejectReason.WrongFieldType;
                }

                if (!TryNumber(value, out var price))
                {
                    return RejectReason.NonFinitePrice;
                }

                switch (field)
                {
                    case Field.Bid: frame.Bid = price; return Seen(ref state, HasBid);
                    case Field.Ask: frame.Ask = price; return Seen(ref state, HasAsk);
                    case Field.Spread: frame.Spread = price; return RejectReason.None;
                    case Field.Volume: frame.Volume = price; return RejectReason.None;
                    case Field.Open: frame.Open = price; return Seen(ref state, HasOpen);
                    case Field.High: frame.High = price; return Seen(ref state, HasHigh);
                    case Field.Low: frame.Low = price; return Seen(ref state, HasLow);
                    default: frame.Close = price; return Seen(ref state, HasClose);
                }
        }
    }

    private static RejectReason Seen(ref FieldState state, uint flag)
    {
        state.Seen |= flag;
        return RejectReason.None;
    }

    private static RejectReason Finish(ref MarketFrame frame, ref FieldState state)
    {
        if ((state.Seen & HasType) == 0)
        {
            frame = default;
            return RejectReason.MissingType;
        }

        if (frame.Source.IsEmpty)
        {
            frame.Source = state.NodeId;
        }

        const uint tickFields = HasSymbol | HasBid | HasAsk | HasTimestamp;
        const uint barFields = HasSymbol | HasTimeframe | HasTime | HasOpen | HasHigh | HasLow | HasClose;
        return frame.Type switch
        {
            EaMessageType.Tick when (state.Seen & tickFields) != tickFields => RejectReason.MissingField,
            EaMessageType.Ohlc when (state.Seen & barFields) != barFields => RejectReason.MissingField,
            EaMessageType.Ohlc => CheckBar(in frame),
            _ => state.Source,
        };
    }

    /// <summary>
    /// A JSON number's text to a finite double. Prices and times (at most 15 significant digits, no exponent) take
    /// Clinger's fast path — an exact integer divided by an exact power of ten is correctly rounded, so it equals
    /// what double.Parse gives; anything else goes to the general parser.
    /// </summary>
    private static bool TryNumber(ReadOnlySpan<byte> text, out double value)
    {
        ulong mantissa = 0;
        var digits = 0;
        var decimals = -1;
        var i = text.Length > 0 && text[0] == (byte)'-' ? 1 : 0;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (c is >= (byte)'0' and <= (byte)'9')
            {
                mantissa = (mantissa * 10) + (ulong)(c - '0');
                if (mantissa != 0)
                {
                    digits++;
                }

                if (decimals >= 0)
                {
                    decimals++;
                }
            }
            else if (c == (byte)'.' && decimals < 0)
            {
                decimals = 0;
            }
            else
            {
                break;
            }
        }

        if (i == text.Length && digits <= 15 && decimals <= 22)
        {
            // At most 15 digits: the mantissa fits a long, and long → double is one instruction (ulong is not).
            value = decimals > 0 ? (long)mantissa / PowersOfTen[decimals] : (long)mantissa;
            if (text[0] == (byte)'-')
            {
                value = -value;
            }

            return true;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
    }

    /// <summary>Names the field by length, then bytes: one comparison instead of a chain of seventeen.</summary>
    private static Field Classify(ReadOnlySpan<byte> name) => name.Length switch
    {
        3 when name.SequenceEqual("bid"u8) => Field.Bid,
        3 when name.SequenceEqual("ask"u8) => Field.Ask,
        3 when name.SequenceEqual("low"u8) => Field.Low,
        4 when name.SequenceEqual("type"u8) => Field.Type,
        4 when name.SequenceEqual("time"u8) => Field.Time,
        4 when name.SequenceEqual("open"u8) => Field.Open,
        4 when name.SequenceEqual("high"u8) => Field.High,
        5 when name.SequenceEqual("close"u8) => Field.Close,
        6 when name.SequenceEqual("symbol"u8) => Field.Symbol,
        6 when name.SequenceEqual("spread"u8) => Field.Spread,
        6 when name.SequenceEqual("volume"u8) => Field.Volume,
        7 when name.SequenceEqual("node_id"u8) => Field.NodeId,
        9 when name.SequenceEqual("timestamp"u8) => Field.Timestamp,
        9 when name.SequenceEqual("user_uuid"u8) => Field.UserUuid,
        9 when name.SequenceEqual("timeframe"u8) => Field.Timeframe,
        11 when name.SequenceEqual("tick_volume"u8) => Field.TickVolume,
        18 when name.SequenceEqual("utc_offset_seconds"u8) => Field.UtcOffset,
        _ => Field.Other,
    };

    private static Field ClassifyEscaped(scoped ref Utf8JsonReader reader)
    {
        // Unescaping never lengthens a name, so a name this long unescaped cannot be one of ours.
        if (reader.ValueSpan.Length > 192)
        {
            return Field.Other;
        }

        Span<byte> name = stackalloc byte[192];
        return Classify(name[..reader.CopyString(name)]);
    }

    private static RejectReason CheckBar(in MarketFrame frame)
    {
        if (frame.Open <= 0 || frame.High <= 0 || frame.Low <= 0 || frame.Close <= 0)
        {
            return RejectReason.NonPositivePrice;
        }

        if (frame.High < Math.Max(frame.Open, frame.Close) || frame.Low > Math.Min(frame.Open, frame.Close))
        {
            return RejectReason.InconsistentBar;
        }

        // A bar opens on its period's clock boundary (an M5 bar at :00, :05 …): anything else is not a bar we can place.
        return frame.BarOpenTimeMs % frame.Timeframe.DurationMs() == 0 ? RejectReason.None : RejectReason.MisalignedBar;
    }

    private static ReadOnlySpan<byte> ReadString(scoped ref Utf8JsonReader reader, Span<byte> scratch, scoped ref int used)
    {
        var target = scratch[used..];
        // Unescaping never lengthens a string, so this bound makes CopyString safe from throwing.
        if (target.Length < reader.ValueSpan.Length)
        {
            // Longer than any field we keep could be: the field rules refuse it by length.
            return scratch[..Math.Min(scratch.Length, SymbolRegistry.MaxSymbolBytes + 1)];
        }

        var written = reader.CopyString(target);
        used += written;
        return target[..written];
    }

    /// <summary>A string of printable ASCII without escapes, starting at the quote at <paramref name="i"/>.</summary>
    private static bool TryScanString(ReadOnlySpan<byte> json, scoped ref int i, out ReadOnlySpan<byte> value)
    {
        value = default;
        if (i >= json.Length || json[i] != (byte)'"')
        {
            return false;
        }

        var start = i + 1;
        var end = json[start..].IndexOfAny((byte)'"', (byte)'\\');
        if (end < 0 || json[start + end] != (byte)'"')
        {
            return false;
        }

        value = json.Slice(start, end);
        if (value.ContainsAnyExceptInRange((byte)' ', (byte)'~'))
        {
            return false;
        }

        i = start + end + 1;
        return true;
    }

    /// <summary>A number by the JSON grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?</summary>
    private static bool TryScanNumber(ReadOnlySpan<byte> json, scoped ref int i, out ReadOnlySpan<byte> value)
    {
        var start = i;
        value = default;
        if (i < json.Length && json[i] == (byte)'-')
        {
            i++;
        }

        if (i >= json.Length)
        {
            return false;
        }

        if (json[i] == (byte)'0')
        {
            i++;
        }
        else if (!ScanDigits(json, ref i))
        {
            return false;
        }

        if (i < json.Length && json[i] == (byte)'.')
        {
            i++;
            if (!ScanDigits(json, ref i))
            {
                return false;
            }
        }

        if (i < json.Length && json[i] is (byte)'e' or (byte)'E')
        {
            i++;
            if (i < json.Length && json[i] is (byte)'+' or (byte)'-')
            {
                i++;
            }

            if (!ScanDigits(json, ref i))
            {
                return false;
            }
        }

        value = json[start..i];
        return true;
    }

    private static bool ScanDigits(ReadOnlySpan<byte> json, ref int i)
    {
        var start = i;
        while (i < json.Length && json[i] is >= (byte)'0' and <= (byte)'9')
        {
            i++;
        }

        return i > start;
    }

    private static int SkipWhiteSpace(ReadOnlySpan<byte> json, int i)
    {
        while (i < json.Length && json[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            i++;
        }

        return i;
    }

    /// <summary>JSON white space, and NUL: MQL5's StringToCharArray leaves a terminator behind.</summary>
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

    private ref struct FieldState
    {
        public uint Seen;
        public RejectReason Source;
        public ReadOnlySpan<byte> NodeId;
    }

    private enum Token
    {
        String,
        Number,
        True,
        False,
        Null,
        Structure,
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
