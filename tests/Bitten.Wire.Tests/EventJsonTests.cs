using System.Text;
using System.Text.Json;
using Bitten.Domain.Events;
using Bitten.Wire.Events;

namespace Bitten.Wire.Tests;

public sealed class EventJsonTests
{
    private const long Ms = 1_763_000_000_123;

    /// <summary>A valid data object for every type, shaped as our own producers write them.</summary>
    public static readonly IReadOnlyDictionary<string, string> GoodData = new Dictionary<string, string>
    {
        [EventTypes.SignalGenerated] = """{"signal_id":"ELITE_RAPID_EURUSD_1763000000","symbol":"EURUSD","direction":"BUY","confidence":84.5,"pattern_type":"LIQUIDITY_SWEEP_REVERSAL","entry_price":1.08412,"stop_pips":10,"target_pips":15,"expires_at":1763001800000}""",
        [EventTypes.FireCommand] = """{"fire_id":"F1","signal_id":"S1","user_id":42,"symbol":"XAUUSD","direction":"SELL","lot_size":0.01,"execution_mode":"AUTO","sl_price":2401.5,"tp_price":2390.1}""",
        [EventTypes.TradeExecuted] = """{"fire_id":"F1","ticket":50000001,"symbol":"XAUUSD","direction":"SELL","volume":0.01,"open_price":2398.7,"execution_time":1763000000456}""",
        [EventTypes.BalanceUpdate] = """{"user_id":"42","account_number":88120042,"balance":10250.5,"equity":10190.2,"margin":12.5,"free_margin":-3.5}""",
        [EventTypes.SystemHealth] = """{"component":"bridge","status":"degraded","uptime":3600,"message":"silent EA: SIM_EA_001"}""",
        [EventTypes.UserAction] = """{"user_id":42,"action":"fire","details":{"mission_id":"M1"},"ip":"127.0.0.1"}""",
        [EventTypes.MarketData] = """{"symbol":"EURUSD","bid":1.08412,"ask":1.08425,"timestamp":1763000000.25,"volume":3}""",
        [EventTypes.PatternDetected] = """{"symbol":"EURUSD","pattern_type":"ORDER_BLOCK_BOUNCE","confidence":71}""",
        [EventTypes.SignalExpired] = """{"signal_id":"S1"}""",
        [EventTypes.SignalResolved] = """{"signal_id":"S1","outcome":"WIN","pips":15}""",
        [EventTypes.MissionCreated] = """{"mission_id":"M1","signal_id":"S1","user_id":42}""",
        [EventTypes.FireFailed] = """{"user_id":42,"reason":"no_free_slot","mission_id":"M1"}""",
        [EventTypes.PositionClosed] = """{"ticket":50000001,"fire_id":"F1","profit":12.3}""",
        [EventTypes.SlotReleased] = """{"user_id":42,"reason":"closed"}""",
        [EventTypes.RiskBlocked] = """{"user_id":42,"reason":"daily_loss_limit"}""",
    };

    public static TheoryData<string> AllTypes()
    {
        var data = new TheoryData<string>();
        foreach (var type in EventTypes.All)
        {
            data.Add(type);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void OurOwnEventOfEveryTypePassesAndRoundTrips(string type)
    {
        var envelope = new EventEnvelope(type, Ms, "execution", GoodData[type], "corr-1", "42", "sess-9");

        var parsed = EventJson.Parse(EventJson.Write(envelope), out var error);

        Assert.True(parsed is not null, $"{type} refused: {error}");
        Assert.Equal("", error);
        Assert.Equal(envelope, parsed);
    }

    [Fact]
    public void EveryTypeHasGoodDataInTheseTests()
    {
        Assert.Equal(EventTypes.All.Order(), GoodData.Keys.Order());
    }

    [Fact]
    public void TheWriterProducesTheEnvelopeOfTheSpecificationWithTimestampInMilliseconds()
    {
        var json = EventJson.Write(new EventEnvelope(EventTypes.SlotReleased, Ms, "execution", GoodData[EventTypes.SlotReleased], UserId: "42"));

        Assert.Equal("""{"event_type":"slot_released","timestamp":1763000000123,"source":"execution","data":{"user_id":42,"reason":"closed"},"user_id":"42"}""",
            Encoding.UTF8.GetString(json));
    }

    [Fact]
    public void DataBuiltWithTheHelperIsCompactAndPasses()
    {
        var data = EventJson.Data(json =>
        {
            json.WriteString("component"u8, "event-bus");
            json.WriteString("status"u8, "starting");
            json.WriteNumber("uptime"u8, 0);
            json.WriteString("message"u8, "héllo <world> + more");
        });

        Assert.Equal("""{"component":"event-bus","status":"starting","uptime":0,"message":"héllo <world> + more"}""", data);
        Assert.NotNull(EventJson.Parse(EventJson.Write(new EventEnvelope(EventTypes.SystemHealth, Ms, "event_bus", data)), out _));
    }

    [Fact]
    public void ForeignDataIsStoredCompactly()
    {
        var frame = """
            { "event_type" : "signal_expired", "timestamp" : 1763000000123, "source" : "tracker",
              "data" : { "signal_id" : "S1",  "extra" : [ 1, 2 ] } }
            """u8;

        var parsed = EventJson.Parse(frame, out _);

        Assert.Equal("""{"signal_id":"S1","extra":[1,2]}""", parsed!.DataJson);
    }

    [Theory]
    [InlineData("1763000000.123", 1_763_000_000_123)]
    [InlineData("1763000000", 1_763_000_000_000)]
    [InlineData("1763000000123", 1_763_000_000_123)]
    [InlineData("1763000000123.4", 1_763_000_000_123)]
    public void TimestampsAreTheOriginalsFloatEpochSecondsOrMilliseconds(string timestamp, long expectedMs)
    {
        var frame = Encoding.UTF8.GetBytes($$$"""{"event_type":"signal_expired","timestamp":{{{timestamp}}},"source":"x","data":{"signal_id":"S1"}}""");

        var parsed = EventJson.Parse(frame, out var error);

        Assert.True(parsed is not null, error);
        Assert.Equal(expectedMs, parsed.TimestampMs);
    }

    [Fact]
    public void TimesInsideTheDataMayAlsoBeEpochSeconds()
    {
        var data = GoodData[EventTypes.TradeExecuted].Replace("1763000000456", "1763000000.456", StringComparison.Ordinal);

        Assert.NotNull(EventJson.Parse(EventJson.Write(new EventEnvelope(EventTypes.TradeExecuted, Ms, "ea", data)), out _));
    }

    [Fact]
    public void TheOriginalsSignalWithAnEmptyPatternTypeIsRefusedAndOursWithOneIsAccepted()
    {
        var theirs = """{"signal_id":"S1","symbol":"EURUSD","direction":"BUY","confidence":80,"pattern_type":""}""";
        var ours = """{"signal_id":"S1","symbol":"EURUSD","direction":"BUY","confidence":80,"pattern_type":"VCB_BREAKOUT"}""";

        Assert.Null(Parse(EventTypes.SignalGenerated, theirs, out var error));
        Assert.Equal("invalid:data.pattern_type", error);
        Assert.NotNull(Parse(EventTypes.SignalGenerated, ours, out _));
    }

    [Fact]
    public void TheOriginalBrokersStartedStatusIsRefusedAndEveryStatusWeSendIsAccepted()
    {
        Assert.Null(Parse(EventTypes.SystemHealth, """{"component":"broker","status":"started"}""", out var error));
        Assert.Equal("invalid:data.status", error);
        foreach (var status in new[] { "starting", "running", "stopping", "error", "degraded" })
        {
            Assert.NotNull(Parse(EventTypes.SystemHealth, $$"""{"component":"event-bus","status":"{{status}}"}""", out _));
        }
    }

    [Theory]
    [InlineData("", "not_json")]
    [InlineData("{\"event_type\":", "not_json")]
    [InlineData("not json at all", "not_json")]
    [InlineData("""{"event_type":"signal_expired","timestamp":1,"source":"x","data":{"signal_id":"S"}} {}""", "not_json")]
    [InlineData("[1,2]", "not_object")]
    [InlineData("\"text\"", "not_object")]
    [InlineData("""{"timestamp":1763000000,"source":"x","data":{}}""", "missing:event_type")]
    [InlineData("""{"event_type":7,"timestamp":1763000000,"source":"x","data":{}}""", "invalid:event_type")]
    [InlineData("""{"event_type":"trade_confirmed","timestamp":1763000000,"source":"x","data":{}}""", "unknown_type")]
    [InlineData("""{"event_type":"signal_expired","source":"x","data":{"signal_id":"S"}}""", "missing:timestamp")]
    [InlineData("""{"event_type":"signal_expired","timestamp":0,"source":"x","data":{"signal_id":"S"}}""", "invalid:timestamp")]
    [InlineData("""{"event_type":"signal_expired","timestamp":-5,"source":"x","data":{"signal_id":"S"}}""", "invalid:timestamp")]
    [InlineData("""{"event_type":"signal_expired","timestamp":"1763000000","source":"x","data":{"signal_id":"S"}}""", "invalid:timestamp")]
    [InlineData("""{"event_type":"signal_expired","timestamp":1e300,"source":"x","data":{"signal_id":"S"}}""", "invalid:timestamp")]
    [InlineData("""{"event_type":"signal_expired","timestamp":1763000000,"data":{"signal_id":"S"}}""", "missing:source")]
    [InlineData("""{"event_type":"signal_expired","timestamp":1763000000,"source":"","data":{"signal_id":"S"}}""", "invalid:source")]
    [InlineData("""{"event_type":"signal_expired","timestamp":1763000000,"source":"x"}""", "missing:data")]
    [InlineData("""{"event_type":"signal_expired","timestamp":1763000000,"source":"x","data":[1]}""", "invalid:data")]
    [InlineData("""{"event_type":"signal_expired","timestamp":1763000000,"source":"x","data":{"signal_id":"S"},"user_id":true}""", "invalid:user_id")]
    [InlineData("""{"event_type":"signal_expired","timestamp":1763000000,"source":"x","data":{"signal_id":"S"},"session_id":5}""", "invalid:session_id")]
    public void BrokenEnvelopesAreRefusedWithAShortReason(string frame, string expected)
    {
        Assert.Null(EventJson.Parse(Encoding.UTF8.GetBytes(frame), out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void OverlongEnvelopeFieldsAreRefused()
    {
        var good = new EventEnvelope(EventTypes.SignalExpired, Ms, "x", """{"signal_id":"S"}""");

        Assert.Null(EventJson.Parse(EventJson.Write(good with { Source = new string('s', 101) }), out var source));
        Assert.Null(EventJson.Parse(EventJson.Write(good with { CorrelationId = new string('c', 201) }), out var correlation));
        Assert.Null(EventJson.Parse(EventJson.Write(good with { UserId = new string('u', 51) }), out var user));
        Assert.Null(EventJson.Parse(EventJson.Write(good with { SessionId = new string('s', 101) }), out var session));
        Assert.Equal(["invalid:source", "invalid:correlation_id", "invalid:user_id", "invalid:session_id"], [source, correlation, user, session]);
        Assert.NotNull(EventJson.Parse(EventJson.Write(good with { Source = new string('s', 100), CorrelationId = new string('c', 200) }), out _));
    }

    [Fact]
    public void AHealthMessageOver500CharactersIsRefused()
    {
        Assert.NotNull(Parse(EventTypes.SystemHealth, WithField(GoodData[EventTypes.SystemHealth], "message", $"\"{new string('m', 500)}\""), out _));
        Assert.Null(Parse(EventTypes.SystemHealth, WithField(GoodData[EventTypes.SystemHealth], "message", $"\"{new string('m', 501)}\""), out var error));
        Assert.Equal("invalid:data.message", error);
    }

    [Fact]
    public void ANumericUserIdInTheEnvelopeIsKeptAsText()
    {
        var frame = """{"event_type":"signal_expired","timestamp":1763000000,"source":"x","data":{"signal_id":"S"},"user_id":42}"""u8;

        Assert.Equal("42", EventJson.Parse(frame, out _)!.UserId);
    }

    [Theory]
    // signal_generated
    [InlineData("signal_generated", "signal_id", null, "missing:data.signal_id")]
    [InlineData("signal_generated", "symbol", "\"EURUSD_TOO_LONG\"", "invalid:data.symbol")]
    [InlineData("signal_generated", "direction", "\"LONG\"", "invalid:data.direction")]
    [InlineData("signal_generated", "confidence", "101", "invalid:data.confidence")]
    [InlineData("signal_generated", "confidence", "\"84\"", "invalid:data.confidence")]
    [InlineData("signal_generated", "pattern_type", null, "missing:data.pattern_type")]
    [InlineData("signal_generated", "entry_price", "-1", "invalid:data.entry_price")]
    [InlineData("signal_generated", "expires_at", "\"soon\"", "invalid:data.expires_at")]
    // fire_command
    [InlineData("fire_command", "fire_id", null, "missing:data.fire_id")]
    [InlineData("fire_command", "user_id", null, "missing:data.user_id")]
    [InlineData("fire_command", "user_id", "\"\"", "invalid:data.user_id")]
    [InlineData("fire_command", "lot_size", "0.001", "invalid:data.lot_size")]
    [InlineData("fire_command", "execution_mode", "\"YOLO\"", "invalid:data.execution_mode")]
    [InlineData("fire_command", "sl_price", "-2", "invalid:data.sl_price")]
    // trade_executed: the original's enqueue_fire sent neither ticket nor open_price
    [InlineData("trade_executed", "ticket", null, "missing:data.ticket")]
    [InlineData("trade_executed", "ticket", "0", "invalid:data.ticket")]
    [InlineData("trade_executed", "ticket", "1.5", "invalid:data.ticket")]
    [InlineData("trade_executed", "open_price", null, "missing:data.open_price")]
    [InlineData("trade_executed", "volume", "0", "invalid:data.volume")]
    [InlineData("trade_executed", "execution_time", null, "missing:data.execution_time")]
    // balance_update
    [InlineData("balance_update", "account_number", null, "missing:data.account_number")]
    [InlineData("balance_update", "balance", "-1", "invalid:data.balance")]
    [InlineData("balance_update", "equity", null, "missing:data.equity")]
    // system_health
    [InlineData("system_health", "component", null, "missing:data.component")]
    [InlineData("system_health", "status", "\"on fire\"", "invalid:data.status")]
    // user_action
    [InlineData("user_action", "action", null, "missing:data.action")]
    [InlineData("user_action", "user_id", "-3", "invalid:data.user_id")]
    // market_data
    [InlineData("market_data", "bid", "-0.1", "invalid:data.bid")]
    [InlineData("market_data", "ask", null, "missing:data.ask")]
    [InlineData("market_data", "timestamp", null, "missing:data.timestamp")]
    [InlineData("market_data", "volume", "2.5", "invalid:data.volume")]
    // ours
    [InlineData("pattern_detected", "pattern_type", null, "missing:data.pattern_type")]
    [InlineData("signal_expired", "signal_id", null, "missing:data.signal_id")]
    [InlineData("signal_resolved", "signal_id", "\"\"", "invalid:data.signal_id")]
    [InlineData("mission_created", "mission_id", null, "missing:data.mission_id")]
    [InlineData("mission_created", "signal_id", null, "missing:data.signal_id")]
    [InlineData("mission_created", "user_id", null, "missing:data.user_id")]
    [InlineData("fire_failed", "reason", null, "missing:data.reason")]
    [InlineData("fire_failed", "user_id", null, "missing:data.user_id")]
    [InlineData("risk_blocked", "reason", "42", "invalid:data.reason")]
    // Without a ticket the fire id must say which position closed (a fire closed while the server was away).
    [InlineData("position_closed", "ticket", "0", "invalid:data.ticket")]
    [InlineData("position_closed", "fire_id", "7", "invalid:data.fire_id")]
    [InlineData("slot_released", "reason", null, "missing:data.reason")]
    [InlineData("slot_released", "user_id", "{}", "invalid:data.user_id")]
    public void EachTypeRefusesAMissingOrInvalidField(string type, string field, string? value, string expected)
    {
        var data = WithField(GoodData[type], field, value);

        Assert.Null(Parse(type, data, out var error));
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData("signal_generated", "entry_price")]
    [InlineData("fire_command", "sl_price")]
    [InlineData("balance_update", "margin")]
    [InlineData("system_health", "message")]
    [InlineData("position_closed", "fire_id")]
    [InlineData("position_closed", "ticket")]
    [InlineData("signal_resolved", "outcome")]
    public void OptionalFieldsMayBeLeftOutOrNull(string type, string field)
    {
        Assert.NotNull(Parse(type, WithField(GoodData[type], field, null), out _));
        Assert.NotNull(Parse(type, WithField(GoodData[type], field, "null"), out _));
    }

    private static EventEnvelope? Parse(string type, string data, out string error) =>
        EventJson.Parse(EventJson.Write(new EventEnvelope(type, Ms, "test", data)), out error);

    /// <summary>The data with <paramref name="field"/> removed (null) or set to the raw JSON <paramref name="value"/>.</summary>
    private static string WithField(string data, string field, string? value)
    {
        using var document = JsonDocument.Parse(data);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name != field)
                {
                    property.WriteTo(json);
                }
            }

            if (value is not null)
            {
                json.WritePropertyName(field);
                json.WriteRawValue(value);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
