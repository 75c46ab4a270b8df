using Bitten.Domain.Market;
using Bitten.Domain.Primitives;
using Bitten.Wire.Ea;
using static Bitten.Wire.Tests.Frames;

namespace Bitten.Wire.Tests;

public class EaMessageParserTests
{
    /// <summary>HELLO exactly as the v2.05 EA sends it (reference §1.5): symbols is a count, times are broker time.</summary>
    public const string V205Hello =
        """{"type":"HELLO","target_uuid":"user-1","node_id":"node-7","account_login":"5038271","broker":"Broker-Live","company":"Broker Ltd","terminal":"MetaTrader 5","currency":"USD","balance":10000.00,"equity":10012.5,"leverage":500,"margin":120.25,"free_margin":9892.25,"margin_level":8326.4,"symbols":15,"version":"2.05","timestamp":"2025.09.15 22:41:16"}""";

    /// <summary>Our HELLO: positions and symbol specs; a login sent as a number, money and a ticket sent as strings.</summary>
    public const string OurHello =
        """
        {"type":"HELLO","target_uuid":"user-2","node_id":"node-8","version":"bitten-ea-2.06","pairing_code":"ABC123",
         "balance":"2500.75","equity":2510.10,"margin":50,"free_margin":2460.10,"margin_level":5020.2,"currency":"EUR","leverage":100,
         "account_login":88001234,"broker":"ICMarkets-Demo",
         "positions":[
           {"ticket":123456789,"fire_id":"F-1","symbol":"EURUSD","direction":"BUY","volume":0.10,"open_price":1.17602,"sl":1.17302,"tp":1.18202,"profit":-3.25},
           {"ticket":"123456790","symbol":"XAUUSD","direction":"SELL","volume":0.01,"open_price":3641.25,"sl":0,"tp":0,"pnl":1.5}],
         "symbols":[
           {"symbol":"EURUSD","digits":5,"point":0.00001,"tick_value":1.0,"tick_size":0.00001,"volume_min":0.01,"volume_step":0.01,"volume_max":100,"stops_level":10},
           {"symbol":"XAUUSD","digits":2,"point":0.01,"tick_value":"0.1","tick_size":0.01,"volume_min":0.01,"volume_step":0.01,"volume_max":50,"stops_level":0}],
         "timestamp":1757965276}
        """;

    public const string V205Heartbeat =
        """{"type":"HEARTBEAT","target_uuid":"user-1","node_id":"node-7","currency":"USD","balance":10000,"equity":10012.5,"leverage":500,"margin":120.25,"free_margin":9892.25,"margin_level":8326.4,"ticks_processed":123456,"timestamp":"2025.09.15 22:41:46"}""";

    /// <summary>HEARTBEAT with positions, in the v2.06H shape (pnl instead of profit, extra fields).</summary>
    public const string PositionsHeartbeat =
        """{"type":"HEARTBEAT","target_uuid":"user-1","user_id":"u1","node_id":"node-7","account_login":"5038271","broker":"Broker-Live","currency":"USD","balance":10000,"equity":10001,"leverage":500,"margin":12,"free_margin":9989,"margin_level":83341.6,"ticks_processed":9,"ts":1757965306,"open_positions":1,"positions":[{"ticket":77,"fire_id":"F-9","symbol":"GBPUSD","direction":"SELL","open_price":1.35211,"current_price":1.35201,"volume":0.2,"pnl":2.0}],"timestamp":1757965306}""";

    public const string SuccessConfirmation =
        """{"type":"confirmation","command_type":"fire","fire_id":"F-1","user_uuid":"user-1","node_id":"node-7","status":"success","ticket":123456789,"price":1.17605,"lot":0.10,"message":"filled","account":"5038271","currency":"USD","balance":10000,"equity":10000,"free_margin":9880,"margin_level":8300,"timestamp":"2025.09.15 22:41:17"}""";

    public const string FailedConfirmation =
        """{"type":"confirmation","command_type":"fire","fire_id":"F-2","user_uuid":"user-1","node_id":"node-7","status":"failed","ticket":0,"price":0,"lot":0.10,"message":"not enough money","balance":10,"equity":10,"free_margin":10,"margin_level":0,"timestamp":"2025.09.15 22:41:18"}""";

    public const string V205CloseConfirmation =
        """{"type":"close_confirmation","command_type":"close_ticket","user_uuid":"user-1","node_id":"node-7","ticket":123456789,"close_price":0,"lot":0.1,"profit":12.5,"message":"closed","balance":10012.5,"equity":10012.5,"free_margin":10012.5,"margin_level":0,"timestamp":"2025.09.15 23:00:00"}""";

    public const string OurCloseConfirmation =
        """{"type":"close_confirmation","fire_id":"F-1","user_uuid":"user-1","ticket":"123456789","close_price":1.17702,"profit":"-7.25","message":"closed by sl"}""";

    public const string Pong =
        """{"type":"pong","ping_id":"p-42","node_id":"node-7","user_uuid":"user-1","timestamp":"2025.09.15 22:41:16"}""";

    public static readonly string[] CommandFrames =
    [
        V205Hello, OurHello, V205Heartbeat, PositionsHeartbeat, SuccessConfirmation, FailedConfirmation, V205CloseConfirmation,
        OurCloseConfirmation, Pong,
    ];

    [Fact]
    public void ParsesTheV205TickIntoARecord()
    {
        var message = Valid<EaTick>(V205Tick);

        Assert.Equal(new EaTick("user-1", "EURUSD", 1.17602, 1.17605, 3.0, 0, Ms(2025, 9, 15, 19, 41, 16), TimestampKind.UnixSeconds), message);
    }

    [Fact]
    public void ParsesTheSeedTickIntoARecordWithoutUuid()
    {
        var message = Valid<EaTick>(SeedTick);

        Assert.Equal(new EaTick(null, "GBPUSD", 1.35211, 1.35219, 0.8, 12, Ms(2025, 9, 15, 19, 41, 17), TimestampKind.UnixSeconds), message);
    }

    [Fact]
    public void KeepsBrokerTimeUnshiftedInTheTickRecord()
    {
        var message = Valid<EaTick>(BrokerTimeTick);

        Assert.Equal(Ms(2025, 9, 15, 19, 41, 16), message.TimestampMs);
        Assert.Equal(TimestampKind.BrokerTime, message.TimestampKind);
        Assert.Equal("u", message.Uuid);
    }

    [Fact]
    public void ParsesAnOhlcBarIntoARecord()
    {
        var message = Valid<EaBar>(OhlcBar);

        Assert.Equal(new EaBar("user-1", "XAUUSD", Timeframe.M5, Ms(2025, 9, 15, 19, 40, 0), 3641.25, 3645.9, 3639.1, 3644.0, 314), message);
    }

    [Fact]
    public void ParsesTheHandshakeWithItsUtcOffset()
    {
        var message = Valid<EaTelemetry>(Handshake);

        Assert.Equal(new EaTelemetry(EaMessageType.Handshake, "user-1", 10800), message);
    }

    [Fact]
    public void ParsesTelemetryWithoutAnOffsetAsNull()
    {
        var heartbeat = Valid<EaTelemetry>("""{"type":"heartbeat","node_id":"node-7","user_uuid":"user-1","balance":1,"symbols_monitored":2,"ticks_processed":3,"socket_type":"DEALER","timestamp":"2025.09.15 19:41:16"}""");
        var disconnect = Valid<EaTelemetry>("""{"type":"DISCONNECT","deployment_mode":"universal_dealer","node_id":"node-7","user_uuid":"user-1","symbols_monitored":2,"ticks_processed":3}""");

        Assert.Equal(new EaTelemetry(EaMessageType.TelemetryHeartbeat, "user-1", null), heartbeat);
        Assert.Equal(new EaTelemetry(EaMessageType.Disconnect, "user-1", null), disconnect);
    }

    [Fact]
    public void ParsesTheV205HelloWithASymbolCount()
    {
        var hello = Valid<EaHello>(V205Hello);

        Assert.Equal("user-1", hello.Uuid);
        Assert.Equal("node-7", hello.NodeId);
        Assert.Equal("2.05", hello.Version);
        Assert.Null(hello.PairingCode);
        Assert.Equal(new AccountReport(10000m, 10012.5m, 120.25m, 9892.25m, 8326.4m, "USD", 500, "5038271", "Broker-Live"), hello.Account);
        Assert.Empty(hello.Positions);
        Assert.Empty(hello.Symbols);
        Assert.Equal(Ms(2025, 9, 15, 22, 41, 16), hello.TimestampMs);
    }

    [Fact]
    public void ParsesOurHelloWithPositionsAndSymbolSpecs()
    {
        var hello = Valid<EaHello>(OurHello);

        Assert.Equal("user-2", hello.Uuid);
        Assert.Equal("node-8", hello.NodeId);
        Assert.Equal("bitten-ea-2.06", hello.Version);
        Assert.Equal("ABC123", hello.PairingCode);
        Assert.Equal(new AccountReport(2500.75m, 2510.10m, 50m, 2460.10m, 5020.2m, "EUR", 100, "88001234", "ICMarkets-Demo"), hello.Account);
        Assert.Equal(
            [
                new EaPosition(123456789, "F-1", "EURUSD", "BUY", 0.10m, 1.17602, 1.17302, 1.18202, -3.25m),
                new EaPosition(123456790, null, "XAUUSD", "SELL", 0.01m, 3641.25, 0, 0, 1.5m),
            ],
            hello.Positions);
        Assert.Equal(
            [
                new SymbolSpecReport("EURUSD", 5, 0.00001, 1.0m, 0.00001, 0.01m, 0.01m, 100m, 10),
                new SymbolSpecReport("XAUUSD", 2, 0.01, 0.1m, 0.01, 0.01m, 0.01m, 50m, 0),
            ],
            hello.Symbols);
        Assert.Equal(Ms(2025, 9, 15, 19, 41, 16), hello.TimestampMs);
    }

    [Theory]
    [InlineData("user_uuid")]
    [InlineData("uuid")]
    public void TakesTheHelloUuidFromTheOlderFieldNames(string field)
    {
        var hello = Valid<EaHello>(V205Hello.Replace("\"target_uuid\"", $"\"{field}\"", StringComparison.Ordinal));

        Assert.Equal("user-1", hello.Uuid);
    }

    [Fact]
    public void AcceptsAMinimalSymbolSpec()
    {
        var hello = Valid<EaHello>("""{"type":"HELLO","target_uuid":"u","symbols":[{"symbol":"EURUSD"}]}""");

        Assert.Equal("EURUSD", Assert.Single(hello.Symbols).Symbol);
    }

    [Fact]
    public void ParsesTheV205HeartbeatWithoutPositions()
    {
        var heartbeat = Valid<EaHeartbeat>(V205Heartbeat);

        Assert.Equal("user-1", heartbeat.Uuid);
        Assert.Equal("node-7", heartbeat.NodeId);
        Assert.Equal(new AccountReport(10000m, 10012.5m, 120.25m, 9892.25m, 8326.4m, "USD", 500, null, null), heartbeat.Account);
        Assert.Null(heartbeat.Positions);
        Assert.Equal(Ms(2025, 9, 15, 22, 41, 46), heartbeat.TimestampMs);
    }

    [Fact]
    public void ParsesAHeartbeatWithPositionsReportingPnl()
    {
        var heartbeat = Valid<EaHeartbeat>(PositionsHeartbeat);

        Assert.Equal(new AccountReport(10000m, 10001m, 12m, 9989m, 83341.6m, "USD", 500, "5038271", "Broker-Live"), heartbeat.Account);
        Assert.NotNull(heartbeat.Positions);
        Assert.Equal([new EaPosition(77, "F-9", "GBPUSD", "SELL", 0.2m, 1.35211, 0, 0, 2.0m)], heartbeat.Positions);
        Assert.Equal(Ms(2025, 9, 15, 19, 41, 46), heartbeat.TimestampMs);
    }

    [Fact]
    public void ParsesASuccessfulConfirmation()
    {
        var confirmation = Valid<FireConfirmation>(SuccessConfirmation);

        Assert.Equal("F-1", confirmation.FireId);
        Assert.Equal("user-1", confirmation.Uuid);
        Assert.True(confirmation.Success);
        Assert.Equal(123456789, confirmation.Ticket);
        Assert.Equal(1.17605, confirmation.Price);
        Assert.Equal(0.10m, confirmation.Lot);
        Assert.Equal("filled", confirmation.Message);
        Assert.Equal(new AccountReport(10000m, 10000m, 0m, 9880m, 8300m, "USD", 0, "5038271", null), confirmation.Account);
        Assert.Equal(Ms(2025, 9, 15, 22, 41, 17), confirmation.TimestampMs);
    }

    [Fact]
    public void ParsesAFailedConfirmation()
    {
        var confirmation = Valid<FireConfirmation>(FailedConfirmation);

        Assert.Equal("F-2", confirmation.FireId);
        Assert.False(confirmation.Success);
        Assert.Equal(0, confirmation.Ticket);
        Assert.Equal("not enough money", confirmation.Message);
        Assert.Equal(10m, confirmation.Account.Balance);
    }

    [Theory]
    [InlineData("\"ok\"", RejectReason.WrongFieldType)]
    [InlineData("\"SUCCESS\"", RejectReason.WrongFieldType)]
    [InlineData("\"\"", RejectReason.WrongFieldType)]
    [InlineData("1", RejectReason.WrongFieldType)]
    [InlineData("true", RejectReason.WrongFieldType)]
    [InlineData("null", RejectReason.MissingField)]
    public void RejectsAConfirmationWithABadStatus(string status, RejectReason expected)
    {
        var json = MarketFrameParserTests.ReplaceField(SuccessConfirmation, "\"status\":", $"\"status\":{status}");

        Assert.Equal(expected, EaMessageParser.Parse(Utf8(json)).Reason);
    }

    [Theory]
    [InlineData("status")]
    [InlineData("fire_id")]
    public void RejectsAConfirmationWithoutARequiredField(string field)
    {
        var result = EaMessageParser.Parse(Utf8(MarketFrameParserTests.Without(SuccessConfirmation, field)));

        Assert.Equal(RejectReason.MissingField, result.Reason);
        Assert.Null(result.Message);
    }

    [Fact]
    public void ParsesAV205CloseConfirmationWithoutFireId()
    {
        var close = Valid<CloseConfirmation>(V205CloseConfirmation);

        Assert.Null(close.FireId);
        Assert.Equal("user-1", close.Uuid);
        Assert.Equal(123456789, close.Ticket);
        Assert.Equal(0, close.ClosePrice);
        Assert.Equal(12.5m, close.Profit);
        Assert.Equal("closed", close.Message);
        Assert.Equal(10012.5m, close.Account.Equity);
    }

    [Fact]
    public void ParsesOurCloseConfirmationWithFireIdAndStringNumbers()
    {
        var close = Valid<CloseConfirmation>(OurCloseConfirmation);

        Assert.Equal(new CloseConfirmation("F-1", "user-1", 123456789, 1.17702, -7.25m, "closed by sl", close.Account), close);
        Assert.Equal(new AccountReport(0, 0, 0, 0, 0, null, 0, null, null), close.Account);
    }

    [Theory]
    [InlineData("""{"type":"close_confirmation","user_uuid":"user-1","close_price":1.1}""", RejectReason.MissingField)]
    [InlineData("""{"type":"close_confirmation","user_uuid":"user-1","ticket":"abc"}""", RejectReason.WrongFieldType)]
    [InlineData("""{"type":"close_confirmation","user_uuid":"user-1","ticket":[1]}""", RejectReason.WrongFieldType)]
    [InlineData("""{"type":"close_confirmation","user_uuid":"user-1","ticket":1,"profit":true}""", RejectReason.WrongFieldType)]
    public void RejectsABadCloseConfirmation(string json, RejectReason expected)
    {
        Assert.Equal(expected, EaMessageParser.Parse(Utf8(json)).Reason);
    }

    [Fact]
    public void ParsesAPong()
    {
        Assert.Equal(new EaPong("p-42", "user-1"), Valid<EaPong>(Pong));
    }

    [Fact]
    public void RejectsAPongWithoutPingId()
    {
        Assert.Equal(RejectReason.MissingField, EaMessageParser.Parse(Utf8(MarketFrameParserTests.Without(Pong, "ping_id"))).Reason);
    }

    [Theory]
    [InlineData("""{"type":"HELLO","node_id":"n","balance":1}""", RejectReason.MissingField)]
    [InlineData("""{"type":"HEARTBEAT","node_id":"n","balance":1}""", RejectReason.MissingField)]
    [InlineData("""{"type":"HELLO","target_uuid":"u","positions":[{"symbol":"EURUSD","direction":"BUY"}]}""", RejectReason.MissingField)]
    [InlineData("""{"type":"HELLO","target_uuid":"u","positions":[{"ticket":1,"direction":"BUY"}]}""", RejectReason.MissingField)]
    [InlineData("""{"type":"HELLO","target_uuid":"u","positions":[{"ticket":1,"symbol":{"s":1},"direction":"BUY"}]}""", RejectReason.WrongFieldType)]
    [InlineData("""{"type":"HELLO","target_uuid":"u","symbols":[{"digits":5}]}""", RejectReason.MissingField)]
    [InlineData("""{"type":"HELLO","target_uuid":"u","symbols":[{"symbol":"EURUSD","digits":"five"}]}""", RejectReason.WrongFieldType)]
    [InlineData("""{"type":"HELLO","target_uuid":"u","balance":true}""", RejectReason.WrongFieldType)]
    [InlineData("""{"type":"HELLO","target_uuid":"u","balance":"lots"}""", RejectReason.WrongFieldType)]
    [InlineData("""{"type":"HELLO","target_uuid":"u","currency":["USD"]}""", RejectReason.WrongFieldType)]
    [InlineData("""{"type":"HELLO","target_uuid":{"id":"u"}}""", RejectReason.WrongFieldType)]
    [InlineData("""{"type":"HELLO","target_uuid":"u","timestamp":"someday"}""", RejectReason.BadTimestamp)]
    [InlineData("""{"type":"HELLO","target_uuid":"u","timestamp":1e400}""", RejectReason.BadTimestamp)]
    [InlineData("""{"type":"HEARTBEAT","target_uuid":"u","timestamp":false}""", RejectReason.WrongFieldType)]
    [InlineData("""{"type":"HELLO","target_uuid":"u",""", RejectReason.Truncated)]
    [InlineData("""{"type":"HELLO","target_uuid":"u"} trailing""", RejectReason.NotJson)]
    [InlineData("""{"type":"fire","target_uuid":"u"}""", RejectReason.UnknownType)]
    [InlineData("""{"target_uuid":"u"}""", RejectReason.MissingType)]
    [InlineData("", RejectReason.EmptyFrame)]
    public void RejectsABadCommandPortMessage(string json, RejectReason expected)
    {
        var result = EaMessageParser.Parse(Utf8(json));

        Assert.Equal(expected, result.Reason);
        Assert.False(result.IsValid);
        Assert.Null(result.Message);
    }

    [Theory]
    [MemberData(nameof(MarketPortRejections))]
    public void GivesTheSameReasonsAsTheMarketFrameParser(string json, RejectReason expected)
    {
        Assert.Equal(expected, EaMessageParser.Parse(Utf8(json)).Reason);
    }

    public static TheoryData<string, RejectReason> MarketPortRejections() => MarketFrameParserTests.Rejections();

    [Fact]
    public void EveryCommandFrameSampleIsValid()
    {
        foreach (var json in CommandFrames)
        {
            var result = EaMessageParser.Parse(Utf8(json));
            Assert.True(result.IsValid, $"{result.Reason}: {json}");
        }
    }

    [Fact]
    public void AcceptsANulTerminatedCommandMessageAsTheMarketParserDoes()
    {
        var result = EaMessageParser.Parse([.. Utf8(Pong), 0]);

        Assert.Equal(RejectReason.None, result.Reason);
        Assert.Equal(new EaPong("p-42", "user-1"), result.Message);
    }

    private static T Valid<T>(string json)
        where T : EaMessage
    {
        var result = EaMessageParser.Parse(Utf8(json));
        Assert.True(result.IsValid, $"rejected as {result.Reason}: {json}");
        return Assert.IsType<T>(result.Message);
    }
}
