using Bitten.Domain.Trading;
using Bitten.Engine.Progression;

namespace Bitten.Engine.Tests.Progression;

public sealed class LeaderboardTests
{
    private static ProgressionBook Book()
    {
        var book = new ProgressionBook();
        new Trades(book, 3).Trade(PositionCloseReason.Manual);      // 75
        new Trades(book, 1).Trade(PositionCloseReason.TakeProfit);  // 125
        new Trades(book, 2).Trade(PositionCloseReason.TakeProfit);  // 125
        var four = new Trades(book, 4);
        four.Trade(PositionCloseReason.TakeProfit);
        four.Trade(PositionCloseReason.TakeProfit);                 // 225
        new Trades(book, 5).Trade(PositionCloseReason.StopLoss);    // 25
        return book;
    }

    [Fact]
    public void MostXpFirstAndEqualXpByUserId()
    {
        var board = Book().Leaderboard(10, _ => true);

        Assert.Equal([new(1, 4, 225, 2), new(2, 1, 125, 2), new(3, 2, 125, 2), new(4, 3, 75, 1), new(5, 5, 25, 1)], board);
    }

    [Fact]
    public void OnlyTheTopAreListed()
    {
        Assert.Equal([4L, 1L], Book().Leaderboard(2, _ => true).Select(e => e.UserId));
        Assert.Empty(Book().Leaderboard(0, _ => true));
    }

    [Fact]
    public void AUserWhoOptedOutIsLeftOutAndTheRanksCloseUp()
    {
        var board = Book().Leaderboard(3, id => id != 4);

        Assert.Equal([(1, 1L), (2, 2L), (3, 3L)], board.Select(e => (e.Rank, e.UserId)));
    }
}
