using System.Text;
using Bitten.Domain.Market;
using Bitten.Domain.Primitives;
using Bitten.Wire.Ea;
using static Bitten.Wire.Tests.Frames;

namespace Bitten.Wire.Tests;

public class MarketFrameParserTests
{
    [Fact]
    public void ParsesEveryFieldOfTheV205Tick()
    {
        Assert.Equal(RejectReason.None, Parse(V205Tick, out var frame));

        Assert.Equal(EaMessageType.Tick, frame.Type);
        Assert.Equal("EURUSD", Text(frame.Symbol));
        Assert.Equal("user-1", Text(frame.Source));
        Assert.Equal(1.17602, frame.Bid);
        Assert.Equal(1.17605, frame.Ask);
        Assert.Equal(3.0, frame.Spread);
        Assert.Equal(0.0, frame.Volume);
        Assert.Equal(Ms(2025, 9, 15, 19, 41, 16), frame.TimestampMs);
        Assert.Equal(TimestampKind.UnixSeconds, frame.TimestampKind);
        Assert.False(frame.HasUtcOffset);
    }

    [Fact]
    public void ParsesTheSeedTickWithoutIdentityFields()
    {
        Assert.Equal(RejectReason.None, Parse(SeedTick, out var frame));

        Assert.Equal(EaMessageType.Tick, frame.Type);
        Assert.Equal("GBPUSD", Text(frame.Symbol));
        Assert.True(frame.Source.IsEmpty);
        Assert.Equal(1.35211, frame.Bid);
        Assert.Equal(1.35219, frame.Ask);
        Assert.Equal(0.8, frame.Spread);
        Assert.Equal(12.0, frame.Volume);
        Assert.Equal(Ms(2025, 9, 15, 19, 41, 17), frame.TimestampMs);
    }

    [Fact]
    public void TakesNodeIdAsTheSourceWhenUserUuidIsAbsent()
    {
        Assert.Equal(RejectReason.None, Parse("""{"type":"TICK","node_id":"node-9","symbol":"EURUSD","bid":1.1,"ask":1.2,"timestamp":1757965276}""", out var frame));

        Assert.Equal("node-9", Text(frame.Source));
    }

    [Fact]
    public void PrefersUserUuidOverNodeIdInEitherOrder()
    {
        Assert.Equal(RejectReason.None, Parse("""{"type":"TICK","user_uuid":"u","node_id":"n","symbol":"X","bid":1,"ask":1,"timestamp":1757965276}""", out var first));
        Assert.Equal("u", Text(first.Source));
        Assert.Equal(RejectReason.None, Parse("""{"type":"TICK","node_id":"n","user_uuid":"u","symbol":"X","bid":1,"ask":1,"timestamp":1757965276}""", out var second));
        Assert.Equal("u", Text(second.Source));
    }

    [Theory]
    [InlineData("1757965276", 0, TimestampKind.UnixSeconds)]
    [InlineData("1757965276.789", 789, TimestampKind.UnixSeconds)]
    [InlineData("1757965276.5", 500, TimestampKind.UnixSeconds)]
    [InlineData("1757965276.001", 1, TimestampKind.UnixSeconds)]
    [InlineData("1757965276789", 789, TimestampKind.UnixMilliseconds)]
    [InlineData("1757965276000", 0, TimestampKind.UnixMilliseconds)]
    [InlineData("\"1757965276\"", 0, TimestampKind.UnixSeconds)]
    [InlineData("\"1757965276789\"", 789, TimestampKind.UnixMilliseconds)]
    [InlineData("\"2025.09.15 19:41:16\"", 0, TimestampKind.BrokerTime)]
    [InlineData("\"2025-09-15 19:41:16\"", 0, TimestampKind.BrokerTime)]
    [InlineData("\"2025-09-15T19:41:16\"", 0, TimestampKind.BrokerTime)]
    public void ReadsEveryTimestampForm(string timestamp, int expectedMillisecond, TimestampKind expectedKind)
    {
        var json = $$"""{"type":"TICK","symbol":"EURUSD","bid":1.1,"ask":1.2,"timestamp":{{timestamp}}}""";

        Assert.Equal(RejectReason.None, Parse(json, out var frame));

        Assert.Equal(Ms(2025, 9, 15, 19, 41, 16, expectedMillisecond), frame.TimestampMs);
        Assert.Equal(expectedKind, frame.TimestampKind);
    }

    [Fact]
    public void ReadsBrokerTimeWithoutSecondsAsTheStartOfTheMinute()
    {
        Assert.Equal(RejectReason.None, Parse("""{"type":"tick","symbol":"EURUSD","bid":1.1,"ask":1.2,"timestamp":"2025.09.15 19:41"}""", out var frame));

        Assert.Equal(Ms(2025, 9, 15, 19, 41, 0), frame.TimestampMs);
        Assert.Equal(TimestampKind.BrokerTime, frame.TimestampKind);
    }

    [Fact]
    public void ReturnsBrokerTimeUnshiftedEvenWhenTheFrameDeclaresAnOffset()
    {
        // The offset belongs to the EA's session (handshake); the parser must not apply it, or it would be applied twice.
        var json = """{"type":"TICK","symbol":"EURUSD","bid":1.1,"ask":1.2,"timestamp":"2025.09.15 22:41:16","utc_offset_seconds":10800}""";

        Assert.Equal(RejectReason.None, Parse(json, out var frame));

        Assert.Equal(Ms(2025, 9, 15, 22, 41, 16), frame.TimestampMs);
        Assert.Equal(TimestampKind.BrokerTime, frame.TimestampKind);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1757965276")]
    [InlineData("1e300")]
    [InlineData("1e400")]
    [InlineData("\"\"")]
    [InlineData("\"yesterday\"")]
    [InlineData("\"2025.13.01 00:00:00\"")]
    [InlineData("\"2025.02.29 00:00:00\"")]
    [InlineData("\"2025.09.31 00:00:00\"")]
    [InlineData("\"2025.09.15 24:00:00\"")]
    [InlineData("\"2025.09.15 19:60:00\"")]
    [InlineData("\"2025.09.15 19:41:60\"")]
    [InlineData("\"15.09.2025 19:41:16\"")]
    [InlineData("\"2025.09.15 19:41:1\"")]
    [InlineData("\"1969.12.31 23:59:59\"")]
    public void RejectsTimestampsThatAreNoTime(string timestamp)
    {
        var json = $$"""{"type":"TICK","symbol":"EURUSD","bid":1.1,"ask":1.2,"timestamp":{{timestamp}}}""";

        Assert.Equal(RejectReason.BadTimestamp, Reason(json));
    }

    [Fact]
    public void AcceptsBrokerTimeOnTheLeapDay()
    {
        Assert.Equal(RejectReason.None, Parse("""{"type":"TICK","symbol":"EURUSD","bid":1.1,"ask":1.2,"timestamp":"2024.02.29 23:59:59"}""", out var frame));

        Assert.Equal(Ms(2024, 2, 29, 23, 59, 59), frame.TimestampMs);
    }

    [Fact]
    public void UnescapesEscapedStrings()
    {
        var json = """{"t\u0079pe":"T\u0049CK","user_uuid":"a\"b\\c\/d","symbol":"EUR\u0055SD.r","\u0062id":1.1,"ask":1.2,"timestamp":1757965276}""";

        Assert.Equal(RejectReason.None, Parse(json, out var frame));

        Assert.Equal(EaMessageType.Tick, frame.Type);
        Assert.Equal("EURUSD.r", Text(frame.Symbol));
        Assert.Equal("a\"b\\c/d", Text(frame.Source));
        Assert.Equal(1.1, frame.Bid);
    }

    [Theory]
    [InlineData("EURUSD.m")]
    [InlineData("XAUUSD#")]
    [InlineData("US30-ECN")]
    [InlineData("GER_40")]
    [InlineData("eurusd")]
    [InlineData("A")]
    public void AcceptsBrokerSymbolNamesWithTheirSuffixes(string symbol)
    {
        Assert.Equal(RejectReason.None, Parse($$"""{"type":"TICK","symbol":"{{symbol}}","bid":1.1,"ask":1.2,"timestamp":1757965276}""", out var frame));

        Assert.Equal(symbol, Text(frame.Symbol));
    }

    [Theory]
    [InlineData(" URUSD")]
    [InlineData("$URUSD")]
    [InlineData("EUR USD")]
    [InlineData("BTC/USD")]
    [InlineData("US500+")]
    [InlineData("DAX\\u00e9")]
    [InlineData("DAXé")]
    [InlineData("EUR\\u0001")]
    [InlineData("EUR\\u007F")]
    [InlineData("EUR\\\"")]
    public void RefusesASymbolThatIsNoInstrumentName(string symbol)
    {
        var tick = $$"""{"type":"TICK","symbol":"{{symbol}}","bid":1.1,"ask":1.2,"timestamp":1757965276}""";
        var bar = $$"""{"type":"OHLC","symbol":"{{symbol}}","timeframe":"M1","time":1757965200,"open":1.1,"high":1.2,"low":1.0,"close":1.1}""";

        Assert.Equal(RejectReason.BadSymbol, Reason(tick));
        Assert.Equal(RejectReason.BadSymbol, Reason(bar));
    }

    [Fact]
    public void IgnoresUnknownFieldsOfEveryKind()
    {
        var json = """
            {"type":"TICK","future":{"nested":[1,2,{"deep":null}],"s":"x"},"symbol":"EURUSD","flag":true,"list":[],"bid":1.1,
             "nothing":null,"ask":1.2,"text":"}{\"","timestamp":1757965276,"n":-1.5e-7,"spread":null}
            """;

        Assert.Equal(RejectReason.None, Parse(json, out var frame));

        Assert.Equal("EURUSD", Text(frame.Symbol));
        Assert.Equal(1.1, frame.Bid);
        Assert.Equal(1.2, frame.Ask);
        Assert.Equal(0.0, frame.Spread);
        Assert.Equal(Ms(2025, 9, 15, 19, 41, 16), frame.TimestampMs);
    }

    [Fact]
    public void FieldOrderDoesNotMatter()
    {
        string[] fields =
        [
            "\"type\":\"TICK\"", "\"user_uuid\":\"user-1\"", "\"node_id\":\"node-7\"", "\"symbol\":\"EURUSD\"", "\"bid\":1.17602",
            "\"ask\":1.17605", "\"spread\":3.0", "\"volume\":0", "\"timestamp\":1757965276", "\"extra\":[1,{\"a\":2}]",
        ];
        var random = new Random(20250915);
        for (var i = 0; i < 300; i++)
        {
            random.Shuffle(fields);
            var json = "{" + string.Join(",", fields) + "}";

            Assert.True(Parse(json, out var frame) == RejectReason.None, json);
            Assert.True(
                frame.Type == EaMessageType.Tick && Text(frame.Symbol) == "EURUSD" && Text(frame.Source) == "user-1" && frame.Bid == 1.17602
                && frame.Ask == 1.17605 && frame.Spread == 3.0 && frame.TimestampMs == Ms(2025, 9, 15, 19, 41, 16),
                json);
        }
    }

    [Fact]
    public void ParsesAValidOhlcBar()
    {
        Assert.Equal(RejectReason.None, Parse(OhlcBar, out var frame));

        Assert.Equal(EaMessageType.Ohlc, frame.Type);
        Assert.Equal("XAUUSD", Text(frame.Symbol));
        Assert.Equal(Timeframe.M5, frame.Timeframe);
        Assert.Equal(Ms(2025, 9, 15, 19, 40, 0), frame.BarOpenTimeMs);
        Assert.Equal(3641.25, frame.Open);
        Assert.Equal(3645.9, frame.High);
        Assert.Equal(3639.1, frame.Low);
        Assert.Equal(3644.0, frame.Close);
        Assert.Equal(314, frame.TickVolume);
        Assert.Equal("user-1", Text(frame.Source));
    }

    [Theory]
    [InlineData("M1", Timeframe.M1)]
    [InlineData("M5", Timeframe.M5)]
    [InlineData("M15", Timeframe.M15)]
    [InlineData("H1", Timeframe.H1)]
    public void ReadsEveryBarTimeframe(string name, Timeframe expected)
    {
        // 19:00 UTC: on the boundary of every period.
        var json = OhlcBar.Replace("\"M5\"", $"\"{name}\"", StringComparison.Ordinal).Replace("1757965200", "1757962800", StringComparison.Ordinal);
        Assert.Equal(RejectReason.None, Parse(json, out var frame));

        Assert.Equal(expected, frame.Timeframe);
    }

    [Theory]
    [InlineData("M2")]
    [InlineData("m5")]
    [InlineData("D1")]
    public void RejectsABarOfAnUnknownTimeframe(string name)
    {
        Assert.Equal(RejectReason.UnknownTimeframe, Reason(OhlcBar.Replace("\"M5\"", $"\"{name}\"", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("M5", 1757965260)] // 19:41: a minute past an M5 boundary
    [InlineData("M15", 1757965200)] // 19:40: an M5 boundary, not an M15 one
    [InlineData("H1", 1757964600)] // 19:30
    [InlineData("M1", 1757965201)] // a second past the minute
    public void RejectsABarThatDoesNotOpenOnItsPeriodsBoundary(string timeframe, long time)
    {
        var json = OhlcBar.Replace("\"M5\"", $"\"{timeframe}\"", StringComparison.Ordinal)
            .Replace("1757965200", time.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

        Assert.Equal(RejectReason.MisalignedBar, Reason(json));
    }

    [Theory]
    [InlineData(1.2, 1.1, 1.0, 1.15)] // high below open
    [InlineData(1.0, 1.1, 0.9, 1.2)] // high below close
    [InlineData(1.0, 1.3, 1.05, 1.2)] // low above open
    [InlineData(1.2, 1.3, 1.1, 1.05)] // low above close
    [InlineData(1.0, 0.9, 1.1, 1.0)] // high below low
    public void RejectsABarWhoseHighAndLowDoNotEncloseOpenAndClose(double open, double high, double low, double close)
    {
        var json = Bar(open, high, low, close);

        Assert.Equal(RejectReason.InconsistentBar, Reason(json));
    }

    [Theory]
    [InlineData(1.0, 1.0, 1.0, 1.0)]
    [InlineData(1.0, 1.2, 0.9, 1.1)]
    [InlineData(1.1, 1.1, 1.0, 1.0)]
    public void AcceptsABarWhoseHighAndLowEncloseOpenAndClose(double open, double high, double low, double close)
    {
        Assert.Equal(RejectReason.None, Reason(Bar(open, high, low, close)));
    }

    [Theory]
    [InlineData(0, 1.2, 0.9, 1.1)]
    [InlineData(1.0, 1.2, -0.9, 1.1)]
    [InlineData(1.0, 1.2, 0.9, 0)]
    public void RejectsABarWithANonPositivePrice(double open, double high, double low, double close)
    {
        Assert.Equal(RejectReason.NonPositivePrice, Reason(Bar(open, high, low, close)));
    }

    [Theory]
    [InlineData("symbol")]
    [InlineData("timeframe")]
    [InlineData("time")]
    [InlineData("open")]
    [InlineData("high")]
    [InlineData("low")]
    [InlineData("close")]
    public void RejectsABarWithoutARequiredField(string field)
    {
        Assert.Equal(RejectReason.MissingField, Reason(Without(OhlcBar, field)));
    }

    [Fact]
    public void AcceptsABarWithoutTickVolume()
    {
        Assert.Equal(RejectReason.None, Parse(Without(OhlcBar, "tick_volume"), out var frame));

        Assert.Equal(0, frame.TickVolume);
    }

    [Theory]
    [InlineData("\"timeframe\":5")]
    [InlineData("\"time\":\"1757965200\"")]
    [InlineData("\"tick_volume\":\"314\"")]
    [InlineData("\"tick_volume\":3.5")]
    public void RejectsABarFieldOfTheWrongType(string replacement)
    {
        var name = replacement[..(replacement.IndexOf(':', StringComparison.Ordinal) + 1)];
        var json = ReplaceField(OhlcBar, name, replacement);

        Assert.Equal(RejectReason.WrongFieldType, Reason(json));
    }

    [Theory]
    [InlineData(10800)]
    [InlineData(-18000)]
    [InlineData(0)]
    [InlineData(50400)]
    [InlineData(-50400)]
    public void ReadsTheHandshakeUtcOffset(int offsetSeconds)
    {
        var json = ReplaceField(Handshake, "\"utc_offset_seconds\":", $"\"utc_offset_seconds\":{offsetSeconds}");

        Assert.Equal(RejectReason.None, Parse(json, out var frame));

        Assert.Equal(EaMessageType.Handshake, frame.Type);
        Assert.True(frame.HasUtcOffset);
        Assert.Equal(offsetSeconds, frame.UtcOffsetSeconds);
        Assert.Equal("user-1", Text(frame.Source));
        Assert.Equal(Ms(2025, 9, 15, 22, 41, 16), frame.TimestampMs);
        Assert.Equal(TimestampKind.BrokerTime, frame.TimestampKind);
    }

    [Fact]
    public void ReportsNoOffsetForAV205HandshakeWithoutOne()
    {
        Assert.Equal(RejectReason.None, Parse(Without(Handshake, "utc_offset_seconds"), out var frame));

        Assert.False(frame.HasUtcOffset);
        Assert.Equal(0, frame.UtcOffsetSeconds);
    }

    [Theory]
    [InlineData("50401")]
    [InlineData("-50401")]
    [InlineData("3600.5")]
    [InlineData("\"3600\"")]
    [InlineData("true")]
    public void RejectsAnImpossibleUtcOffset(string value)
    {
        var json = ReplaceField(Handshake, "\"utc_offset_seconds\":", $"\"utc_offset_seconds\":{value}");

        Assert.Equal(RejectReason.WrongFieldType, Reason(json));
    }

    [Theory]
    [InlineData("heartbeat", EaMessageType.TelemetryHeartbeat)]
    [InlineData("handshake", EaMessageType.Handshake)]
    [InlineData("HANDSHAKE", EaMessageType.Handshake)]
    [InlineData("DISCONNECT", EaMessageType.Disconnect)]
    [InlineData("HELLO", EaMessageType.Hello)]
    [InlineData("HEARTBEAT", EaMessageType.Heartbeat)]
    [InlineData("confirmation", EaMessageType.Confirmation)]
    [InlineData("close_confirmation", EaMessageType.CloseConfirmation)]
    [InlineData("pong", EaMessageType.Pong)]
    public void RecognisesEveryMessageTypeWithoutMarketFields(string type, EaMessageType expected)
    {
        var json = $$"""{"type":"{{type}}","user_uuid":"user-1","symbols_monitored":3,"timestamp":"2025.09.15 19:41:16"}""";

        Assert.Equal(RejectReason.None, Parse(json, out var frame));

        Assert.Equal(expected, frame.Type);
        Assert.Equal("user-1", Text(frame.Source));
    }

    [Fact]
    public void AcceptsASymbolOfExactlyThirtyTwoBytes()
    {
        var symbol = new string('A', SymbolRegistry.MaxSymbolBytes);

        Assert.Equal(RejectReason.None, Parse($$"""{"type":"TICK","symbol":"{{symbol}}","bid":1.1,"ask":1.2,"timestamp":1757965276}""", out var frame));

        Assert.Equal(symbol, Text(frame.Symbol));
    }

    [Fact]
    public void AcceptsTrailingWhitespaceAfterTheObject()
    {
        Assert.Equal(RejectReason.None, Reason(V205Tick + " \r\n\t"));
        Assert.Equal(RejectReason.None, Reason(" \n" + V205Tick));
    }

    [Fact]
    public void AcceptsANulTerminatedFrame()
    {
        // MQL5's StringToCharArray copies the terminating NUL unless told not to.
        Assert.Equal(RejectReason.None, Parse([.. Utf8(V205Tick), 0], out var frame));

        Assert.Equal("EURUSD", Text(frame.Symbol));
    }

    [Fact]
    public void ChecksTheSymbolLengthAfterUnescaping()
    {
        Assert.Equal(RejectReason.None, Parse("""{"type":"TICK","symbol":"\u0045\u0055\u0052\u0055\u0053\u0044","bid":1.1,"ask":1.2,"timestamp":1757965276}""", out var frame));

        Assert.Equal("EURUSD", Text(frame.Symbol));
    }

    [Theory]
    [MemberData(nameof(Rejections))]
    public void RejectsABadFrameWithItsReason(string json, RejectReason expected)
    {
        Assert.Equal(expected, Reason(json));
    }

    public static TheoryData<string, RejectReason> Rejections()
    {
        var data = new TheoryData<string, RejectReason>
        {
            { "", RejectReason.EmptyFrame },
            { " ", RejectReason.EmptyFrame },
            { " \t\r\n ", RejectReason.EmptyFrame },
            { "hello", RejectReason.NotJson },
            { "{nope}", RejectReason.NotJson },
            { "{'type':'TICK'}", RejectReason.NotJson },
            { """{"type":"TICK",}""", RejectReason.NotJson },
            { """{"type" "TICK"}""", RejectReason.NotJson },
            { "}", RejectReason.NotJson },
            { "{", RejectReason.Truncated },
            { """{"type":"TI""", RejectReason.Truncated },
            { "[1,2,3]", RejectReason.NotAnObject },
            { "[]", RejectReason.NotAnObject },
            { """[{"type":"TICK","symbol":"EURUSD","bid":1.1,"ask":1.2,"timestamp":1757965276}]""", RejectReason.NotAnObject },
            { "\"TICK\"", RejectReason.NotAnObject },
            { "{}", RejectReason.MissingType },
            { """{"symbol":"EURUSD","bid":1.1,"ask":1.2,"timestamp":1757965276}""", RejectReason.MissingType },
            { """{"type":null,"symbol":"EURUSD","bid":1.1,"ask":1.2,"timestamp":1757965276}""", RejectReason.MissingType },
            { """{"type":"QUOTE","symbol":"EURUSD","bid":1.1,"ask":1.2,"timestamp":1757965276}""", RejectReason.UnknownType },
            { """{"type":"Tick","symbol":"EURUSD","bid":1.1,"ask":1.2,"timestamp":1757965276}""", RejectReason.UnknownType },
            { """{"type":"","symbol":"EURUSD","bid":1.1,"ask":1.2,"timestamp":1757965276}""", RejectReason.UnknownType },
            { """{"type":1,"symbol":"EURUSD","bid":1.1,"ask":1.2,"timestamp":1757965276}""", RejectReason.WrongFieldType },
            { """{"type":"TICK","symbol":"EURUSD","bid":"1.1","ask":1.2,"timestamp":1757965276}""", RejectReason.WrongFieldType },
            { """{"type":"TICK","symbol":"EURUSD","bid":1.1,"ask":[1.2],"timestamp":1757965276}""", RejectReason.WrongFieldType },
            { """{"type":"TICK","symbol":"EURUSD","bid":true,"ask":1.2,"timestamp":1757965276}""", RejectReason.WrongFieldType },
            { """{"type":"TICK","symbol":42,"bid":1.1,"ask":1.2,"timestamp":1757965276}""", RejectReason.WrongFieldType },
            { """{"type":"TICK","symbol":{"name":"EURUSD"},"bid":1.1,"ask":1.2,"timestamp":1757965276}""", RejectReason.WrongFieldType },
            { """{"type":"TICK","symbol":"EURUSD","bid":1.1,"ask":1.2,"spread":"1.0","timestamp":1757965276}""", RejectReason.WrongFieldType },
            { """{"type":"TICK","symbol":"EURUSD","bid":1.1,"ask":1.2,"volume":"0","timestamp":1757965276}""", RejectReason.WrongFieldType },
            { """{"type":"TICK","symbol":"EURUSD","bid":1.1,"ask":1.2,"timestamp":true}""", RejectReason.WrongFieldType },
            { """{"type":"TICK","symbol":"EURUSD","bid":1.1,"ask":1.2,"timestamp":{"s":1}}""", RejectReason.WrongFieldType },
            { """{"type":"TICK","user_uuid":7,"symbol":"EURUSD","bid":1.1,"ask":1.2,"timestamp":1757965276}""", RejectReason.WrongFieldType },
            { """{"type":"TICK","node_id":["n"],"symbol":"EURUSD","bid":1.1,"ask":1.2,"timestamp":1757965276}""", RejectReason.WrongFieldType },
            { """{"type":"TICK","symbol":"","bid":1.1,"ask":1.2,"timestamp":1757965276}""", RejectReason.MissingField },
            { """{"type":"TICK","symbol":null,"bid":1.1,"ask":1.2,"timestamp":1757965276}""", RejectReason.MissingField },
            { """{"type":"TICK","symbol":"EURUSD","bid":null,"ask":1.2,"timestamp":1757965276}""", RejectReason.MissingField },
            { """{"type":"TICK","symbol":"EURUSD","bid":1e400,"ask":1.2,"timestamp":1757965276}""", RejectReason.NonFinitePrice },
            { """{"type":"TICK","symbol":"EURUSD","bid":1.1,"ask":-1e400,"timestamp":1757965276}""", RejectReason.NonFinitePrice },
            { """{"type":"TICK","symbol":"EURUSD","bid":1.1,"ask":1.2,"spread":1e999,"timestamp":1757965276}""", RejectReason.NonFinitePrice },
            { """{"type":"OHLC","symbol":"EURUSD","timeframe":"M1","time":1757965200,"open":1e400,"high":1.2,"low":1.0,"close":1.1}""", RejectReason.NonFinitePrice },
            { """{"type":"OHLC","symbol":"EURUSD","timeframe":"M1","time":1757965200,"open":1.1,"high":1.0,"low":1.2,"close":1.1}""", RejectReason.InconsistentBar },
            { """{"type":"OHLC","symbol":"EURUSD","timeframe":"M1","time":1757965200,"open":0,"high":1.2,"low":1.0,"close":1.1}""", RejectReason.NonPositivePrice },
            { """{"type":"OHLC","symbol":"EURUSD","timeframe":"M3","time":1757965200,"open":1.1,"high":1.2,"low":1.0,"close":1.1}""", RejectReason.UnknownTimeframe },
            { """{"type":"OHLC","symbol":"EURUSD","timeframe":"H1","time":1757965200,"open":1.1,"high":1.2,"low":1.0,"close":1.1}""", RejectReason.MisalignedBar },
            { """{"type":"TICK","symbol":"EURUSD","bid":1.1,"ask":1.2,"timestamp":"someday"}""", RejectReason.BadTimestamp },
            { """{"type":"TICK","symbol":"EURUSD","bid":NaN,"ask":1.2,"timestamp":1757965276}""", RejectReason.NotJson },
            { """{"type":"TICK","symbol":"EURUSD","bid":Infinity,"ask":1.2,"timestamp":1757965276}""", RejectReason.NotJson },
            { $$"""{"type":"TICK","symbol":"{{new string('A', 33)}}","bid":1.1,"ask":1.2,"timestamp":1757965276}""", RejectReason.SymbolTooLong },
            { $$"""{"type":"TICK","symbol":"{{new string('é', 17)}}","bid":1.1,"ask":1.2,"timestamp":1757965276}""", RejectReason.SymbolTooLong },
            { """{"type":"TICK","symbol":"EUR/USD","bid":1.1,"ask":1.2,"timestamp":1757965276}""", RejectReason.BadSymbol },
            { V205Tick + "x", RejectReason.NotJson },
            { V205Tick + " garbage", RejectReason.NotJson },
            { V205Tick + ",", RejectReason.NotJson },
            { V205Tick + "}", RejectReason.NotJson },
            { V205Tick + V205Tick, RejectReason.NotJson },
            { V205Tick + "\n" + SeedTick, RejectReason.NotJson },
            { """{"type":"TICK","x":""" + new string('[', 40) + new string(']', 40) + "}", RejectReason.NotJson },
        };
        return data;
    }

    [Fact]
    public void TheRejectionExamplesCoverEveryReasonTheParserCanGive()
    {
        var covered = Rejections().Select(row => (RejectReason)row[1]).ToHashSet();

        Assert.Equal(ParserReasons.Where(r => r != RejectReason.None).Order(), covered.Order());
    }

    [Theory]
    [MemberData(nameof(RequiredTickFields))]
    public void RejectsATickMissingARequiredField(string frame, string field)
    {
        var json = Without(frame, field);

        Assert.Equal(RejectReason.MissingField, Reason(json));
    }

    public static TheoryData<string, string> RequiredTickFields()
    {
        var data = new TheoryData<string, string>();
        foreach (var frame in new[] { V205Tick, SeedTick, BrokerTimeTick })
        {
            foreach (var field in new[] { "symbol", "bid", "ask", "timestamp" })
            {
                data.Add(frame, field);
            }
        }

        return data;
    }

    [Fact]
    public void RejectsEveryTruncationOfAValidFrameWithoutThrowing()
    {
        foreach (var text in ValidMarketFrames)
        {
            var bytes = Utf8(text);
            Assert.Equal(RejectReason.None, Parse(bytes, out _));
            for (var cut = 1; cut < bytes.Length; cut++)
            {
                var reason = Parse(bytes[..cut], out _);
                Assert.True(reason == RejectReason.Truncated, $"cut at {cut} gave {reason}: {Encoding.UTF8.GetString(bytes, 0, cut)}");
            }
        }
    }

    private static string Bar(double open, double high, double low, double close) =>
        string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $$"""{"type":"OHLC","symbol":"EURUSD","timeframe":"M1","time":1757965200,"open":{{open}},"high":{{high}},"low":{{low}},"close":{{close}}}""");

    /// <summary>Removes a top-level field (and its comma) from one of the flat sample frames.</summary>
    internal static string Without(string json, string field)
    {
        var start = json.IndexOf($"\"{field}\":", StringComparison.Ordinal);
        Assert.True(start > 0, $"{field} not in {json}");
        var end = ValueEnd(json, start + field.Length + 3);
        var removed = json.Remove(start, end - start);
        removed = removed.Replace(",,", ",", StringComparison.Ordinal).Replace("{,", "{", StringComparison.Ordinal).Replace(",}", "}", StringComparison.Ordinal);
        Assert.DoesNotContain($"\"{field}\":", removed, StringComparison.Ordinal);
        return removed;
    }

    /// <summary>Replaces <c>"name":value</c> in a flat sample frame with <paramref name="replacement"/>.</summary>
    internal static string ReplaceField(string json, string namePrefix, string replacement)
    {
        var start = json.IndexOf(namePrefix, StringComparison.Ordinal);
        Assert.True(start > 0, $"{namePrefix} not in {json}");
        var end = ValueEnd(json, start + namePrefix.Length);
        return json[..start] + replacement + json[end..];
    }

    private static int ValueEnd(string json, int valueStart)
    {
        if (json[valueStart] == '"')
        {
            var i = valueStart + 1;
            while (json[i] != '"')
            {
                i += json[i] == '\\' ? 2 : 1;
            }

            return i + 1;
        }

        var end = valueStart;
        while (json[end] is not (',' or '}'))
        {
            end++;
        }

        return end;
    }
}
