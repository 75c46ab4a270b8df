using Bitten.Domain.Signals;
using Bitten.Domain.Trading;
using Bitten.Engine.Execution;

namespace Bitten.Engine.Tests.Execution;

/// <summary>What a check-in means, as a pure function of what we hold and what the EA says.</summary>
public sealed class ReconcilerTests
{
    private const long Now = 1_704_189_600_000;
    private const long Grace = 60_000;

    private static OpenPosition Held(long ticket, string fireId, long openedAgoMs) =>
        new(ticket, fireId, 1, "EURUSD", Direction.Buy, 0.1m, 1.1, 1.098, 1.103, Now - openedAgoMs, Adopted: false);

    private static ReportedPosition Reported(long ticket, string? fireId) => new(ticket, fireId, "EURUSD", Direction.Buy, 0.1m, 1.1, 1.098, 1.103);

    private static CheckInPlan Plan(IEnumerable<OpenPosition> held, IReadOnlyList<ReportedPosition>? reported, IReadOnlyList<string>? recent = null,
        string[]? inFlight = null, string[]? known = null) =>
        Reconciler.Plan(held, reported, recent, id => (inFlight ?? []).Contains(id), id => (known ?? []).Concat(inFlight ?? []).Contains(id), Now, Grace);

    [Fact]
    public void AnEaThatReportsNoPositionsChangesNothing()
    {
        Assert.Same(CheckInPlan.Nothing, Plan([Held(1, "F1-1", Grace * 2)], reported: null, recent: ["F1-2"], inFlight: ["F1-2"]));
    }

    [Fact]
    public void AHeldPositionMissingFromTheReportClosesOnlyOnceOlderThanTheGrace()
    {
        var old = Held(1, "F1-1", Grace);
        var young = Held(2, "F1-2", Grace - 1);
        var plan = Plan([old, young], reported: []);
        Assert.Equal([old], plan.Missing);
        Assert.Empty(plan.ProvenFills);
    }

    [Fact]
    public void AReportedPositionOfAFireInFlightProvesItsFillOnce()
    {
        var plan = Plan([], [Reported(10, "F1-5"), Reported(11, "F1-5")], inFlight: ["F1-5"]);
        Assert.Equal(10, Assert.Single(plan.ProvenFills).Ticket);
        Assert.Empty(plan.Adopted);
    }

    [Fact]
    public void OnlyOurUnknownOrderCommentsAreAdopted()
    {
        var plan = Plan([Held(1, "F1-1", 0)], [Reported(1, "F1-1"), Reported(2, "F9-9"), Reported(3, "F1-7"), Reported(4, "manual trade"), Reported(5, null)],
            known: ["F1-7"]);
        Assert.Equal([2L], plan.Adopted.Select(p => p.Ticket));
        Assert.Empty(plan.Missing);
    }

    [Fact]
    public void AFireTheEaExecutedButDoesNotHoldWasClosedAwayUnlessAPositionProvesIt()
    {
        var plan = Plan([], [Reported(10, "F1-5")], recent: ["F1-5", "F1-6", "F1-6", "F1-8"], inFlight: ["F1-5", "F1-6"]);
        Assert.Equal(["F1-6"], plan.ClosedAway);
        Assert.Equal("F1-5", Assert.Single(plan.ProvenFills).FireId);
    }
}
