using Bitten.Domain.Events;
using Bitten.Domain.Signals;
using Bitten.Domain.Trading;
using Bitten.Engine.Progression;

namespace Bitten.Engine.Tests.Progression;

public sealed class ReplayTests
{
    /// <summary>Two users' weeks of trading, every rule in it, with the awards recorded after their causes as the recorder does.</summary>
    private static List<TradingEvent> RecordedLog()
    {
        var book = new ProgressionBook();
        var log = new List<TradingEvent>();
        var patterns = Enum.GetValues<PatternType>();
        foreach (var user in new long[] { 7, 8 })
        {
            var trades = new Trades(book, user);
            for (var i = 0; i < 30; i++)
            {
                trades.Now = Trades.Start + (i * Trades.Day / 3);
                var reason = (i + user) % 7 == 0 ? PositionCloseReason.StopLoss : i % 11 == 5 ? PositionCloseReason.Manual : PositionCloseReason.TakeProfit;
                trades.Trade(reason, patterns[(i + (int)user) % patterns.Length]);
            }

            log.AddRange(trades.Log);
        }

        return log;
    }

    private static (long, int, int, int)[] Totals(ProgressionBook book) =>
        [.. new long[] { 7, 8 }.Select(u => book.ViewOf(u)).Select(v => (v.Xp, v.Level, v.WinStreak, v.Achievements.Count))];

    [Fact]
    public void ReplayingTheSourceEventsAloneRebuildsTheSameXp()
    {
        var log = RecordedLog();
        var live = new ProgressionBook();
        live.Replay(log);
        var sources = log.Where(e => e is not (XpAwarded or AchievementUnlocked)).ToList();

        var fresh = new ProgressionBook();
        var caughtUp = fresh.Replay(sources);

        Assert.Equal(Totals(live), Totals(fresh));
        Assert.Equal(log.Where(e => e is XpAwarded or AchievementUnlocked), caughtUp);
        Assert.True(fresh.ViewOf(7).Xp > 1_000);
    }

    [Fact]
    public void ReplayingTheWholeLogAwardsNothingNew()
    {
        var log = RecordedLog();
        var book = new ProgressionBook();

        Assert.Empty(book.Replay(log));
        Assert.Equal(log.OfType<XpAwarded>().Where(a => a.UserId == 7).Sum(a => (long)a.Xp), book.ViewOf(7).Xp);
        Assert.Equal(log.OfType<XpAwarded>().Last(a => a.UserId == 8).TotalXp, book.ViewOf(8).Xp);
        Assert.Equal(log.OfType<AchievementUnlocked>().Count(a => a.UserId == 7), book.ViewOf(7).Achievements.Count);
    }

    [Fact]
    public void AnAwardLostInACrashIsCaughtUpExactlyOnce()
    {
        var log = RecordedLog();
        var lost = log.FindLastIndex(e => e is XpAwarded);
        var award = (XpAwarded)log[lost];
        log.RemoveAt(lost);

        var book = new ProgressionBook();
        var caughtUp = Assert.Single(book.Replay(log));

        Assert.Equal(award, caughtUp);
        Assert.Equal(award.TotalXp, book.ViewOf(award.UserId).Xp);
        Assert.Empty(book.Apply(caughtUp));
    }

    [Fact]
    public void ALostAchievementIsCaughtUpToo()
    {
        var log = RecordedLog();
        var lost = log.FindIndex(e => e is AchievementUnlocked { Achievement: Achievement.FirstTakeProfit });
        var unlocked = log[lost];
        log.RemoveAt(lost);

        Assert.Equal([unlocked], new ProgressionBook().Replay(log));
    }

    [Fact]
    public void ALiveBookGivesNothingForEventsItAlreadyApplied()
    {
        var log = RecordedLog();
        var book = new ProgressionBook();
        book.Replay(log);

        Assert.All(log, e => Assert.Empty(book.Apply(e)));
    }
}
