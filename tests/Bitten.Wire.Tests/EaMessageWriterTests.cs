using Bitten.Domain.Primitives;
using Bitten.Wire.Ea;
using static Bitten.Wire.Tests.Frames;

namespace Bitten.Wire.Tests;

/// <summary>What the simulated EA writes must read back as the same values: the writer and the parser agree.</summary>
public class EaMessageWriterTests
{
    private static readonly AccountReport Account = new(10000.50m, 10012.25m, 120.125m, 9892.125m, 8326.4m, "USD", 500, "5038271", "Broker-Live");

    [Fact]
    public void TicksRoundTripThroughTheParsers()
    {
        var writer = new EaMessageWriter();
        var random = new Random(42);
        string[] symbols = ["EURUSD", "XAUUSD", "EURUSD.r", "US500.m", "GER40", "usdjpy", "XAUUSD#", "US30-ECN", "GER_40"];
        for (var i = 0; i < 500; i++)
        {
            var symbol = symbols[random.Next(symbols.Length)];
            var bid = Math.Round(0.5 + (random.NextDouble() * 3000), random.Next(0, 6));
            var ask = bid + Math.Round(random.NextDouble() * 0.01, 5);
            var spread = Math.Round(random.NextDouble() * 50, 1);
            var time = 1_400_000_000_000L + random.NextInt64(400_000_000_000L);
            var uuid = $"user-{random.Next(1000)}";

            var json = writer.Tick(uuid, "node-1", symbol, bid, ask, spread, time).ToArray();

            var parsed = EaMessageParser.Parse(json);
            Assert.True(parsed.IsValid, $"{parsed.Reason}: {Text(json)}");
            Assert.Equal(new EaTick(uuid, symbol, bid, ask, spread, 0, time, TimestampKind.UnixMilliseconds), parsed.Message);

            Assert.Equal(RejectReason.None, Parse(json, out var frame));
            Assert.Equal(symbol, Text(frame.Symbol));
            Assert.Equal(bid, frame.Bid);
            Assert.Equal(ask, frame.Ask);
            Assert.Equal(time, frame.TimestampMs);
        }
    }

    [Fact]
    public void HelloRoundTrips()
    {
        EaPosition[] positions =
        [
            new(123456789, "F-1", "EURUSD", "BUY", 0.10m, 1.17602, 1.17302, 1.18202, -3.25m),
            new(123456790, null, "XAUUSD", "SELL", 0.01m, 3641.25, 0, 0, 1.5m),
        ];
        SymbolSpecReport[] specs =
        [
            new("EURUSD", 5, 0.00001, 1.0m, 0.00001, 0.01m, 0.01m, 100m, 10),
            new("XAUUSD", 2, 0.01, 0.1m, 0.01, 0.01m, 0.01m, 50m, 0),
            new("USDJPY", 3, 0.001, 0.6712m, 0.001, 0.1m, 0.1m, 1000m, 5),
        ];

        var json = new EaMessageWriter().Hello("user-2", "node-8", Account, positions, specs, "PAIR-77", 1757965276123).ToArray();

        var hello = Assert.IsType<EaHello>(EaMessageParser.Parse(json).Message);
        Assert.Equal("user-2", hello.Uuid);
        Assert.Equal("node-8", hello.NodeId);
        Assert.Equal("PAIR-77", hello.PairingCode);
        Assert.False(string.IsNullOrEmpty(hello.Version));
        Assert.Equal(Account, hello.Account);
        Assert.Equal(positions, hello.Positions);
        Assert.Equal(specs, hello.Symbols);
        Assert.Equal(1757965276123, hello.TimestampMs);
    }

    [Fact]
    public void HelloWithoutPairingCodeOrPositionsRoundTrips()
    {
        var account = Account with { Currency = null, AccountLogin = null, Broker = null };

        var json = new EaMessageWriter().Hello("user-3", "node-9", account, [], [], null, 1757965276000).ToArray();

        var hello = Assert.IsType<EaHello>(EaMessageParser.Parse(json).Message);
        Assert.Null(hello.PairingCode);
        Assert.Equal(account, hello.Account);
        Assert.Empty(hello.Positions);
        Assert.Empty(hello.Symbols);
    }

    [Fact]
    public void HeartbeatRoundTrips()
    {
        EaPosition[] positions = [new(77, "F-9", "GBPUSD", "SELL", 0.2m, 1.35211, 1.35511, 1.34611, 2.0m)];

        var json = new EaMessageWriter().Heartbeat("user-1", "node-7", Account, positions, 123456, 1757965306000).ToArray();

        var heartbeat = Assert.IsType<EaHeartbeat>(EaMessageParser.Parse(json).Message);
        Assert.Equal("user-1", heartbeat.Uuid);
        Assert.Equal("node-7", heartbeat.NodeId);
        Assert.Equal(Account, heartbeat.Account);
        Assert.Equal(positions, heartbeat.Positions);
        Assert.Equal(1757965306000, heartbeat.TimestampMs);
    }

    [Theory]
    [InlineData(10800)]
    [InlineData(-18000)]
    [InlineData(0)]
    public void HandshakeRoundTripsWithItsUtcOffset(int offsetSeconds)
    {
        var json = new EaMessageWriter().Handshake("user-1", "node-7", Account, offsetSeconds, ["EURUSD", "XAUUSD"], 1757965276000).ToArray();

        Assert.Equal(new EaTelemetry(EaMessageType.Handshake, "user-1", offsetSeconds), EaMessageParser.Parse(json).Message);
        Assert.Equal(RejectReason.None, Parse(json, out var frame));
        Assert.Equal(1757965276000, frame.TimestampMs);
    }

    [Fact]
    public void TelemetryHeartbeatAndDisconnectRoundTrip()
    {
        var writer = new EaMessageWriter();

        var heartbeat = writer.TelemetryHeartbeat("user-1", "node-7", Account, 2, 99, 1757965276000).ToArray();
        var disconnect = writer.Disconnect("user-1", "node-7", 2, 99, 1757965276000).ToArray();

        Assert.Equal(new EaTelemetry(EaMessageType.TelemetryHeartbeat, "user-1", null), EaMessageParser.Parse(heartbeat).Message);
        Assert.Equal(new EaTelemetry(EaMessageType.Disconnect, "user-1", null), EaMessageParser.Parse(disconnect).Message);
    }

    [Fact]
    public void PongRoundTrips()
    {
        var json = new EaMessageWriter().Pong("user-1", "node-7", "p-\"42\"", 1757965276000).ToArray();

        Assert.Equal(new EaPong("p-\"42\"", "user-1"), EaMessageParser.Parse(json).Message);
    }

    [Fact]
    public void RefusalReadsBackAsAFailedConfirmation()
    {
        var json = new EaMessageWriter().Refusal("user-1", "node-7", "unknown", "F-5", "unsupported command", Account, 1757965276000).ToArray();

        var confirmation = Assert.IsType<FireConfirmation>(EaMessageParser.Parse(json).Message);
        Assert.False(confirmation.Success);
        Assert.Equal("F-5", confirmation.FireId);
        Assert.Equal("user-1", confirmation.Uuid);
        Assert.Equal("unsupported command", confirmation.Message);
        Assert.Equal(Account, confirmation.Account);
        Assert.Equal(1757965276000, confirmation.TimestampMs);
    }

    [Fact]
    public void ReusesItsBufferSoEachSpanHoldsOnlyTheLatestMessage()
    {
        var writer = new EaMessageWriter();

        var first = writer.Tick("u", "n", "EURUSD", 1.1, 1.2, 1, 1757965276000).ToArray();
        var second = writer.Pong("u", "n", "p", 1757965276000).ToArray();

        Assert.IsType<EaTick>(EaMessageParser.Parse(first).Message);
        Assert.IsType<EaPong>(EaMessageParser.Parse(second).Message);
    }
}
