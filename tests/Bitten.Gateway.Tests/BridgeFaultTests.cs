using System.Text;
using Bitten.Domain.Market;
using Bitten.Domain.Primitives;
using Bitten.Engine.Kernel;
using Bitten.Engine.Market;
using Bitten.Gateway.Market;
using Bitten.Zmq;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bitten.Gateway.Tests;

/// <summary>A failure inside the bridge (not bad input: a bug or a broken consumer) does not stop the feed.</summary>
public sealed class BridgeFaultTests
{
    [Fact]
    public async Task KeepsPublishingAfterTheKernelHandoffThrows()
    {
        var sink = new ThrowsOnceSink();
        var health = new ComponentHealth();
        var zmq = new ZmqOptions { MarketInPort = 0, MarketOutPort = 0 };
        await using var bridge = new MarketBridge(zmq, new BridgeOptions(), new MarketOptions(), new SymbolRegistry(), sink,
            TimeProvider.System, NullLogger.Instance, health);
        bridge.Start();
        using var context = new ZmqContext();
        using var sub = context.CreateSocket(ZmqSocketType.Sub);
        sub.Subscribe([]);
        sub.ReceiveTimeout = 100;
        sub.Connect(zmq.ConnectEndpoint(bridge.MarketOutPort));
        using var push = context.CreateSocket(ZmqSocketType.Push);
        push.Connect(zmq.ConnectEndpoint(bridge.MarketInPort));

        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var tick = Encoding.UTF8.GetBytes($$"""{"type":"TICK","symbol":"EURUSD","bid":1.1,"ask":1.1002,"timestamp":{{now}}}""");
        var received = 0;
        for (var sent = 0; received < 3; sent++)
        {
            Assert.True(sent < 300, $"only {received} ticks came through after the fault");
            push.Send(tick);
            if (sub.TryReceiveFrame(out _))
            {
                received++;
            }
        }

        // Ticks after the fault reach the kernel again. The handoff follows the publish, and every tick so far may have
        // gone in the one batch that threw: keep the feed going until a later batch arrives.
        for (var more = 0; !sink.FirstDelivery.IsCompleted; more++)
        {
            Assert.True(more < 1000, "no batch reached the kernel after the fault");
            push.Send(tick);
            try
            {
                await sink.FirstDelivery.WaitAsync(TimeSpan.FromMilliseconds(20));
            }
            catch (TimeoutException)
            {
            }
        }
        Assert.True(sink.Thrown);
        Assert.True(bridge.Stats.Faults >= 1);
        Assert.Equal(ComponentState.Degraded, health.Get(MarketBridge.ComponentName).State);
    }

    private sealed class ThrowsOnceSink : ITickSink
    {
        private readonly TaskCompletionSource _firstDelivery = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _delivered;

        public Task FirstDelivery => _firstDelivery.Task;

        public bool Thrown { get; private set; }

        public int Delivered => Volatile.Read(ref _delivered);

        public void Post(in Tick tick) => Interlocked.Increment(ref _delivered);

        public TickBatch RentBatch() => new();

        public void PostHistoryBar(in Candle bar)
        {
        }

        public void Post(TickBatch batch)
        {
            if (!Thrown)
            {
                Thrown = true;
                throw new InvalidOperationException("kernel handoff broke");
            }

            Interlocked.Add(ref _delivered, batch.Count);
            _firstDelivery.TrySetResult();
        }
    }
}
