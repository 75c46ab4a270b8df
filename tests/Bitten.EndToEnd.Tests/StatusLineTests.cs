using System.Text;
using System.Text.RegularExpressions;
using Bitten.Host.Status;
using Bitten.Domain.Market;
using Bitten.Domain.Primitives;
using Bitten.Engine.Kernel;
using Bitten.Engine.Market;
using Bitten.Gateway;
using Bitten.Gateway.Market;
using Bitten.Zmq;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bitten.EndToEnd.Tests;

/// <summary>The live status line over a real bridge: the busiest symbols by ticks per second, the rest counted.</summary>
public sealed partial class StatusLineTests
{
    [Fact]
    public async Task NamesTheEightBusiestSymbolsAndCountsTheRest()
    {
        // Symbol S01 gets 10 ticks, S02 20, … S12 120: over one interval the rates rank as the counts do.
        const int symbolCount = 12;
        var total = Enumerable.Range(1, symbolCount).Sum(k => k * 10);
        var sink = new CountingSink(total);
        var symbols = new SymbolRegistry();
        var zmq = new ZmqOptions { MarketInPort = 0, MarketOutPort = 0 };
        await using var bridge = new MarketBridge(zmq, new BridgeOptions(), new MarketOptions(), symbols, sink, TimeProvider.System, NullLogger.Instance);
        var status = new StatusLine(symbols, bridge, null, new ComponentHealth(), TimeProvider.System);
        bridge.Start();
        using var context = new ZmqContext();
        using var push = context.CreateSocket(ZmqSocketType.Push);
        push.Connect(zmq.ConnectEndpoint(bridge.MarketInPort));

        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var k = 1; k <= symbolCount; k++)
        {
            for (var n = 0; n < k * 10; n++)
            {
                push.Send(Encoding.UTF8.GetBytes($$"""{"type":"TICK","symbol":"S{{k:D2}}","bid":1.1,"ask":1.1002,"timestamp":{{now}}}"""));
            }
        }

        await sink.Reached.WaitAsync(TimeSpan.FromSeconds(30));
        var line = status.Next();

        var shown = SymbolRates().Match(line);
        Assert.True(shown.Success, line);
        Assert.Equal(["S12", "S11", "S10", "S09", "S08", "S07", "S06", "S05"], shown.Groups["symbol"].Captures.Select(c => c.Value));
        Assert.Equal("4", shown.Groups["more"].Value);
        Assert.DoesNotContain("S04", line, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"ticks/s(?: (?<symbol>S\d\d) \d+\.\d)+ \+(?<more>\d+) more \|")]
    private static partial Regex SymbolRates();

    private sealed class CountingSink(int expected) : ITickSink
    {
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _count;

        public Task Reached => _reached.Task;

        public void Post(in Tick tick)
        {
            if (Interlocked.Increment(ref _count) >= expected)
            {
                _reached.TrySetResult();
            }
        }

        public TickBatch RentBatch() => new();

        public void PostHistoryBar(in Candle bar)
        {
        }

        public void Post(TickBatch batch)
        {
            for (var i = 0; i < batch.Count; i++)
            {
                Post(in batch.Ticks[i]);
            }
        }
    }
}
