using System.Text;
using Bitten.Domain.Signals;
using Bitten.Wire.Ea;

namespace Bitten.Wire.Tests;

/// <summary>Server → EA commands written by the server read back identically on the EA side; bad ones are refused with a reason.</summary>
public class EaCommandTests
{
    private static readonly AccountReport Account = new(10000.50m, 10012.25m, 120.125m, 9892.125m, 8326.4m, "USD", 500, "5038271", "Broker-Live");

    public static TheoryData<EaCommand> Commands() =>
    [
        new FireCommand("user-1", "F-7f3a", "EURUSD", Direction.Buy, 1.08512, 1.09012, 0.10m),
        new FireCommand("user-1", "F-\"quoted\"", "XAUUSD", Direction.Sell, 2410.55, 2380.1, 1.25m),
        new FireCommand("user-2", "F-0", "USDJPY", Direction.Buy, 0, 0, 100m),
        new CloseTicketCommand("user-1", "F-7f3a", 100001),
        new CloseTicketCommand("user-1", null, long.MaxValue),
        new CloseAllCommand("user-1"),
        new PingCommand("user-1", "p-42"),
        new PingCommand("", "p-43"),
    ];

    [Theory]
    [MemberData(nameof(Commands))]
    public void EveryCommandRoundTripsThroughTheEaParser(EaCommand command)
    {
        var json = new EaCommandWriter().Write(command).ToArray();

        var parsed = EaCommandParser.Parse(json, out var error);

        Assert.True(parsed is not null, $"{error}: {Encoding.UTF8.GetString(json)}");
        Assert.Equal(command, parsed);
        Assert.Equal("", error);
    }

    [Fact]
    public void AFireIsWrittenInTheSeedFormatWithEntryZeroAndTheLotAsANumber()
    {
        var json = Encoding.UTF8.GetString(new EaCommandWriter().Write(new FireCommand("u", "F-1", "EURUSD", Direction.Sell, 1.1, 1.05, 0.10m)));

        Assert.Equal("""{"type":"fire","target_uuid":"u","fire_id":"F-1","symbol":"EURUSD","direction":"SELL","entry":0,"sl":1.1,"tp":1.05,"lot":0.10}""", json);
    }

    [Fact]
    public void OneWriterReusesItsBufferAcrossCommands()
    {
        var writer = new EaCommandWriter();
        writer.Write(new FireCommand("user-1", "F-long-long-long-long-long", "EURUSD", Direction.Buy, 1.08, 1.09, 0.5m));

        var ping = Encoding.UTF8.GetString(writer.Write(new PingCommand("", "p")));

        Assert.Equal("""{"type":"ping","ping_id":"p"}""", ping);
    }

    [Theory]
    [InlineData("not json", "not JSON")]
    [InlineData("", "not JSON")]
    [InlineData("[1,2]", "object")]
    [InlineData("""{"fire_id":"F"}""", "missing type")]
    [InlineData("""{"type":7}""", "type must be a string")]
    [InlineData("""{"type":"launch","target_uuid":"u"}""", "unknown command type 'launch'")]
    [InlineData("""{"type":"fire","target_uuid":"u","symbol":"EURUSD","direction":"BUY","entry":0,"sl":1,"tp":2,"lot":0.1}""", "missing fire_id")]
    [InlineData("""{"type":"fire","target_uuid":"u","fire_id":"","symbol":"EURUSD","direction":"BUY","entry":0,"sl":1,"tp":2,"lot":0.1}""", "missing fire_id")]
    [InlineData("""{"type":"fire","fire_id":"F","symbol":"EURUSD","direction":"BUY","entry":0,"sl":1,"tp":2,"lot":0.1}""", "missing target_uuid")]
    [InlineData("""{"type":"fire","target_uuid":"u","fire_id":"F","direction":"BUY","entry":0,"sl":1,"tp":2,"lot":0.1}""", "missing symbol")]
    [InlineData("""{"type":"fire","target_uuid":"u","fire_id":"F","symbol":"EURUSD","direction":"LONG","entry":0,"sl":1,"tp":2,"lot":0.1}""", "direction must be BUY or SELL")]
    [InlineData("""{"type":"fire","target_uuid":"u","fire_id":"F","symbol":"EURUSD","direction":"buy","entry":0,"sl":1,"tp":2,"lot":0.1}""", "direction must be BUY or SELL")]
    [InlineData("""{"type":"fire","target_uuid":"u","fire_id":"F","symbol":"EURUSD","entry":0,"sl":1,"tp":2,"lot":0.1}""", "direction must be BUY or SELL")]
    [InlineData("""{"type":"fire","target_uuid":"u","fire_id":"F","symbol":"EURUSD","direction":"BUY","entry":1.1,"sl":1,"tp":2,"lot":0.1}""", "entry must be 0")]
    [InlineData("""{"type":"fire","target_uuid":"u","fire_id":"F","symbol":"EURUSD","direction":"BUY","entry":0,"tp":2,"lot":0.1}""", "missing sl")]
    [InlineData("""{"type":"fire","target_uuid":"u","fire_id":"F","symbol":"EURUSD","direction":"BUY","entry":0,"sl":"1.0","tp":2,"lot":0.1}""", "sl must be a non-negative number")]
    [InlineData("""{"type":"fire","target_uuid":"u","fire_id":"F","symbol":"EURUSD","direction":"BUY","entry":0,"sl":1,"tp":-2,"lot":0.1}""", "tp must be a non-negative number")]
    [InlineData("""{"type":"fire","target_uuid":"u","fire_id":"F","symbol":"EURUSD","direction":"BUY","entry":0,"sl":1,"tp":2,"lot":-0.1}""", "lot must be a positive number")]
    [InlineData("""{"type":"fire","target_uuid":"u","fire_id":"F","symbol":"EURUSD","direction":"BUY","entry":0,"sl":1,"tp":2,"lot":0}""", "lot must be a positive number")]
    [InlineData("""{"type":"fire","target_uuid":"u","fire_id":"F","symbol":"EURUSD","direction":"BUY","entry":0,"sl":1,"tp":2,"lot":"0.1"}""", "lot must be a positive number")]
    [InlineData("""{"type":"fire","target_uuid":"u","fire_id":"F","symbol":"EURUSD","direction":"BUY","entry":0,"sl":1,"tp":2}""", "lot must be a positive number")]
    [InlineData("""{"type":"fire","target_uuid":"u","fire_id":7,"symbol":"EURUSD","direction":"BUY","entry":0,"sl":1,"tp":2,"lot":0.1}""", "fire_id must be a string")]
    [InlineData("""{"type":"close_ticket","target_uuid":"u","ticket":"100001"}""", "ticket must be a positive integer")]
    [InlineData("""{"type":"close_ticket","target_uuid":"u","ticket":1.5}""", "ticket must be a positive integer")]
    [InlineData("""{"type":"close_ticket","target_uuid":"u","ticket":0}""", "ticket must be a positive integer")]
    [InlineData("""{"type":"close_ticket","target_uuid":"u"}""", "ticket must be a positive integer")]
    [InlineData("""{"type":"close_ticket","ticket":100001}""", "missing target_uuid")]
    [InlineData("""{"type":"close_all"}""", "missing target_uuid")]
    [InlineData("""{"type":"ping"}""", "missing ping_id")]
    [InlineData("""{"type":"ping","ping_id":""}""", "missing ping_id")]
    [InlineData("""{"type":"ping","ping_id":{}}""", "missing ping_id")]
    public void BadCommandsAreRefusedWithAReason(string json, string reason)
    {
        var parsed = EaCommandParser.Parse(Encoding.UTF8.GetBytes(json), out var error);

        Assert.Null(parsed);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidUtf8IsRefusedNotThrown()
    {
        byte[] json = [.. "{\"type\":\"fire\",\"target_uuid\":\""u8, 0xC3, 0x28, .. "\"}"u8];

        Assert.Null(EaCommandParser.Parse(json, out var error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void AnEaTrailingNulAndUnknownFieldsAreAccepted()
    {
        var json = Encoding.UTF8.GetBytes("""{"type":"close_all","target_uuid":"u","magic":123456}""" + "\0");

        Assert.Equal(new CloseAllCommand("u"), EaCommandParser.Parse(json, out _));
    }

    [Fact]
    public void ANumericPingIdIsEchoedAsWritten()
    {
        Assert.Equal(new PingCommand("", "42"), EaCommandParser.Parse("""{"type":"ping","ping_id":42}"""u8, out _));
    }

    [Fact]
    public void ASuccessfulConfirmationReadsBackAsWritten()
    {
        var json = new EaMessageWriter().Confirmation("user-1", "node-1", "F-7f3a", 100001, 1.08523, 0.10m, "filled (simulated)", Account, 1_700_000_000_123).ToArray();

        var parsed = EaMessageParser.Parse(json);

        Assert.True(parsed.IsValid, parsed.Reason.ToString());
        Assert.Equal(new FireConfirmation("F-7f3a", "user-1", true, 100001, 1.08523, 0.10m, "filled (simulated)", Account, 1_700_000_000_123), parsed.Message);
    }

    [Theory]
    [InlineData("F-7f3a")]
    [InlineData(null)]
    public void ACloseConfirmationReadsBackAsWritten(string? fireId)
    {
        var json = new EaMessageWriter().CloseConfirmation("user-1", "node-1", fireId, 100001, 1.09012, -123.45m, "tp", Account, 1_700_000_000_123).ToArray();

        var parsed = EaMessageParser.Parse(json);

        Assert.True(parsed.IsValid, parsed.Reason.ToString());
        Assert.Equal(new CloseConfirmation(fireId, "user-1", 100001, 1.09012, -123.45m, "tp", Account), parsed.Message);
    }
}
