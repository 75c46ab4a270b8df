using Bitten.Domain.Signals;
using Bitten.Domain.Trading;
using Bitten.Domain.Users;
using Bitten.Engine.Execution;

namespace Bitten.Engine.Tests.Execution;

/// <summary>Fire or refuse with a clear reason (PRODUCT.md §5), the first failing check winning.</summary>
public class FireDecisionTests
{
    private const long Now = 1_700_000_000_000;

    /// <summary>
    /// A COMMANDER firing a SNIPER mission on EURUSD with everything in order: 10,000 balance, 1% risk, a 20-pip stop →
    /// 0.50 lot (see <see cref="LotSizerTests"/>).
    /// </summary>
    private static readonly FireContext Baseline = new(
        NowMs: Now,
        MissionStatus: MissionStatus.Pending,
        MissionExpiresAtMs: Now + (10 * 60_000),
        Tier: Tier.Commander,
        SignalClass: SignalClass.Sniper,
        EaUuid: "EA-1",
        EaLastSeenMs: Now - 5_000,
        SlotsUsed: 0,
        SlotLimit: 10,
        Balance: 10_000m,
        Equity: 10_000m,
        DayStartBalance: 10_000m,
        PeakEquity: 10_000m,
        OpenPositions: 0,
        OppositePositionOpen: false,
        NewsBlackout: false,
        NewsReason: null,
        EmergencyStop: EmergencyStop.None,
        RiskPercent: 1m,
        StopDistance: 0.0020,
        Symbol: "EURUSD",
        Spec: TradingSpecs.Fallback("EURUSD"));

    public static TheoryData<FireRefusal> EveryRefusal()
    {
        var data = new TheoryData<FireRefusal>();
        foreach (var refusal in FireRefusals.Decided)
        {
            data.Add(refusal);
        }

        return data;
    }

    /// <summary>The smallest change to a context that fails exactly the check for <paramref name="refusal"/>.</summary>
    private static FireContext Trigger(FireRefusal refusal, FireContext context) => refusal switch
    {
        FireRefusal.EmergencyStop => context with { EmergencyStop = EmergencyStop.Soft },
        FireRefusal.Expired => context with { MissionExpiresAtMs = context.NowMs },
        FireRefusal.AlreadyFired => context with { MissionStatus = MissionStatus.Fired },
        FireRefusal.TierNotAllowed => context with { Tier = Tier.Nibbler, SlotLimit = 1 },
        FireRefusal.NoEa => context with { EaUuid = null },
        FireRefusal.EaNotSeen => context with { EaLastSeenMs = null },
        FireRefusal.NoFreeSlot => context with { SlotsUsed = context.SlotLimit },
        // COMMANDER's daily limit is 10%: 1,000 down from a 10,000 start (and only 10% below the peak).
        FireRefusal.DailyLoss => context with { Equity = 9_000m },
        // 2,500 below a 12,500 peak is 20%; the day itself is flat.
        FireRefusal.Drawdown => context with { PeakEquity = 12_500m },
        // A 10,000 balance allows 10 open positions.
        FireRefusal.PositionsPerBalance => context with { OpenPositions = 10 },
        FireRefusal.OppositePosition => context with { OppositePositionOpen = true },
        FireRefusal.NewsBlackout => context with
        {
            NewsBlackout = true,
            NewsReason = "USD high-impact news 'Non-Farm Payrolls' at 13:30 UTC",
        },
        // Not in the catalogue and never reported by the EA.
        FireRefusal.NoTradingSpec => context with { Symbol = "ZZZUSD", Spec = null },
        // 1 at risk over 200 per lot = 0.005 lot, under the 0.01 minimum.
        FireRefusal.LotBelowMinimum => context with { RiskPercent = 0.01m },
        _ => throw new ArgumentOutOfRangeException(nameof(refusal), refusal, "no trigger for this refusal: add one"),
    };

    [Fact]
    public void TheBaselineFiresWithTheSizedLot()
    {
        var verdict = FireDecision.Decide(Baseline);
        Assert.True(verdict.Fires);
        Assert.Equal(FireRefusal.None, verdict.Refusal);
        Assert.Equal(0.50m, verdict.Lot);
    }

    [Fact]
    public void TheLotFollowsTheRiskChosen()
    {
        Assert.Equal(1.00m, FireDecision.Decide(Baseline with { RiskPercent = 2m }).Lot);
    }

    [Theory]
    [MemberData(nameof(EveryRefusal))]
    public void EachReasonRefusesWithAClearMessage(FireRefusal refusal)
    {
        var verdict = FireDecision.Decide(Trigger(refusal, Baseline));
        Assert.Equal(refusal, verdict.Refusal);
        Assert.False(verdict.Fires);
        Assert.Equal(0m, verdict.Lot);
        Assert.False(string.IsNullOrWhiteSpace(verdict.Message));
        Assert.NotEqual("none", verdict.Refusal.Code());
    }

    [Theory]
    [MemberData(nameof(EveryRefusal))]
    public void AnEarlierReasonWinsOverEveryLaterOne(FireRefusal refusal)
    {
        // Fail this check and every check after it (the enum lists them in checking order): this one is reported.
        var context = Baseline;
        foreach (var later in FireRefusals.Decided.Where(r => r > refusal).Reverse())
        {
            context = Trigger(later, context);
        }

        context = Trigger(refusal, context);
        Assert.Equal(refusal, FireDecision.Decide(context).Refusal);
    }

    [Fact]
    public void AnExpiredMissionWithNoFreeSlotIsReportedAsExpired()
    {
        var context = Baseline with { NowMs = Baseline.MissionExpiresAtMs + 1, SlotsUsed = 10 };
        Assert.Equal(FireRefusal.Expired, FireDecision.Decide(context).Refusal);
    }

    [Fact]
    public void AHardEmergencyStopAlsoRefuses()
    {
        var verdict = FireDecision.Decide(Baseline with { EmergencyStop = EmergencyStop.Hard });
        Assert.Equal(FireRefusal.EmergencyStop, verdict.Refusal);
        Assert.Contains("HARD", verdict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissionFiresUntilItsLastMillisecond()
    {
        Assert.True(FireDecision.Decide(Baseline with { NowMs = Baseline.MissionExpiresAtMs - 1, EaLastSeenMs = Baseline.MissionExpiresAtMs - 1 }).Fires);
        Assert.Equal(
            FireRefusal.Expired,
            FireDecision.Decide(Baseline with { NowMs = Baseline.MissionExpiresAtMs, EaLastSeenMs = Baseline.MissionExpiresAtMs }).Refusal);
    }

    [Fact]
    public void AMissionMarkedExpiredIsExpiredBeforeItsTime()
    {
        Assert.Equal(FireRefusal.Expired, FireDecision.Decide(Baseline with { MissionStatus = MissionStatus.Expired }).Refusal);
    }

    [Theory]
    [InlineData(MissionStatus.Fired)]
    [InlineData(MissionStatus.Filled)]
    [InlineData(MissionStatus.Failed)]
    [InlineData(MissionStatus.Closed)]
    public void AMissionPastPendingHasAlreadyFired(MissionStatus status)
    {
        var verdict = FireDecision.Decide(Baseline with { MissionStatus = status });
        Assert.Equal(FireRefusal.AlreadyFired, verdict.Refusal);
        Assert.Contains(status.WireName(), verdict.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Tier.PressPass, SignalClass.Rapid, true)]
    [InlineData(Tier.PressPass, SignalClass.Sniper, false)]
    [InlineData(Tier.Nibbler, SignalClass.Rapid, true)]
    [InlineData(Tier.Nibbler, SignalClass.Sniper, false)]
    [InlineData(Tier.Fang, SignalClass.Rapid, true)]
    [InlineData(Tier.Fang, SignalClass.Sniper, true)]
    [InlineData(Tier.Commander, SignalClass.Rapid, true)]
    [InlineData(Tier.Commander, SignalClass.Sniper, true)]
    [InlineData(Tier.Recruit, SignalClass.Rapid, false)]
    [InlineData(Tier.Recruit, SignalClass.Sniper, false)]
    public void EachTierFiresOnlyTheClassesItIncludes(Tier tier, SignalClass signalClass, bool fires)
    {
        var verdict = FireDecision.Decide(Baseline with { Tier = tier, SignalClass = signalClass, SlotLimit = tier.Slots() });
        Assert.Equal(fires, verdict.Fires);
        if (!fires)
        {
            Assert.Equal(FireRefusal.TierNotAllowed, verdict.Refusal);
            Assert.Contains(tier == Tier.Recruit ? "/presspass" : signalClass.WireName(), verdict.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AnEaSeenExactlyOneHundredTwentySecondsAgoStillCounts()
    {
        Assert.True(FireDecision.Decide(Baseline with { EaLastSeenMs = Now - 120_000 }).Fires);
        Assert.Equal(FireRefusal.EaNotSeen, FireDecision.Decide(Baseline with { EaLastSeenMs = Now - 120_001 }).Refusal);
    }

    [Fact]
    public void AnEaSilentTooLongIsNamedWithHowLong()
    {
        var verdict = FireDecision.Decide(Baseline with { EaLastSeenMs = Now - 300_000 });
        Assert.Equal(FireRefusal.EaNotSeen, verdict.Refusal);
        Assert.Contains("300 s", verdict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheLastFreeSlotCanBeUsed()
    {
        Assert.True(FireDecision.Decide(Baseline with { SlotsUsed = 9 }).Fires);
        Assert.Equal(FireRefusal.NoFreeSlot, FireDecision.Decide(Baseline with { SlotsUsed = 11 }).Refusal);
    }

    [Theory]
    [InlineData(Tier.PressPass, 6)]
    [InlineData(Tier.Nibbler, 6)]
    [InlineData(Tier.Fang, 8.5)]
    [InlineData(Tier.Commander, 10)]
    public void TheDailyLossLimitRefusesFromExactlyTheTiersPercent(Tier tier, double percent)
    {
        // RAPID so every tier may fire; 10,000 start, so the limit is 100 × percent.
        var limit = 100m * (decimal)percent;
        var context = Baseline with { Tier = tier, SignalClass = SignalClass.Rapid, SlotLimit = tier.Slots() };
        Assert.True(FireDecision.Decide(context with { Equity = 10_000m - limit + 0.01m }).Fires);
        var verdict = FireDecision.Decide(context with { Equity = 10_000m - limit });
        Assert.Equal(FireRefusal.DailyLoss, verdict.Refusal);
        Assert.Contains(tier.WireName(), verdict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutADayStartBalanceTheDailyLimitIsNotApplied()
    {
        Assert.True(FireDecision.Decide(Baseline with { DayStartBalance = 0m, Equity = 8_500m }).Fires);
    }

    [Fact]
    public void TheDrawdownLimitRefusesFromExactlyTwentyPerCentBelowThePeak()
    {
        // A flat day (started at the current equity) so only the drawdown from the 10,000 peak counts.
        var context = Baseline with { DayStartBalance = 8_000m };
        Assert.True(FireDecision.Decide(context with { Equity = 8_000.01m, DayStartBalance = 8_000.01m }).Fires);
        Assert.Equal(FireRefusal.Drawdown, FireDecision.Decide(context with { Equity = 8_000m }).Refusal);
        Assert.True(FireDecision.Decide(context with { Equity = 8_000m, PeakEquity = 0m }).Fires);
    }

    [Fact]
    public void OpenPositionsAreLimitedByTheBalanceBand()
    {
        // 499 balance allows 1 position; the lot is sized from it too (4.99 at risk over a 10-pip stop, 100 per lot → 0.04 lot).
        var small = Baseline with { Balance = 499m, Equity = 499m, DayStartBalance = 499m, PeakEquity = 499m, StopDistance = 0.0010 };
        Assert.True(FireDecision.Decide(small).Fires);
        Assert.Equal(FireRefusal.PositionsPerBalance, FireDecision.Decide(small with { OpenPositions = 1 }).Refusal);
        Assert.True(FireDecision.Decide(Baseline with { OpenPositions = 9 }).Fires);
    }

    [Fact]
    public void TheNewsRefusalSaysWhichNews()
    {
        var verdict = FireDecision.Decide(Trigger(FireRefusal.NewsBlackout, Baseline));
        Assert.Contains("Non-Farm Payrolls", verdict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheOppositePositionRefusalNamesTheSymbol()
    {
        Assert.Contains("EURUSD", FireDecision.Decide(Trigger(FireRefusal.OppositePosition, Baseline)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheLotRefusalGivesTheRawLotAndTheMinimum()
    {
        var verdict = FireDecision.Decide(Trigger(FireRefusal.LotBelowMinimum, Baseline));
        Assert.Contains("0.005", verdict.Message, StringComparison.Ordinal);
        Assert.Contains("0.01", verdict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ANonPositiveStopCannotBeSizedAndIsRefused()
    {
        var verdict = FireDecision.Decide(Baseline with { StopDistance = 0 });
        Assert.Equal(FireRefusal.LotBelowMinimum, verdict.Refusal);
        Assert.Contains("stop distance", verdict.Message, StringComparison.Ordinal);
    }
}
