using Bitten.Domain.Events;
using Bitten.Domain.Signals;
using Bitten.Domain.Trading;
using Bitten.Engine.Progression;

namespace Bitten.Engine.Tests.Progression;

public sealed class AchievementTests
{
    [Fact]
    public void EveryAchievementHasAUniqueCodeANameAndALine()
    {
        var all = Enum.GetValues<Achievement>().Select(Achievements.Describe).ToList();

        Assert.Equal(all.Count, all.Select(a => a.Code).Distinct().Count());
        Assert.All(all, a => Assert.False(string.IsNullOrWhiteSpace(a.Name) || string.IsNullOrWhiteSpace(a.Description)));
        Assert.All(all, a => Assert.True(ProgressionNames.TryParseAchievement(a.Code, out var back) && back == a.Achievement));
        Assert.Equal("first_fire", Achievements.Describe(Achievement.FirstFire).Code);
    }

    [Fact]
    public void TheFirstFireUnlocksOnTheFirstFireSentOnly()
    {
        var trades = new Trades(new ProgressionBook());
        var first = trades.Fill();
        trades.Fill();

        var unlocked = Assert.Single(trades.Unlocked);
        Assert.Equal((Achievement.FirstFire, "fire:" + first), (unlocked.Achievement, unlocked.CauseKey));
    }

    [Fact]
    public void TheFirstAndTenthTakeProfitUnlockTheirAchievements()
    {
        var trades = new Trades(new ProgressionBook());
        for (var i = 0; i < 9; i++)
        {
            trades.Trade(PositionCloseReason.TakeProfit);
            trades.Trade(PositionCloseReason.StopLoss);
        }

        Assert.DoesNotContain(trades.Unlocked, u => u.Achievement == Achievement.TenTakeProfits);
        trades.Trade(PositionCloseReason.TakeProfit);

        Assert.Single(trades.Unlocked, u => u.Achievement == Achievement.FirstTakeProfit);
        Assert.Single(trades.Unlocked, u => u.Achievement == Achievement.TenTakeProfits);
    }

    [Fact]
    public void AHundredFilledTradesUnlockTheirsOnce()
    {
        var trades = new Trades(new ProgressionBook());
        for (var i = 0; i < 99; i++)
        {
            trades.Fill();
        }

        Assert.DoesNotContain(trades.Unlocked, u => u.Achievement == Achievement.HundredTrades);
        trades.Fill();
        trades.Fill();

        Assert.Single(trades.Unlocked, u => u.Achievement == Achievement.HundredTrades);
    }

    [Fact]
    public void TradingAllSixPatternsUnlocksTheExplorer()
    {
        var trades = new Trades(new ProgressionBook());
        var patterns = Enum.GetValues<PatternType>();
        foreach (var pattern in patterns[..^1])
        {
            trades.Fill(pattern);
            trades.Now += Trades.Day;
        }

        Assert.DoesNotContain(trades.Unlocked, u => u.Achievement == Achievement.PatternExplorer);
        trades.Fill(patterns[^1]);

        Assert.Single(trades.Unlocked, u => u.Achievement == Achievement.PatternExplorer);
    }

    [Fact]
    public void SevenDaysOfTradingWithoutARiskBlockIsADisciplinedWeek()
    {
        var trades = new Trades(new ProgressionBook());
        for (var day = 0; day < 7; day++)
        {
            trades.Trade(PositionCloseReason.StopLoss);
            trades.Now += Trades.Day;
        }

        Assert.DoesNotContain(trades.Unlocked, u => u.Achievement == Achievement.DisciplinedWeek);
        trades.Trade(PositionCloseReason.StopLoss);

        var week = Assert.Single(trades.Unlocked, u => u.Achievement == Achievement.DisciplinedWeek);
        Assert.Equal("week:2024-01-09", week.CauseKey);
    }

    [Fact]
    public void ARiskBlockStartsTheWeekAgain()
    {
        var trades = new Trades(new ProgressionBook());
        for (var day = 0; day < 4; day++)
        {
            trades.Trade(PositionCloseReason.TakeProfit);
            trades.Now += Trades.Day;
        }

        trades.Apply(new RiskBlocked(trades.Now, 7, "M", "S", "EURUSD", FireRefusal.DailyLoss, "daily loss", FireSource.Manual));
        for (var day = 0; day < 6; day++)
        {
            trades.Now += Trades.Day;
            trades.Trade(PositionCloseReason.TakeProfit);
        }

        Assert.DoesNotContain(trades.Unlocked, u => u.Achievement == Achievement.DisciplinedWeek);
        trades.Now += Trades.Day;
        trades.Trade(PositionCloseReason.TakeProfit);
        Assert.Single(trades.Unlocked, u => u.Achievement == Achievement.DisciplinedWeek);
    }

    [Fact]
    public void AWeekWithTooFewClosesIsNotDisciplinedYet()
    {
        var trades = new Trades(new ProgressionBook());
        trades.Trade(PositionCloseReason.TakeProfit);
        trades.Now += 8 * Trades.Day;
        for (var i = 0; i < Achievements.DisciplinedWeekTrades - 1; i++)
        {
            trades.Trade(PositionCloseReason.TakeProfit);
        }

        Assert.DoesNotContain(trades.Unlocked, u => u.Achievement == Achievement.DisciplinedWeek);
        trades.Trade(PositionCloseReason.TakeProfit);
        Assert.Single(trades.Unlocked, u => u.Achievement == Achievement.DisciplinedWeek);
    }

    [Fact]
    public void AFireHeldBackByTheEmergencyStopBreaksNoOnesDiscipline()
    {
        var trades = new Trades(new ProgressionBook());
        trades.Trade(PositionCloseReason.TakeProfit);
        trades.Now += 3 * Trades.Day;
        trades.Apply(new RiskBlocked(trades.Now, 7, "M", "S", "EURUSD", FireRefusal.EmergencyStop, "stopped", FireSource.Auto));
        trades.Now += 4 * Trades.Day;
        for (var i = 0; i < Achievements.DisciplinedWeekTrades; i++)
        {
            trades.Trade(PositionCloseReason.TakeProfit);
        }

        Assert.Single(trades.Unlocked, u => u.Achievement == Achievement.DisciplinedWeek);
    }
}
