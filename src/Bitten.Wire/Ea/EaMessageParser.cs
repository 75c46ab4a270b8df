using System.Text;
using System.Text.Json;
using Bitten.Domain.Primitives;

namespace Bitten.Wire.Ea;

/// <summary>The result of parsing one EA frame: a message, or the reason it was refused.</summary>
public readonly record struct EaParseResult(EaMessage? Message, RejectReason Reason)
{
    public bool IsValid => Reason == RejectReason.None;

    public static EaParseResult Reject(RejectReason reason) => new(null, reason);
}

/// <summary>
/// Parses every EA → server message of PRODUCT.md §3 into records. Market-port frames go through the same
/// <see cref="MarketFrameParser"/> the bridge uses, so both agree on every rule; the low-rate command and
/// confirmation messages (HELLO, HEARTBEAT, confirmation, close_confirmation, pong) use a JsonDocument.
/// </summary>
public static class EaMessageParser
{
    public static EaParseResult Parse(ReadOnlySpan<byte> json)
    {
        Span<byte> scratch = stackalloc byte[MarketFrameParser.ScratchBytes];
        var reason = MarketFrameParser.Parse(json, scratch, out var frame);
        if (reason != RejectReason.None)
        {
            return EaParseResult.Reject(reason);
        }

        var uuid = frame.Source.IsEmpty ? null : Encoding.UTF8.GetString(frame.Source);
        switch (frame.Type)
        {
            case EaMessageType.Tick:
                return new(new EaTick(uuid, Encoding.UTF8.GetString(frame.Symbol), frame.Bid, frame.Ask, frame.Spread, frame.Volume, frame.TimestampMs, frame.TimestampKind), RejectReason.None);
            case EaMessageType.Ohlc:
                return new(new EaBar(uuid, Encoding.UTF8.GetString(frame.Symbol), frame.Timeframe, frame.BarOpenTimeMs, frame.Open, frame.High, frame.Low, frame.Close, frame.TickVolume), RejectReason.None);
            case EaMessageType.TelemetryHeartbeat or EaMessageType.Handshake or EaMessageType.Disconnect:
                return new(new EaTelemetry(frame.Type, uuid, frame.HasUtcOffset ? frame.UtcOffsetSeconds : null), RejectReason.None);
        }

        try
        {
            // MQL5's StringToCharArray leaves a NUL terminator; the market parser accepts it, so must this pass.
            using var document = JsonDocument.Parse(json.TrimEnd("\0 \t\r\n"u8).ToArray());
            var root = document.RootElement;
            return frame.Type switch
            {
                EaMessageType.Hello => ParseHello(root),
                EaMessageType.Heartbeat => ParseHeartbeat(root),
                EaMessageType.Confirmation => ParseConfirmation(root),
                EaMessageType.CloseConfirmation => ParseCloseConfirmation(root),
                EaMessageType.Pong => ParsePong(root),
                _ => EaParseResult.Reject(RejectReason.UnknownType),
            };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a string with invalid UTF-8 or a lone surrogate.
            return EaParseResult.Reject(RejectReason.NotJson);
        }
        catch (FieldException e)
        {
            return EaParseResult.Reject(e.Reason);
        }
    }

    private static EaParseResult ParseHello(JsonElement root)
    {
        var uuid = Uuid(root);
        var positions = root.TryGetProperty("positions", out var p) && p.ValueKind == JsonValueKind.Array ? Positions(p) : [];
        var symbols = new List<SymbolSpecReport>();
        if (root.TryGetProperty("symbols", out var s) && s.ValueKind == JsonValueKind.Array)
        {
            foreach (var spec in s.EnumerateArray())
            {
                symbols.Add(new SymbolSpecReport(
                    RequiredString(spec, "symbol"),
                    (int)Number(spec, "digits", 5),
                    Number(spec, "point", 0),
                    Money(spec, "tick_value"),
                    Number(spec, "tick_size", 0),
                    Money(spec, "volume_min", 0.01m),
                    Money(spec, "volume_step", 0.01m),
                    Money(spec, "volume_max", 100m),
                    (int)Number(spec, "stops_level", 0)));
            }
        }

        return new(new EaHello(uuid, OptionalString(root, "node_id"), OptionalString(root, "version"), OptionalString(root, "pairing_code"),
            Account(root), positions, symbols, Timestamp(root), RecentFireIds(root)), RejectReason.None);
    }

    private static EaParseResult ParseHeartbeat(JsonElement root)
    {
        var positions = root.TryGetProperty("positions", out var p) && p.ValueKind == JsonValueKind.Array ? Positions(p) : null;
        return new(new EaHeartbeat(Uuid(root), OptionalString(root, "node_id"), Account(root), positions, Timestamp(root), RecentFireIds(root)), RejectReason.None);
    }

    private static EaParseResult ParseConfirmation(JsonElement root)
    {
        var status = RequiredString(root, "status");
        var success = status switch
        {
            "success" => true,
            "failed" => false,
            _ => throw new FieldException(RejectReason.WrongFieldType),
        };
        return new(new FireConfirmation(RequiredString(root, "fire_id"), OptionalString(root, "user_uuid"), success,
            (long)Number(root, "ticket", 0), Number(root, "price", 0), Money(root, "lot"), OptionalString(root, "message"),
            Account(root), Timestamp(root)), RejectReason.None);
    }

    private static EaParseResult ParseCloseConfirmation(JsonElement root) =>
        new(new CloseConfirmation(OptionalString(root, "fire_id"), OptionalString(root, "user_uuid"), (long)RequiredNumber(root, "ticket"),
            Number(root, "close_price", 0), Money(root, "profit"), OptionalString(root, "message"), Account(root)), RejectReason.None);

    private static EaParseResult ParsePong(JsonElement root) =>
        new(new EaPong(RequiredString(root, "ping_id"), OptionalString(root, "user_uuid")), RejectReason.None);

    private static string Uuid(JsonElement root) =>
        OptionalString(root, "target_uuid") ?? OptionalString(root, "user_uuid") ?? OptionalString(root, "uuid")
        ?? throw new FieldException(RejectReason.MissingField);

    private static AccountReport Account(JsonElement root) => new(
        Money(root, "balance"),
        Money(root, "equity"),
        Money(root, "margin"),
        Money(root, "free_margin"),
        Money(root, "margin_level"),
        OptionalString(root, "currency"),
        (int)Number(root, "leverage", 0),
        OptionalString(root, "account_login") ?? OptionalString(root, "account"),
        OptionalString(root, "broker"));

    /// <summary>The optional <c>recent_fire_ids</c> array; entries that are not strings are skipped.</summary>
    private static List<string>? RecentFireIds(JsonElement root)
    {
        if (!root.TryGetProperty("recent_fire_ids", out var array) || array.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var ids = new List<string>();
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String && item.GetString() is { Length: > 0 } id)
            {
                ids.Add(id);
            }
        }

        return ids;
    }

    private static List<EaPosition> Positions(JsonElement array)
    {
        var positions = new List<EaPosition>();
        foreach (var p in array.EnumerateArray())
        {
            positions.Add(new EaPosition(
                (long)RequiredNumber(p, "ticket"),
                OptionalString(p, "fire_id"),
                RequiredString(p, "symbol"),
                RequiredString(p, "direction"),
                Money(p, "volume"),
                Number(p, "open_price", 0),
                Number(p, "sl", 0),
                Number(p, "tp", 0),
                Money(p, "profit", Money(p, "pnl"))));
        }

        return positions;
    }

    private static long Timestamp(JsonElement root)
    {
        if (!root.TryGetProperty("timestamp", out var t) || t.ValueKind == JsonValueKind.Null)
        {
            return 0;
        }

        var ok = t.ValueKind switch
        {
            JsonValueKind.Number => EaTimestamp.TryFromNumber(t.GetDouble(), out var ms, out _) ? ms : -1,
            JsonValueKind.String => EaTimestamp.TryFromText(Encoding.UTF8.GetBytes(t.GetString()!), out var ms, out _) ? ms : -1,
            _ => -1,
        };
        return ok >= 0 ? ok : throw new FieldException(RejectReason.BadTimestamp);
    }

    private static string RequiredString(JsonElement e, string name) =>
        OptionalString(e, name) ?? throw new FieldException(RejectReason.MissingField);

    private static string? OptionalString(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        // EAs built by string concatenation send logins and tickets as either strings or numbers.
        return v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            _ => throw new FieldException(RejectReason.WrongFieldType),
        };
    }

    private static double RequiredNumber(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? ToDouble(v) : throw new FieldException(RejectReason.MissingField);

    private static double Number(JsonElement e, string name, double fallback) =>
        e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? ToDouble(v) : fallback;

    private static decimal Money(JsonElement e, string name, decimal fallback = 0m)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return fallback;
        }

        if (v.ValueKind == JsonValueKind.Number && v.TryGetDecimal(out var d))
        {
            return d;
        }

        if (v.ValueKind == JsonValueKind.String && decimal.TryParse(v.GetString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out d))
        {
            return d;
        }

        throw new FieldException(RejectReason.WrongFieldType);
    }

    private static double ToDouble(JsonElement v)
    {
        if (v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && double.IsFinite(d))
        {
            return d;
        }

        if (v.ValueKind == JsonValueKind.String && double.TryParse(v.GetString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out d) && double.IsFinite(d))
        {
            return d;
        }

        throw new FieldException(RejectReason.WrongFieldType);
    }

    private sealed class FieldException(RejectReason reason) : Exception(reason.Code())
    {
        public RejectReason Reason { get; } = reason;
    }
}
