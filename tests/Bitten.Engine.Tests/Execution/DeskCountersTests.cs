using Bitten.Domain.Events;
using Bitten.Domain.Signals;
using Bitten.Domain.Trading;
using Bitten.Engine.Execution;

namespace Bitten.Engine.Tests.Execution;

/// <summary>Each event counts once, in its own counter.</summary>
public sealed class DeskCountersTests
{
    private const long T = 1_704_189_600_000;

    public static TheoryData<string, string> Cases() => new()
    {
        { "mission", nameof(DeskCounters.Missions) },
        { "sent", nameof(DeskCounters.FiresSent) },
        { "resent", nameof(DeskCounters.Resent) },
        { "refused", nameof(DeskCounters.Refused) },
        { "risk", nameof(DeskCounters.Refused) },
        { "ea_refused", nameof(DeskCounters.Failed) },
        { "orphan", nameof(DeskCounters.Failed) },
        { "filled", nameof(DeskCounters.Filled) },
        { "closed", nameof(DeskCounters.Closed) },
        { "rejected", nameof(DeskCounters.Unmatched) },
    };

    private static TradingEvent Make(string name) => name switch
    {
        "mission" => new MissionCreated(T, 1, "M", "S", "EURUSD", 85),
        "sent" => new FireSent(T, 1, "F1-1", "M", "S", "EA", "EURUSD", Direction.Buy, 0.1m, 1.09, 1.11, FireSource.Auto, 1),
        "resent" => new FireSent(T, 1, "F1-1", "M", "S", "EA", "EURUSD", Direction.Buy, 0.1m, 1.09, 1.11, FireSource.Auto, 2),
        "refused" => new FireFailed(T, 1, "M", "S", null, "EURUSD", FireRefusal.NoFreeSlot, "full", FireSource.Auto),
        "risk" => new RiskBlocked(T, 1, "M", "S", "EURUSD", FireRefusal.DailyLoss, "limit", FireSource.Manual),
        "ea_refused" => new FireFailed(T, 1, "M", "S", "F1-1", "EURUSD", FireRefusal.EaRefused, "no money", FireSource.Auto),
        "orphan" => new SlotReleased(T, 1, "F1-1", SlotReleaseReason.OrphanTimeout, 0, 10),
        "filled" => new FireFilled(T, 1, "F1-1", "M", "EURUSD", Direction.Buy, 0.1m, 7, 1.1, 1.09, 1.11, FillEvidence.Confirmation),
        "closed" => new PositionClosed(T, 1, "M", "F1-1", 7, "EURUSD", Direction.Buy, 0.1m, PositionCloseReason.TakeProfit, 1.11, 10m),
        "rejected" => new ConfirmationRejected(T, "F9", null, "EA_9"),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static readonly string[] CounterNames =
    [
        nameof(DeskCounters.Missions), nameof(DeskCounters.FiresSent), nameof(DeskCounters.Resent), nameof(DeskCounters.Refused),
        nameof(DeskCounters.Filled), nameof(DeskCounters.Failed), nameof(DeskCounters.Closed), nameof(DeskCounters.Unmatched),
        nameof(DeskCounters.Duplicates),
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void AnEventCountsInExactlyOneCounter(string eventName, string counter)
    {
        var counters = new DeskCounters();
        counters.Count(Make(eventName));
        foreach (var name in CounterNames)
        {
            var value = (long)typeof(DeskCounters).GetProperty(name)!.GetValue(counters)!;
            Assert.Equal(name == counter ? 1 : 0, value);
        }
    }

    [Fact]
    public void AFireClosedWhileTheServerWasAwayCountsAsAFillAndAClose()
    {
        var counters = new DeskCounters();
        counters.Count(new PositionClosed(T, 1, "M", "F1-1", 0, "EURUSD", Direction.Buy, 0.1m, PositionCloseReason.ClosedAway, null, null));
        Assert.Equal((1L, 1L), (counters.Filled, counters.Closed));
    }

    [Fact]
    public void EventsThatAreNotTotalsCountNowhere()
    {
        var counters = new DeskCounters();
        counters.Count(new SlotReleased(T, 1, "F1-1", SlotReleaseReason.Closed, 0, 10));
        counters.Count(new BalanceUpdated(T, 1, "EA", 10_000m, 10_000m));
        counters.Count(new EaConnected(T, 1, "EA", true));
        Assert.All(CounterNames, name => Assert.Equal(0L, (long)typeof(DeskCounters).GetProperty(name)!.GetValue(counters)!));
    }
}
