using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Bitten.Domain.Events;

namespace Bitten.Wire.Events;

/// <summary>
/// The event JSON of PRODUCT.md §7: <c>{event_type, timestamp, source, data{}, correlation_id?, user_id?, session_id?}</c>,
/// written with the timestamp in Unix ms and validated per type as the original's <c>event_schema.py</c> meant to,
/// fixed so that our own events pass: <c>pattern_type</c> must be present (and is, in ours), <c>trade_executed</c>
/// needs a ticket ≥ 1 and an open price (ours always carry both), <c>system_health</c> allows <c>degraded</c>, and a
/// timestamp may be the original's float epoch seconds or Unix ms.
/// </summary>
/// <remarks>
/// Every rejection is a short code: <c>not_json</c>, <c>not_object</c>, <c>unknown_type</c>, <c>missing:&lt;field&gt;</c>
/// or <c>invalid:&lt;field&gt;</c>, where a data field is named <c>data.&lt;field&gt;</c>. Field names come from the
/// rules, never from the input, so a counter per code stays small whatever producers send.
/// </remarks>
public static class EventJson
{
    /// <summary>Below this a timestamp is epoch seconds (1e11 s is the year 5138; 1e11 ms is 1973).</summary>
    private const double SecondsBelow = 1e11;

    /// <summary>Above this (in ms, the year 5138) a timestamp is nonsense.</summary>
    private const double MaxMs = 1e14;

    // Relaxed escaping keeps non-ASCII text and '+', '<' as they are: smaller rows, and nothing here is embedded in HTML.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly string[] Directions = ["BUY", "SELL"];
    private static readonly string[] ExecutionModes = ["MANUAL", "AUTO", "SEMI_AUTO"];
    private static readonly string[] HealthStatuses = ["starting", "running", "stopping", "error", "degraded"];

    /// <summary>The envelope as UTF-8 JSON; the data is embedded as it is (already compact JSON).</summary>
    public static byte[] Write(EventEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var buffer = new ArrayBufferWriter<byte>(128 + envelope.DataJson.Length);
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("event_type"u8, envelope.EventType);
            json.WriteNumber("timestamp"u8, envelope.TimestampMs);
            json.WriteString("source"u8, envelope.Source);
            json.WritePropertyName("data"u8);
            json.WriteRawValue(envelope.DataJson);
            if (envelope.CorrelationId is not null)
            {
                json.WriteString("correlation_id"u8, envelope.CorrelationId);
            }

            if (envelope.UserId is not null)
            {
                json.WriteString("user_id"u8, envelope.UserId);
            }

            if (envelope.SessionId is not null)
            {
                json.WriteString("session_id"u8, envelope.SessionId);
            }

            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A data object written by <paramref name="write"/> (properties only), as the compact JSON an envelope holds.</summary>
    public static string Data(Action<Utf8JsonWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        // The kernel thread writes a thousand of these per signal: one buffer and writer per thread, reset each time,
        // instead of a new pair per event. A write nested inside another (none today) gets a pair of its own.
        var scratch = t_scratch is { InUse: false } cached ? cached : new DataScratch();
        t_scratch ??= scratch;
        scratch.InUse = true;
        try
        {
            scratch.Buffer.ResetWrittenCount();
            scratch.Writer.Reset(scratch.Buffer);
            scratch.Writer.WriteStartObject();
            write(scratch.Writer);
            scratch.Writer.WriteEndObject();
            scratch.Writer.Flush();
            return Encoding.UTF8.GetString(scratch.Buffer.WrittenSpan);
        }
        finally
        {
            scratch.InUse = false;
            if (ReferenceEquals(scratch, t_scratch) && scratch.Buffer.Capacity > 64 * 1024)
            {
                // One huge event must not pin its buffer to the thread for ever.
                t_scratch = null;
            }
        }
    }

    [ThreadStatic]
    private static DataScratch? t_scratch;

    private sealed class DataScratch
    {
        public ArrayBufferWriter<byte> Buffer { get; } = new(256);

        public Utf8JsonWriter Writer { get; }

        public bool InUse { get; set; }

        public DataScratch() => Writer = new Utf8JsonWriter(Buffer, WriterOptions);
    }

    /// <summary>
    /// Reads and validates one event. Returns null with a short reason code in <paramref name="error"/> for anything
    /// invalid; a valid event comes back with its timestamp in Unix ms and its data re-written compactly.
    /// </summary>
    public static EventEnvelope? Parse(ReadOnlySpan<byte> json, out string error)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!JsonDocument.TryParseValue(ref reader, out var parsed) || parsed is null)
            {
                error = "not_json";
                return null;
            }

            document = parsed;
            // Anything after the value (a second object, garbage) makes the frame not one JSON value.
            if (reader.Read())
            {
                document.Dispose();
                error = "not_json";
                return null;
            }
        }
        catch (JsonException)
        {
            error = "not_json";
            return null;
        }

        using (document)
        {
            return Validate(document.RootElement, out error);
        }
    }

    private static EventEnvelope? Validate(JsonElement root, out string error)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = "not_object";
            return null;
        }

        var check = new Check(root, "");
        var eventType = check.Text("event_type", 100);
        var timestampMs = check.Timestamp("timestamp");
        var source = check.Text("source", 100);
        var correlationId = check.OptionalText("correlation_id", 200);
        var userId = check.OptionalId("user_id", 50);
        var sessionId = check.OptionalText("session_id", 100);
        if (check.Error is not null)
        {
            error = check.Error;
            return null;
        }

        if (!EventTypes.IsKnown(eventType))
        {
            error = "unknown_type";
            return null;
        }

        if (!root.TryGetProperty("data"u8, out var data))
        {
            error = "missing:data";
            return null;
        }

        if (data.ValueKind != JsonValueKind.Object)
        {
            error = "invalid:data";
            return null;
        }

        var rules = new Check(data, "data.");
        ValidateData(eventType!, ref rules);
        if (rules.Error is not null)
        {
            error = rules.Error;
            return null;
        }

        error = "";
        return new EventEnvelope(eventType!, timestampMs, source!, Compact(data), correlationId, userId, sessionId);
    }

    private static void ValidateData(string eventType, ref Check data)
    {
        switch (eventType)
        {
            case EventTypes.SignalGenerated:
                data.Text(EventFields.SignalId, 200);
                data.Text(EventFields.Symbol, 10);
                data.OneOf(EventFields.Direction, Directions);
                data.Number(EventFields.Confidence, 0, 100);
                data.Text(EventFields.PatternType, 100);
                data.OptionalNumber(EventFields.EntryPrice, 0);
                data.OptionalNumber(EventFields.StopPips, 0);
                data.OptionalNumber(EventFields.TargetPips, 0);
                data.OptionalTimestamp(EventFields.ExpiresAt);
                break;
            case EventTypes.FireCommand:
                data.Text(EventFields.FireId, 200);
                data.Text(EventFields.SignalId, 200);
                data.Id(EventFields.UserId, 50);
                data.Text(EventFields.Symbol, 10);
                data.OneOf(EventFields.Direction, Directions);
                data.Number(EventFields.LotSize, 0.01);
                data.OneOf(EventFields.ExecutionMode, ExecutionModes);
                data.OptionalNumber(EventFields.SlPrice, 0);
                data.OptionalNumber(EventFields.TpPrice, 0);
                break;
            case EventTypes.TradeExecuted:
                data.Text(EventFields.FireId, 200);
                data.Integer(EventFields.Ticket, 1);
                data.Text(EventFields.Symbol, 10);
                data.OneOf(EventFields.Direction, Directions);
                data.Number(EventFields.Volume, 0.01);
                data.Number(EventFields.OpenPrice, 0);
                data.Timestamp(EventFields.ExecutionTime);
                data.OptionalNumber(EventFields.SlPrice, 0);
                data.OptionalNumber(EventFields.TpPrice, 0);
                break;
            case EventTypes.BalanceUpdate:
                data.Id(EventFields.UserId, 50);
                data.Id(EventFields.AccountNumber, 50);
                data.Number(EventFields.Balance, 0);
                data.Number(EventFields.Equity, 0);
                data.OptionalNumber(EventFields.Margin, 0);
                data.OptionalNumber(EventFields.FreeMargin, double.MinValue);
                break;
            case EventTypes.SystemHealth:
                data.Text(EventFields.Component, 100);
                data.OneOf(EventFields.Status, HealthStatuses);
                data.OptionalNumber(EventFields.Uptime, 0);
                data.OptionalNumber(EventFields.MemoryUsage, 0);
                data.OptionalNumber(EventFields.CpuUsage, 0);
                data.OptionalText(EventFields.Message, 500);
                break;
            case EventTypes.MarketData:
                data.Text(EventFields.Symbol, 10);
                data.Number(EventFields.Bid, 0);
                data.Number(EventFields.Ask, 0);
                data.Timestamp(EventFields.Timestamp);
                data.OptionalInteger(EventFields.Volume, 0);
                break;
            case EventTypes.UserAction:
                data.Id(EventFields.UserId, 50);
                data.Text(EventFields.Action, 100);
                data.OptionalText(EventFields.Target, 200);
                data.OptionalText(EventFields.Value, 500);
                data.OptionalText(EventFields.Previous, 500);
                data.OptionalText(EventFields.Ip, 100);
                data.OptionalText(EventFields.UserAgent, 500);
                break;
            case EventTypes.PatternDetected:
                data.Text(EventFields.Symbol, 10);
                data.Text(EventFields.PatternType, 100);
                data.OptionalNumber(EventFields.Confidence, 0, 100);
                break;
            case EventTypes.SignalExpired:
            case EventTypes.SignalResolved:
                data.Text(EventFields.SignalId, 200);
                data.OptionalText(EventFields.Outcome, 50);
                break;
            case EventTypes.MissionCreated:
                data.Text(EventFields.MissionId, 200);
                data.Text(EventFields.SignalId, 200);
                data.Id(EventFields.UserId, 50);
                break;
            case EventTypes.FireFailed:
            case EventTypes.RiskBlocked:
            case EventTypes.SlotReleased:
                data.Id(EventFields.UserId, 50);
                data.Text(EventFields.Reason, 200);
                break;
            case EventTypes.PositionClosed when data.Has(EventFields.Ticket):
                data.Integer(EventFields.Ticket, 1);
                data.OptionalText(EventFields.FireId, 200);
                break;
            case EventTypes.PositionClosed:
                // A fire executed and closed while the server was away: its ticket was never heard, its fire id says which.
                data.Text(EventFields.FireId, 200);
                break;
        }
    }

    private static string Compact(JsonElement data)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            data.WriteTo(json);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static long? ToMs(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            return null;
        }

        if (value.TryGetInt64(out var whole))
        {
            if (whole <= 0 || whole > MaxMs)
            {
                return null;
            }

            return whole < SecondsBelow ? whole * 1000 : whole;
        }

        if (!value.TryGetDouble(out var number) || !double.IsFinite(number) || number <= 0 || number > MaxMs)
        {
            return null;
        }

        return (long)Math.Round(number < SecondsBelow ? number * 1000 : number, MidpointRounding.AwayFromZero);
    }

    /// <summary>Field checks over one object; the first failure is kept and later checks do nothing.</summary>
    private ref struct Check(JsonElement obj, string prefix)
    {
        private readonly JsonElement _obj = obj;
        private readonly string _prefix = prefix;

        public string? Error { get; private set; }

        public readonly bool Has(string name) => _obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

        public string? Text(string name, int maxLength) => Text(name, maxLength, required: true);

        public string? OptionalText(string name, int maxLength) => Text(name, maxLength, required: false);

        /// <summary>An identifier: a non-empty string, or a whole number (our user ids and MT5 logins are numbers).</summary>
        public string? Id(string name, int maxLength) => Id(name, maxLength, required: true);

        public string? OptionalId(string name, int maxLength) => Id(name, maxLength, required: false);

        public void OneOf(string name, string[] allowed)
        {
            var value = Text(name, 100);
            if (value is null)
            {
                return;
            }

            foreach (var candidate in allowed)
            {
                if (string.Equals(candidate, value, StringComparison.Ordinal))
                {
                    return;
                }
            }

            Fail("invalid:", name);
        }

        public void Number(string name, double min, double max = double.MaxValue) => Number(name, min, max, required: true);

        public void OptionalNumber(string name, double min, double max = double.MaxValue) => Number(name, min, max, required: false);

        public void Integer(string name, long min) => Integer(name, min, required: true);

        public void OptionalInteger(string name, long min) => Integer(name, min, required: false);

        public long Timestamp(string name) => Timestamp(name, required: true);

        public void OptionalTimestamp(string name) => Timestamp(name, required: false);

        private string? Text(string name, int maxLength, bool required)
        {
            if (!Find(name, required, out var value))
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 } text || text.Length > maxLength)
            {
                Fail("invalid:", name);
                return null;
            }

            return text;
        }

        private string? Id(string name, int maxLength, bool required)
        {
            if (!Find(name, required, out var value))
            {
                return null;
            }

            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) && number >= 0)
            {
                return number.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            if (value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text && text.Length <= maxLength)
            {
                return text;
            }

            Fail("invalid:", name);
            return null;
        }

        private void Number(string name, double min, double max, bool required)
        {
            if (Find(name, required, out var value)
                && (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number) || number < min || number > max))
            {
                Fail("invalid:", name);
            }
        }

        private void Integer(string name, long min, bool required)
        {
            if (Find(name, required, out var value)
                && (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number) || number < min))
            {
                Fail("invalid:", name);
            }
        }

        private long Timestamp(string name, bool required)
        {
            if (!Find(name, required, out var value))
            {
                return 0;
            }

            if (ToMs(value) is { } ms)
            {
                return ms;
            }

            Fail("invalid:", name);
            return 0;
        }

        /// <summary>True when the field is there to check; a missing required one fails, a missing (or null) optional one passes.</summary>
        private bool Find(string name, bool required, out JsonElement value)
        {
            if (Error is not null)
            {
                value = default;
                return false;
            }

            if (_obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
            {
                return true;
            }

            if (required)
            {
                Fail("missing:", name);
            }

            return false;
        }

        private void Fail(string kind, string name) => Error ??= kind + _prefix + name;
    }
}
