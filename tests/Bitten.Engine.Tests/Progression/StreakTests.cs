using Bitten.Domain.Events;
using Bitten.Domain.Trading;
using Bitten.Engine.Progression;

namespace Bitten.Engine.Tests.Progression;

public sealed class StreakTests
{
    private const PositionCloseReason Tp = PositionCloseReason.TakeProfit;

    private static IReadOnlyList<XpAwarded> Streaks(Trades trades) => [.. trades.Xp.Where(a => a.Cause == XpCause.WinStreak)];

    [Fact]
    public void TwoTakeProfitsInARowPayNoBonus()
    {
        var trades = new Trades(new ProgressionBook());
        trades.Trade(Tp);
        trades.Trade(Tp);

        Assert.Empty(Streaks(trades));
    }

    [Fact]
    public void TheThirdTakeProfitInARowPaysFiftyUnderItsFire()
    {
        var trades = new Trades(new ProgressionBook());
        trades.Trade(Tp);
        trades.Trade(Tp);
        var third = trades.Fill();
        trades.Close(third, Tp);

        var bonus = Assert.Single(Streaks(trades));
        Assert.Equal((50, "streak3:" + third), (bonus.Xp, bonus.CauseKey));
    }

    [Fact]
    public void FiveAndTenPayTheirBonusesAndNothingBetweenOrAfter()
    {
        var trades = new Trades(new ProgressionBook());
        for (var i = 0; i < 14; i++)
        {
            trades.Trade(Tp);
        }

        Assert.Equal([(3, 50), (5, 100), (10, 250)],
            Streaks(trades).Select(a => (int.Parse(a.CauseKey[6..a.CauseKey.IndexOf(':', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture), a.Xp)));
    }

    [Fact]
    public void AStopLossEndsTheRun()
    {
        var book = new ProgressionBook();
        var trades = new Trades(book);
        trades.Trade(Tp);
        trades.Trade(Tp);
        trades.Trade(PositionCloseReason.StopLoss);
        trades.Trade(Tp);
        trades.Trade(Tp);

        Assert.Empty(Streaks(trades));
        Assert.Equal(2, book.ViewOf(7).WinStreak);
    }

    [Fact]
    public void AManualCloseEndsTheRunTooSinceAStreakIsTakeProfitsInARow()
    {
        var book = new ProgressionBook();
        var trades = new Trades(book);
        trades.Trade(Tp);
        trades.Trade(Tp);
        trades.Trade(PositionCloseReason.Manual);
        trades.Trade(Tp);

        Assert.Empty(Streaks(trades));
        Assert.Equal(1, book.ViewOf(7).WinStreak);
    }

    [Fact]
    public void ANewRunReachingThreeAgainIsANewCauseAndPaysAgain()
    {
        var trades = new Trades(new ProgressionBook());
        for (var i = 0; i < 3; i++)
        {
            trades.Trade(Tp);
        }

        trades.Trade(PositionCloseReason.StopLoss);
        for (var i = 0; i < 3; i++)
        {
            trades.Trade(Tp);
        }

        var bonuses = Streaks(trades);
        Assert.Equal(2, bonuses.Count);
        Assert.NotEqual(bonuses[0].CauseKey, bonuses[1].CauseKey);
        Assert.All(bonuses, b => Assert.Equal(50, b.Xp));
    }
}
