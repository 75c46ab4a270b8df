using System.Globalization;
using System.Text;
using Bitten.Domain.Primitives;
using Bitten.Engine.Market;
using Bitten.Gateway.Market;
using Bitten.Zmq;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bitten.Gateway.Tests;

/// <summary>With Zmq:CurveSecretKey set, the bridge's ports speak CURVE only.</summary>
public sealed class CurveTests
{
    [Fact]
    public async Task WithCurveOnlyEasHoldingTheServerKeyGetThrough()
    {
        var (serverPublic, serverSecret) = ZmqCurve.GenerateKeyPair();
        Assert.Equal(serverPublic, ZmqCurve.PublicKeyOf(serverSecret));
        var zmq = new ZmqOptions { MarketInPort = 0, MarketOutPort = 0, CurveSecretKey = serverSecret };
        Assert.Empty(zmq.Validate());
        await using var bridge = new MarketBridge(zmq, new BridgeOptions(), new MarketOptions(), new SymbolRegistry(), new RecordingTickSink(int.MaxValue),
            TimeProvider.System, NullLogger.Instance);
        bridge.Start();

        using var context = new ZmqContext();
        var (clientPublic, clientSecret) = ZmqCurve.GenerateKeyPair();
        using var sub = context.CreateSocket(ZmqSocketType.Sub);
        sub.SetCurveClient(serverPublic, clientPublic, clientSecret);
        sub.Subscribe([]);
        sub.Connect(zmq.ConnectEndpoint(bridge.MarketOutPort));
        using var plain = context.CreateSocket(ZmqSocketType.Push);
        plain.Connect(zmq.ConnectEndpoint(bridge.MarketInPort));
        using var secure = context.CreateSocket(ZmqSocketType.Push);
        secure.SetCurveClient(serverPublic, clientPublic, clientSecret);
        secure.Connect(zmq.ConnectEndpoint(bridge.MarketInPort));

        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        byte[] Tick(string uuid) => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $$"""{"type":"TICK","user_uuid":"{{uuid}}","symbol":"EURUSD","bid":1.1,"ask":1.1002,"timestamp":{{now}}}"""));
        for (var i = 0; i < 5; i++)
        {
            plain.Send(Tick("NO_KEYS"));
        }

        // Send over CURVE until the subscriber (also on CURVE) sees one, then a last one: only these arrive.
        sub.ReceiveTimeout = 100;
        var sent = 0;
        // TryReceiveFrame gives an empty frame on timeout, so its result (not the frame) says whether one came.
        byte[] first;
        do
        {
            Assert.True(sent < 100, "nothing came through over CURVE");
            secure.Send(Tick("WITH_KEYS"));
            sent++;
        }
        while (!sub.TryReceiveFrame(out first));

        Assert.Contains("WITH_KEYS", Encoding.UTF8.GetString(first), StringComparison.Ordinal);
        sub.ReceiveTimeout = 10_000;
        secure.Send(Tick("LAST"));
        sent++;
        while (!Encoding.UTF8.GetString(sub.ReceiveFrame()).Contains("LAST", StringComparison.Ordinal))
        {
        }

        Assert.Equal(sent, bridge.Stats.Received);
        Assert.DoesNotContain(bridge.Sources.Snapshot(), s => s.Source == "NO_KEYS");
    }

    [Fact]
    public void RefusesAMalformedSecretKey()
    {
        Assert.Contains(new ZmqOptions { CurveSecretKey = "short" }.Validate(), e => e.Contains("CurveSecretKey", StringComparison.Ordinal));
        Assert.Throws<ArgumentException>(() => ZmqCurve.PublicKeyOf("short"));
    }
}
