using Bitten.Simulation.Ea;
using Bitten.Wire.Ea;
using Bitten.Zmq;

namespace Bitten.Simulation.Tests;

/// <summary>The swarm as the soak uses it: it confirms a fire, then closes that position once its hold time has passed.</summary>
public sealed class EaSwarmTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(50)]
    public void A_filled_fire_is_closed_after_the_hold_time_only_when_one_is_given(int closeAfterMs)
    {
        using var context = new ZmqContext();
        using var router = context.CreateSocket(ZmqSocketType.Router);
        router.Bind("tcp://127.0.0.1:*");
        using var confirm = context.CreateSocket(ZmqSocketType.Pull);
        confirm.Bind("tcp://127.0.0.1:*");
        var swarm = new EaSwarm(new EaSwarmOptions(1, "SWARM_TEST_", 0, router.LastEndpoint, confirm.LastEndpoint, null, ConfirmAfter: 0, CloseAfterMs: closeAfterMs));
        using var stop = new CancellationTokenSource();
        var thread = new Thread(() => swarm.Run(stop.Token)) { IsBackground = true };
        thread.Start();
        try
        {
            router.ReceiveTimeout = 10_000;
            var hello = router.ReceiveMultipart();
            router.SendMultipart(hello[0], """{"type":"fire","target_uuid":"SWARM_TEST_0000","fire_id":"F-1","symbol":"EURUSD","direction":"BUY","entry":0,"sl":1.09,"tp":1.11,"lot":0.1}"""u8.ToArray());
            confirm.ReceiveTimeout = 10_000;
            var filled = Assert.IsType<FireConfirmation>(EaMessageParser.Parse(confirm.ReceiveFrame()).Message);
            Assert.Equal(("F-1", "SWARM_TEST_0000"), (filled.FireId, filled.Uuid));

            // Without a hold time the next message is the next fire's fill; with one, a close naming the fill's ticket.
            if (closeAfterMs == 0)
            {
                router.SendMultipart(hello[0], """{"type":"fire","target_uuid":"SWARM_TEST_0000","fire_id":"F-2","symbol":"EURUSD","direction":"BUY","entry":0,"sl":1.09,"tp":1.11,"lot":0.1}"""u8.ToArray());
                var next = Assert.IsType<FireConfirmation>(EaMessageParser.Parse(confirm.ReceiveFrame()).Message);
                Assert.Equal("F-2", next.FireId);
            }
            else
            {
                var closed = Assert.IsType<CloseConfirmation>(EaMessageParser.Parse(confirm.ReceiveFrame()).Message);
                Assert.Equal(("F-1", filled.Ticket, "SWARM_TEST_0000"), (closed.FireId, closed.Ticket, closed.Uuid));
            }
        }
        finally
        {
            stop.Cancel();
            thread.Join();
        }

        Assert.Equal(closeAfterMs == 0 ? 0 : 1, swarm.Closed);
    }
}
