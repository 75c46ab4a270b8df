using Bitten.Domain.Events;
using Bitten.Domain.Signals;
using Bitten.Domain.Trading;
using Bitten.Engine.Progression;

namespace Bitten.Engine.Tests.Progression;

public sealed class XpRulesTests
{
    [Fact]
    public void ATakeProfitPaysAHundredUnderItsFireId()
    {
        var trades = new Trades(new ProgressionBook());
        var fire = trades.Fill();

        var award = Assert.Single(trades.Close(fire, PositionCloseReason.TakeProfit).OfType<XpAwarded>());

        Assert.Equal((XpCause.TakeProfit, 100, "tp:" + fire, 7L), (award.Cause, award.Xp, award.CauseKey, award.UserId));
        Assert.Equal(125, award.TotalXp);
        Assert.Equal(Levels.LevelOf(125), award.Level);
    }

    [Fact]
    public void AStopLossPaysNothingAndRecordsNoAward()
    {
        var book = new ProgressionBook();
        var trades = new Trades(book);
        var fire = trades.Fill();

        Assert.Empty(trades.Close(fire, PositionCloseReason.StopLoss));
        Assert.Equal((25L, 1, 0, 1), (book.ViewOf(7).Xp, book.ViewOf(7).Trades, book.ViewOf(7).TakeProfits, book.ViewOf(7).StopLosses));
    }

    [Fact]
    public void AManualEarlyClosePaysFifty()
    {
        var trades = new Trades(new ProgressionBook());
        var fire = trades.Fill();

        var award = Assert.Single(trades.Close(fire, PositionCloseReason.Manual).OfType<XpAwarded>());

        Assert.Equal((XpCause.EarlyClose, 50, "early_close:" + fire), (award.Cause, award.Xp, award.CauseKey));
    }

    [Fact]
    public void ACloseDuringAHardEmergencyStopPaysNothing()
    {
        var book = new ProgressionBook();
        var trades = new Trades(book);
        var fire = trades.Fill();
        trades.Apply(new EmergencyStopChanged(Trades.Start, EmergencyStop.Hard));

        Assert.Empty(trades.Close(fire, PositionCloseReason.Manual));

        trades.Apply(new EmergencyStopChanged(Trades.Start, EmergencyStop.None));
        Assert.Single(trades.Trade(PositionCloseReason.Manual).OfType<XpAwarded>());
    }

    [Fact]
    public void TheStoredFormOfAHardStopCountsLikeTheLiveOne()
    {
        var trades = new Trades(new ProgressionBook());
        var fire = trades.Fill();
        trades.Apply(new AdminActed(Trades.Start, 1, AdminActions.EmergencyStop, "trading", "HARD", "NONE"));

        Assert.Empty(trades.Close(fire, PositionCloseReason.Manual));
    }

    [Theory]
    [InlineData(PositionCloseReason.Missing)]
    [InlineData(PositionCloseReason.ClosedAway)]
    public void ACloseWhoseOutcomeIsUnknownPaysNothingAndKeepsTheStreak(PositionCloseReason reason)
    {
        var book = new ProgressionBook();
        var trades = new Trades(book);
        trades.Trade(PositionCloseReason.TakeProfit);
        trades.Trade(PositionCloseReason.TakeProfit);

        Assert.Empty(trades.Trade(reason));
        Assert.Equal(2, book.ViewOf(7).WinStreak);
    }

    [Fact]
    public void TheFirstTradePaysTwentyFiveOnceEver()
    {
        var trades = new Trades(new ProgressionBook());
        trades.Fill();
        trades.Fill();
        trades.Now += 3 * Trades.Day;
        trades.Fill();

        var first = Assert.Single(trades.Xp, a => a.Cause == XpCause.FirstTrade);
        Assert.Equal((25, "first_trade"), (first.Xp, first.CauseKey));
    }

    [Fact]
    public void TheSameCloseAppliedTwicePaysOnceAndCountsOnce()
    {
        var book = new ProgressionBook();
        var trades = new Trades(book);
        var fire = trades.Fill();
        trades.Close(fire, PositionCloseReason.TakeProfit);

        Assert.Empty(trades.Close(fire, PositionCloseReason.TakeProfit));
        Assert.Equal((125L, 1, 1), (book.ViewOf(7).Xp, book.ViewOf(7).TakeProfits, book.ViewOf(7).WinStreak));
    }

    [Fact]
    public void TheSameFillAppliedTwiceCountsOneTrade()
    {
        var book = new ProgressionBook();
        var fill = new FireFilled(Trades.Start, 7, "F1", "M1", "EURUSD", Direction.Buy, 0.1m, 1, 1.1, 1.098, 1.103, FillEvidence.Confirmation);

        Assert.Single(book.Apply(fill));
        Assert.Empty(book.Apply(fill with { Evidence = FillEvidence.Heartbeat }));
        Assert.Equal(1, book.ViewOf(7).Trades);
    }

    [Fact]
    public void TwoPatternsInOneUtcDayPayVarietyOnceThatDay()
    {
        var trades = new Trades(new ProgressionBook());
        trades.Fill(PatternType.BbScalp);
        trades.Fill(PatternType.BbScalp);
        Assert.DoesNotContain(trades.Xp, a => a.Cause == XpCause.PatternVariety);

        trades.Fill(PatternType.OrderBlockBounce);
        trades.Fill(PatternType.VcbBreakout);

        var variety = Assert.Single(trades.Xp, a => a.Cause == XpCause.PatternVariety);
        Assert.Equal((20, "variety:2024-01-02"), (variety.Xp, variety.CauseKey));
    }

    [Fact]
    public void VarietyIsPaidAgainOnAnotherDayAndPatternsDoNotCarryOverMidnight()
    {
        var trades = new Trades(new ProgressionBook());
        trades.Now = Trades.Start + 13 * 3_600_000L; // 23:00 UTC
        trades.Fill(PatternType.BbScalp);
        trades.Now += 2 * 3_600_000L; // 01:00 the next day: yesterday's pattern does not count today
        trades.Fill(PatternType.OrderBlockBounce);
        Assert.DoesNotContain(trades.Xp, a => a.Cause == XpCause.PatternVariety);

        trades.Fill(PatternType.KalmanQuickfire);
        trades.Now += Trades.Day;
        trades.Fill(PatternType.BbScalp);
        trades.Fill(PatternType.FairValueGapFill);

        Assert.Equal(["variety:2024-01-03", "variety:2024-01-04"],
            trades.Xp.Where(a => a.Cause == XpCause.PatternVariety).Select(a => a.CauseKey));
    }

    [Fact]
    public void AFireOnASignalTheBookNeverSawIsATradeWithoutAPattern()
    {
        var book = new ProgressionBook();
        book.Apply(new FireSent(Trades.Start, 7, "F1", "M1", "S-unknown", "EA", "EURUSD", Direction.Buy, 0.1m, 1.098, 1.103, FireSource.Auto, 1));
        book.Apply(new FireFilled(Trades.Start, 7, "F1", "M1", "EURUSD", Direction.Buy, 0.1m, 1, 1.1, 1.098, 1.103, FillEvidence.Confirmation));
        var trades = new Trades(book);

        trades.Fill(PatternType.BbScalp);

        Assert.DoesNotContain(trades.Xp, a => a.Cause == XpCause.PatternVariety);
        Assert.Equal(2, book.ViewOf(7).Trades);
    }

    [Fact]
    public void UsersEarnApart()
    {
        var book = new ProgressionBook();
        new Trades(book, 7).Trade(PositionCloseReason.TakeProfit);
        new Trades(book, 8).Trade(PositionCloseReason.Manual);

        Assert.Equal((125L, 75L), (book.ViewOf(7).Xp, book.ViewOf(8).Xp));
    }

    [Fact]
    public void TheViewKeepsTheLastTenAwardsNewestLast()
    {
        var book = new ProgressionBook();
        var trades = new Trades(book);
        for (var i = 0; i < 12; i++)
        {
            trades.Trade(PositionCloseReason.Manual);
        }

        var recent = book.ViewOf(7).Recent;
        Assert.Equal(10, recent.Count);
        Assert.Equal(trades.Xp.TakeLast(10), recent);
    }

    [Fact]
    public void AStrangerIsAtLevelOneWithNothing()
    {
        var view = new ProgressionBook().ViewOf(99);

        Assert.Equal((0L, 1, 0L, (long?)100, 0), (view.Xp, view.Level, view.LevelFloorXp, view.NextLevelXp, view.Achievements.Count));
    }
}
