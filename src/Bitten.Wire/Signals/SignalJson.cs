using System.Buffers;
using System.Text.Json;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;

namespace Bitten.Wire.Signals;

/// <summary>
/// The signal JSON of PRODUCT.md §4 (seed 001 + 000 fields), as published on the signal port after the topic
/// <c>ELITE_GUARD_SIGNAL </c> and as accepted by <c>POST /api/signals</c>. Times are Unix ms; prices are already
/// rounded to the symbol's digits by the engine.
/// </summary>
public static class SignalJson
{
    public static ReadOnlySpan<byte> Topic => "ELITE_GUARD_SIGNAL "u8;

    public static void Write(Utf8JsonWriter json, Signal signal)
    {
        json.WriteStartObject();
        json.WriteString("signal_id"u8, signal.SignalId);
        json.WriteString("symbol"u8, signal.Symbol);
        json.WriteString("direction"u8, signal.Direction.WireName());
        json.WriteNumber("entry_price"u8, signal.EntryPrice);
        json.WriteNumber("sl"u8, signal.StopLoss);
        json.WriteNumber("tp"u8, signal.TakeProfit);
        json.WriteNumber("stop_pips"u8, signal.StopPips);
        json.WriteNumber("target_pips"u8, signal.TargetPips);
        json.WriteNumber("risk_reward"u8, signal.RiskReward);
        json.WriteNumber("confidence"u8, signal.Confidence);
        json.WriteString("pattern_type"u8, signal.PatternType.WireName());
        json.WriteString("signal_class"u8, signal.SignalClass.WireName());
        json.WriteNumber("citadel_score"u8, signal.CitadelScore);
        json.WriteString("session"u8, signal.Session);
        json.WriteNumber("timestamp"u8, signal.TimestampMs);
        json.WriteNumber("expires_at"u8, signal.ExpiresAtMs);
        json.WriteEndObject();
    }

    /// <summary>The frame for the signal port: topic, then the JSON.</summary>
    public static byte[] Frame(Signal signal)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        buffer.Write(Topic);
        using (var json = new Utf8JsonWriter(buffer))
        {
            Write(json, signal);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Reads a signal (with or without the topic prefix). An external signal names its symbol; the caller supplies
    /// the <see cref="SymbolId"/> and the receive time. Returns null with a reason for anything invalid.
    /// </summary>
    public static Signal? Parse(ReadOnlySpan<byte> frame, SymbolRegistry symbols, long receivedTimeMs, out string error)
    {
        if (frame.StartsWith(Topic))
        {
            frame = frame[Topic.Length..];
        }

        try
        {
            using var document = JsonDocument.Parse(frame.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "a signal is a JSON object";
                return null;
            }

            string Text(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s
                ? s
                : throw new FormatException($"'{name}' must be a non-empty string");
            double Number(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && double.IsFinite(d)
                ? d
                : throw new FormatException($"'{name}' must be a finite number");
            long Time(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var t) && t > 0
                ? t
                : throw new FormatException($"'{name}' must be a Unix time in ms");

            if (!Directions.TryParse(Text("direction"), out var direction))
            {
                throw new FormatException("'direction' must be BUY or SELL");
            }

            if (!PatternTypes.TryParse(Text("pattern_type"), out var pattern))
            {
                throw new FormatException($"'pattern_type' must be one of {string.Join(", ", PatternTypes.All.Select(p => p.WireName()))}");
            }

            if (root.TryGetProperty("signal_class", out var cls) && (!SignalClasses.TryParse(cls.GetString(), out var declared) || declared != pattern.Class()))
            {
                throw new FormatException($"'signal_class' of {pattern.WireName()} is {pattern.Class().WireName()}");
            }

            var symbol = Text("symbol").ToUpperInvariant();
            if (!SymbolRegistry.IsValidName(symbol))
            {
                throw new FormatException($"'symbol' must be 1-{SymbolRegistry.MaxSymbolBytes} characters of A-Z, 0-9 and . _ # -");
            }

            var id = symbols.GetOrAdd(symbol);

            var entry = Number("entry_price");
            var sl = Number("sl");
            var tp = Number("tp");
            var sign = direction.Sign();
            if (entry <= 0 || sl <= 0 || tp <= 0 || sign * (entry - sl) <= 0 || sign * (tp - entry) <= 0)
            {
                throw new FormatException($"for a {direction.WireName()} the stop must be on the losing side of the entry and the target on the winning side");
            }

            var confidence = Number("confidence");
            if (confidence is < 0 or > 100)
            {
                throw new FormatException("'confidence' must be between 0 and 100");
            }

            var timestamp = Time("timestamp");
            var expires = Time("expires_at");
            if (expires <= timestamp)
            {
                throw new FormatException("'expires_at' must be after 'timestamp'");
            }

            error = "";
            return new Signal(Text("signal_id"), symbol, id, direction, entry, sl, tp, Number("stop_pips"), Number("target_pips"),
                Number("risk_reward"), confidence, pattern, root.TryGetProperty("citadel_score", out _) ? Number("citadel_score") : 0,
                root.TryGetProperty("session", out _) ? Text("session") : "", timestamp, expires, receivedTimeMs);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            error = e is JsonException ? "not JSON" : e.Message;
            return null;
        }
    }
}
