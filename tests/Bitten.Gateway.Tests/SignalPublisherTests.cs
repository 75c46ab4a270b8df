using System.Text.Json;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Gateway.Signals;
using Bitten.Testing;
using Bitten.Wire.Signals;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bitten.Gateway.Tests;

public sealed class SignalPublisherTests
{
    // A foreign subscriber, as the original's relay was: SUB on the topic, print the first message.
    private const string Subscriber = """
        import sys, zmq
        ctx = zmq.Context()
        sub = ctx.socket(zmq.SUB)
        sub.setsockopt(zmq.SUBSCRIBE, b"ELITE_GUARD_SIGNAL ")
        sub.connect(sys.argv[1])
        if not sub.poll(20000):
            sys.exit("no signal within 20 s")
        sys.stdout.write(sub.recv().decode())
        """;

    private static Signal Sample(SymbolRegistry symbols) => new(
        SignalIds.Create(SignalClass.Sniper, PatternType.OrderBlockBounce, "XAUUSD", 1_399_300_000_000),
        "XAUUSD", symbols.GetOrAdd("XAUUSD"), Direction.Sell, 1300.50, 1308.50, 1288.50, 80, 120, 1.5, 82.5,
        PatternType.OrderBlockBounce, 0, "LONDON", 1_399_300_000_000, 1_399_301_800_000, 1_399_300_000_000);

    [Fact]
    public async Task AForeignSubscriberReceivesTheSignalUnderItsTopic()
    {
        var symbols = new SymbolRegistry();
        var signal = Sample(symbols);
        var zmq = new ZmqOptions { SignalPort = 0 };
        await using var publisher = new SignalPublisher(zmq, NullLogger.Instance);
        publisher.Start();
        using var python = PyZmq.Start(Subscriber, zmq.ConnectEndpoint(publisher.Port));
        var output = python.StandardOutput.ReadToEndAsync();

        // PUB drops messages until the subscription has arrived: publish until the subscriber has one.
        for (var attempt = 0; !python.HasExited; attempt++)
        {
            Assert.True(attempt < 400, "the subscriber never received a signal");
            publisher.OnSignal(signal);
            using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
            try
            {
                await python.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }

        Assert.True(python.ExitCode == 0, await python.StandardError.ReadToEndAsync());
        var message = await output;
        Assert.StartsWith("ELITE_GUARD_SIGNAL {", message, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(message["ELITE_GUARD_SIGNAL ".Length..]);
        var root = json.RootElement;
        Assert.Equal(signal.SignalId, root.GetProperty("signal_id").GetString());
        Assert.Equal("SELL", root.GetProperty("direction").GetString());
        Assert.Equal("SNIPER", root.GetProperty("signal_class").GetString());
        Assert.Equal("ORDER_BLOCK_BOUNCE", root.GetProperty("pattern_type").GetString());
        Assert.Equal(1308.50, root.GetProperty("sl").GetDouble());
        Assert.Equal(1288.50, root.GetProperty("tp").GetDouble());
        Assert.Equal(1_399_301_800_000, root.GetProperty("expires_at").GetInt64());
        foreach (var field in new[] { "symbol", "entry_price", "stop_pips", "target_pips", "risk_reward", "confidence", "citadel_score", "session", "timestamp" })
        {
            Assert.True(root.TryGetProperty(field, out _), $"missing {field}");
        }
    }

    [Fact]
    public void TheJsonReadsBackToTheSameSignal()
    {
        var symbols = new SymbolRegistry();
        var signal = Sample(symbols);
        var parsed = SignalJson.Parse(SignalJson.Frame(signal), symbols, signal.ReceivedTimeMs, out var error);
        Assert.Equal("", error);
        Assert.Equal(signal, parsed);
    }

    [Theory]
    [InlineData("""{"signal_id":"X","symbol":"EURUSD","direction":"BUY","entry_price":1.1,"sl":1.2,"tp":1.3,"stop_pips":10,"target_pips":15,"risk_reward":1.5,"confidence":80,"pattern_type":"BB_SCALP","timestamp":1,"expires_at":2}""", "losing side")]
    [InlineData("""{"signal_id":"X","symbol":"EURUSD","direction":"UP","entry_price":1.1,"sl":1.0,"tp":1.3,"stop_pips":10,"target_pips":15,"risk_reward":1.5,"confidence":80,"pattern_type":"BB_SCALP","timestamp":1,"expires_at":2}""", "BUY or SELL")]
    [InlineData("""{"signal_id":"X","symbol":"EURUSD","direction":"BUY","entry_price":1.1,"sl":1.0,"tp":1.3,"stop_pips":10,"target_pips":15,"risk_reward":1.5,"confidence":80,"pattern_type":"BB_SCALP","signal_class":"SNIPER","timestamp":1,"expires_at":2}""", "RAPID")]
    [InlineData("""{"signal_id":"X","symbol":"EURUSD","direction":"BUY","entry_price":1.1,"sl":1.0,"tp":1.3,"stop_pips":10,"target_pips":15,"risk_reward":1.5,"confidence":180,"pattern_type":"BB_SCALP","timestamp":1,"expires_at":2}""", "between 0 and 100")]
    [InlineData("""{"signal_id":"X","symbol":"EURUSD","direction":"BUY","entry_price":1.1,"sl":1.0,"tp":1.3,"stop_pips":10,"target_pips":15,"risk_reward":1.5,"confidence":80,"pattern_type":"BB_SCALP","timestamp":5,"expires_at":2}""", "after")]
    [InlineData("""{"signal_id":"X","symbol":"EUR USD","direction":"BUY","entry_price":1.1,"sl":1.0,"tp":1.3,"stop_pips":10,"target_pips":15,"risk_reward":1.5,"confidence":80,"pattern_type":"BB_SCALP","timestamp":1,"expires_at":2}""", "characters of A-Z")]
    [InlineData("""not json""", "not JSON")]
    public void RefusesAnInvalidSignalWithAReason(string json, string expected)
    {
        Assert.Null(SignalJson.Parse(System.Text.Encoding.UTF8.GetBytes(json), new SymbolRegistry(), 1, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
