using Bitten.Telegram.Outbox;

namespace Bitten.Telegram.Tests;

public sealed class FloodGateTests
{
    private const long T0 = 1_772_442_000_000;

    [Fact]
    public void AFreshGateLetsTheFirstMessageGoAtOnce()
    {
        var gate = new FloodGate(30, TimeSpan.FromSeconds(1), 20);

        Assert.Equal(T0, gate.EarliestSend(5, T0));
        Assert.Equal(T0, gate.EarliestSend(-100, T0));
        Assert.Equal(T0, gate.EarliestAny(T0));
    }

    [Fact]
    public void TheOverallRateAllowsItsBurstThenOneMessagePerInterval()
    {
        var gate = new FloodGate(10, TimeSpan.Zero, 20, burst: 3);

        for (var chat = 1; chat <= 3; chat++)
        {
            Assert.Equal(T0, gate.EarliestSend(chat, T0));
            gate.Sent(chat, T0);
        }

        Assert.Equal(T0 + 100, gate.EarliestSend(4, T0));
        gate.Sent(4, T0 + 100);
        Assert.Equal(T0 + 200, gate.EarliestAny(T0 + 100));
    }

    [Fact]
    public void ASenderAsFastAsTheGateAllowsSendsAtTheRateOverAnyLongSpan()
    {
        // The claim the benchmark rests on: sending each message at EarliestAny gives exactly the rate, not more.
        foreach (var rate in new[] { 1.0, 7.5, 30, 200, 1000 })
        {
            var gate = new FloodGate(rate, TimeSpan.Zero, 20);
            var now = T0;
            var times = new List<long>();
            for (var i = 0; i < 2000; i++)
            {
                now = gate.EarliestAny(now);
                gate.Sent(i + 1, now);
                times.Add(now);
            }

            var window = 1000.0 * 100 / rate;
            for (var i = 0; i + 100 + gate.Burst < times.Count; i++)
            {
                // Never more than the burst plus the rate's share in any window, and the whole run sits on the rate.
                Assert.True(times[i + 100 + gate.Burst - 1] - times[i] >= window - 1, $"rate {rate}: too fast at {i}");
            }

            var span = (times[^1] - times[0]) / 1000.0;
            Assert.InRange((times.Count - gate.Burst) / span, rate * 0.99, rate * 1.01);
        }
    }

    [Fact]
    public void TimeNotUsedBuildsUpNoMoreThanTheBurst()
    {
        var gate = new FloodGate(10, TimeSpan.Zero, 20, burst: 2);
        gate.Sent(1, T0);

        var later = T0 + 60_000;
        gate.Sent(2, later);
        gate.Sent(3, later);

        Assert.Equal(later + 100, gate.EarliestAny(later));
    }

    [Fact]
    public void APrivateChatWaitsItsIntervalWhileOthersGoAtOnce()
    {
        var gate = new FloodGate(30, TimeSpan.FromSeconds(1), 20);
        gate.Sent(7, T0);

        Assert.Equal(T0 + 1000, gate.EarliestSend(7, T0 + 400));
        Assert.Equal(T0 + 400, gate.EarliestSend(8, T0 + 400));
        Assert.Equal(T0 + 1000, gate.EarliestSend(7, T0 + 1000));
    }

    [Fact]
    public void AGroupTakesTwentyInAnyRollingMinute()
    {
        var gate = new FloodGate(30, TimeSpan.FromSeconds(1), 20);
        const long group = -1001234567890;
        for (var i = 0; i < 20; i++)
        {
            var at = T0 + (i * 2000);
            Assert.Equal(at, gate.EarliestSend(group, at));
            gate.Sent(group, at);
        }

        // The 21st waits for the first to leave the minute; then each further one for the next oldest.
        Assert.Equal(T0 + 60_000, gate.EarliestSend(group, T0 + 40_000));
        gate.Sent(group, T0 + 60_000);
        Assert.Equal(T0 + 62_000, gate.EarliestSend(group, T0 + 60_000));
        Assert.Equal(T0 + 60_000, gate.EarliestSend(-5, T0 + 60_000));
    }

    [Fact]
    public void AGroupIsNotHeldToThePrivateChatInterval()
    {
        var gate = new FloodGate(30, TimeSpan.FromSeconds(1), 20);
        gate.Sent(-9, T0);

        Assert.Equal(T0 + 100, gate.EarliestSend(-9, T0 + 100));
    }

    [Fact]
    public void APauseHoldsEveryChatAndAShorterOneDoesNotShortenIt()
    {
        var gate = new FloodGate(30, TimeSpan.FromSeconds(1), 20);

        gate.Pause(T0 + 7000);
        gate.Pause(T0 + 3000);

        Assert.Equal(T0 + 7000, gate.PausedUntilMs);
        Assert.Equal(T0 + 7000, gate.EarliestSend(1, T0));
        Assert.Equal(T0 + 7000, gate.EarliestSend(-1, T0));
        Assert.Equal(T0 + 8000, gate.EarliestSend(1, T0 + 8000));
    }

    [Fact]
    public void TheLatestOfTheLimitsDecides()
    {
        var gate = new FloodGate(1, TimeSpan.FromSeconds(5), 20);
        gate.Sent(1, T0);

        Assert.Equal(T0 + 5000, gate.EarliestSend(1, T0));
        Assert.Equal(T0 + 1000, gate.EarliestSend(2, T0));
        gate.Pause(T0 + 9000);
        Assert.Equal(T0 + 9000, gate.EarliestSend(1, T0));
    }

    [Fact]
    public void ChatsWhoseLimitsNoLongerBindAreForgotten()
    {
        var gate = new FloodGate(1000, TimeSpan.FromSeconds(1), 20);
        for (var i = 0; i < 10_000; i++)
        {
            gate.Sent(i + 1, T0 + (i * 10));
        }

        Assert.InRange(gate.RememberedChats, 1, 5000);
    }

    [Fact]
    public void TheDefaultBurstIsATenthOfTheRateAndNeverAboveIt()
    {
        Assert.Equal(3, new FloodGate(30, TimeSpan.Zero, 20).Burst);
        Assert.Equal(1, new FloodGate(5, TimeSpan.Zero, 20).Burst);
        Assert.Throws<ArgumentOutOfRangeException>(() => new FloodGate(30, TimeSpan.Zero, 20, burst: 31));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FloodGate(0, TimeSpan.Zero, 20));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FloodGate(30, TimeSpan.Zero, 0));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(9, 256)]
    [InlineData(10, 300)]
    [InlineData(19, 300)]
    public void BackoffDoublesFromOneSecondUpToFiveMinutes(int attempts, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), OutboxSender.Backoff(attempts));
}
