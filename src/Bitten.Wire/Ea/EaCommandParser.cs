using System.Text.Json;
using Bitten.Domain.Signals;

namespace Bitten.Wire.Ea;

/// <summary>
/// The EA side's reading of server → EA commands (PRODUCT.md §3). Strict on types — a number sent as a string is
/// refused, because an EA must never trade on a guess — and never throws on bad input: a refused command comes
/// back as null with a reason the EA can put in its failed confirmation. Unknown fields are ignored.
/// </summary>
public static class EaCommandParser
{
    public static EaCommand? Parse(ReadOnlySpan<byte> json, out string error)
    {
        try
        {
            // MQL5 strings carry a NUL terminator; accept it as the message parser does.
            using var document = JsonDocument.Parse(json.TrimEnd("\0 \t\r\n"u8).ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "a command must be a JSON object";
                return null;
            }

            return Read(root, out error);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            // InvalidOperationException: a string with invalid UTF-8 or a lone surrogate.
            error = "not JSON";
            return null;
        }
    }

    private static EaCommand? Read(JsonElement root, out string error)
    {
        if (!TryString(root, "type", required: true, out var type, out error))
        {
            return null;
        }

        switch (type)
        {
            case "fire":
                if (!TryString(root, "target_uuid", true, out var target, out error)
                    || !TryString(root, "fire_id", true, out var fireId, out error)
                    || !TryString(root, "symbol", true, out var symbol, out error))
                {
                    return null;
                }

                if (!root.TryGetProperty("direction", out var d) || d.ValueKind != JsonValueKind.String
                    || !Directions.TryParse(d.GetString(), out var direction))
                {
                    error = "direction must be BUY or SELL";
                    return null;
                }

                // entry is 0 (market) in every fire we send; anything else would be a pending order we do not do.
                if (root.TryGetProperty("entry", out var entry) && !(entry.ValueKind == JsonValueKind.Number && entry.GetDouble() == 0))
                {
                    error = "entry must be 0 (market orders only)";
                    return null;
                }

                if (!TryPrice(root, "sl", out var sl, out error) || !TryPrice(root, "tp", out var tp, out error))
                {
                    return null;
                }

                if (!root.TryGetProperty("lot", out var l) || l.ValueKind != JsonValueKind.Number || !l.TryGetDecimal(out var lot) || lot <= 0)
                {
                    error = "lot must be a positive number";
                    return null;
                }

                error = "";
                return new FireCommand(target!, fireId!, symbol!, direction, sl, tp, lot);
            case "close_ticket":
                if (!TryString(root, "target_uuid", true, out target, out error)
                    || !TryString(root, "fire_id", false, out fireId, out error))
                {
                    return null;
                }

                if (!root.TryGetProperty("ticket", out var t) || t.ValueKind != JsonValueKind.Number || !t.TryGetInt64(out var ticket) || ticket <= 0)
                {
                    error = "ticket must be a positive integer";
                    return null;
                }

                error = "";
                return new CloseTicketCommand(target!, fireId, ticket);
            case "close_all":
                return TryString(root, "target_uuid", true, out target, out error) ? new CloseAllCommand(target!) : null;
            case "ping":
                if (!TryString(root, "target_uuid", false, out target, out error))
                {
                    return null;
                }

                // The seed server sent ping_id as a number at times; the pong echoes it either way.
                if (!root.TryGetProperty("ping_id", out var p) || p.ValueKind is not (JsonValueKind.String or JsonValueKind.Number))
                {
                    error = "missing ping_id";
                    return null;
                }

                var pingId = p.ValueKind == JsonValueKind.String ? p.GetString()! : p.GetRawText();
                if (pingId.Length == 0)
                {
                    error = "missing ping_id";
                    return null;
                }

                error = "";
                return new PingCommand(target ?? "", pingId);
            default:
                error = $"unknown command type '{type}'";
                return null;
        }
    }

    /// <summary>A string field; when required it must also be non-empty. Absent or null optional → null.</summary>
    private static bool TryString(JsonElement root, string name, bool required, out string? value, out string error)
    {
        value = null;
        error = "";
        if (!root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                error = $"missing {name}";
                return false;
            }

            return true;
        }

        if (v.ValueKind != JsonValueKind.String)
        {
            error = $"{name} must be a string";
            return false;
        }

        value = v.GetString()!;
        if (required && value.Length == 0)
        {
            error = $"missing {name}";
            return false;
        }

        return true;
    }

    /// <summary>An absolute SL/TP price: a finite number, 0 meaning none (as in MT5).</summary>
    private static bool TryPrice(JsonElement root, string name, out double price, out string error)
    {
        price = 0;
        if (!root.TryGetProperty(name, out var v))
        {
            error = $"missing {name}";
            return false;
        }

        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out price) || !double.IsFinite(price) || price < 0)
        {
            error = $"{name} must be a non-negative number";
            return false;
        }

        error = "";
        return true;
    }
}
