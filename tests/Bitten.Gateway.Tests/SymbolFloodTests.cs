using System.Globalization;
using System.Text;
using Bitten.Domain.Primitives;
using Bitten.Engine.Market;
using Bitten.Gateway.Market;
using Bitten.Zmq;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bitten.Gateway.Tests;

/// <summary>What a flood of made-up symbols may cost the bridge: a counter, not per-symbol state.</summary>
public sealed class SymbolFloodTests
{
    private const int MaxSymbols = 256;
    private const int Flood = 100_000;

    [Fact]
    public async Task AHundredThousandTicksOfMadeUpSymbolsRegisterNoMoreThanTheAllowanceAndTheCatalogueStillComesThrough()
    {
        // The allowance's worth of made-up symbols, then a catalogue symbol after the allowance is spent.
        var sink = new RecordingTickSink(MaxSymbols + 1);
        var symbols = new SymbolRegistry();
        var zmq = new ZmqOptions { MarketInPort = 0, MarketOutPort = 0 };
        await using var bridge = new MarketBridge(zmq, new BridgeOptions(), new MarketOptions { MaxSymbols = MaxSymbols }, symbols, sink,
            TimeProvider.System, NullLogger.Instance);
        bridge.Start();
        using var context = new ZmqContext();
        using var push = context.CreateSocket(ZmqSocketType.Push);
        push.Connect(zmq.ConnectEndpoint(bridge.MarketInPort));

        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var i = 0; i < Flood; i++)
        {
            push.Send(Tick(string.Create(CultureInfo.InvariantCulture, $"ZZ{i:D6}.m"), now));
        }

        push.Send(Tick("XAGUSD", now));
        await sink.Reached.WaitAsync(TimeSpan.FromSeconds(60));

        // The bridge handles frames in order on one thread, so the catalogue tick arriving means the flood is through.
        Assert.True(symbols.TryGet("XAGUSD", out var silver));
        Assert.Equal(silver, sink.Ticks[^1].Symbol);
        Assert.Equal(MaxSymbols + 1, symbols.Count);
        Assert.Equal(Flood + 1, bridge.Stats.Received);
        Assert.Equal(Flood - MaxSymbols, bridge.Stats.Rejected(RejectReason.TooManySymbols));
        Assert.Equal(Flood - MaxSymbols, bridge.Stats.TotalRejected);
        Assert.Equal(MaxSymbols + 1, bridge.Stats.Published);
        Assert.Equal(0, bridge.Stats.Symbol(new SymbolId(MaxSymbols + 1)).Ticks);
    }

    [Fact]
    public async Task AHundredThousandMadeUpEaIdsKeepTheTableOfEasBounded()
    {
        const int ticks = 100_000;
        var sink = new RecordingTickSink(ticks);
        var zmq = new ZmqOptions { MarketInPort = 0, MarketOutPort = 0 };
        await using var bridge = new MarketBridge(zmq, new BridgeOptions(), new MarketOptions(), new SymbolRegistry(), sink,
            TimeProvider.System, NullLogger.Instance);
        bridge.Start();
        using var context = new ZmqContext();
        using var push = context.CreateSocket(ZmqSocketType.Push);
        push.Connect(zmq.ConnectEndpoint(bridge.MarketInPort));

        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var i = 0; i < ticks; i++)
        {
            push.Send(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
                $$"""{"type":"TICK","user_uuid":"EA{{i}}","symbol":"EURUSD","bid":1.1,"ask":1.1002,"timestamp":{{now}}}""")));
        }

        await sink.Reached.WaitAsync(TimeSpan.FromSeconds(60));

        // Every tick is still delivered; the EAs past the bound share the anonymous entry.
        var sources = bridge.Sources.Snapshot();
        Assert.Equal(EaSources.MaxSources, sources.Count);
        Assert.Equal(ticks - (EaSources.MaxSources - 1), sources.Single(s => s.Source == EaSources.Anonymous).Messages);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(-5, false)]
    [InlineData(65_537, false)]
    [InlineData(1, true)]
    [InlineData(SymbolRegistry.DefaultMaxSymbols, true)]
    public void MarketMaxSymbolsIsValidatedOnStart(int maxSymbols, bool valid)
    {
        var errors = new MarketOptions { MaxSymbols = maxSymbols }.Validate().ToList();

        Assert.Equal(valid, errors.Count == 0);
        Assert.All(errors, e => Assert.Contains("Market:MaxSymbols", e, StringComparison.Ordinal));
    }

    private static byte[] Tick(string symbol, long timeMs) =>
        Encoding.UTF8.GetBytes($$"""{"type":"TICK","symbol":"{{symbol}}","bid":1.1,"ask":1.1002,"timestamp":{{timeMs}}}""");
}
