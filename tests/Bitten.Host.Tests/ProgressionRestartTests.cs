using Bitten.Domain.Events;
using Bitten.Domain.Signals;
using Bitten.Domain.Trading;
using Bitten.Engine.Progression;
using Bitten.Host.Execution;
using Bitten.Host.Recovery;
using Bitten.Persistence.Events;
using Bitten.Wire.Events;
using Microsoft.Extensions.DependencyInjection;

namespace Bitten.Host.Tests;

/// <summary>XP on a real SQLite store: what one start awarded, the next start rebuilds from the event log, never twice.</summary>
public sealed class ProgressionRestartTests : IDisposable
{
    private const long User = 7;

    private static readonly HostRole[] Engine = [HostRole.Engine, HostRole.EventLog];

    private readonly TempStore _store = new();

    public void Dispose() => _store.Dispose();

    /// <summary>Two trades on two patterns the same day: first fire, first trade, variety, a TP and an early close.</summary>
    private static IEnumerable<TradingEvent> TwoTrades()
    {
        var t = Signals.Start;
        var patterns = new[] { PatternType.BbScalp, PatternType.VcbBreakout };
        for (var n = 1; n <= 2; n++)
        {
            var signal = Signals.Make("EURUSD", n, pattern: patterns[n - 1]);
            var fire = $"F{User}-{n}";
            yield return new SignalRaised(signal);
            yield return new FireSent(t + n, User, fire, "M" + n, signal.SignalId, "EA_7", "EURUSD", Direction.Buy, 0.1m, 1.098, 1.103, FireSource.Manual, 1);
            yield return new FireFilled(t + n, User, fire, "M" + n, "EURUSD", Direction.Buy, 0.1m, 5000 + n, 1.1, 1.098, 1.103, FillEvidence.Confirmation);
            yield return new PositionClosed(t + 60_000 + n, User, "M" + n, fire, 5000 + n, "EURUSD", Direction.Buy, 0.1m,
                n == 1 ? PositionCloseReason.TakeProfit : PositionCloseReason.Manual, 1.103, 3m);
        }
    }

    private const long ExpectedXp = XpRules.FirstTrade + XpRules.PatternVariety + XpRules.TakeProfit + XpRules.EarlyClose;

    private int StoredAwards()
    {
        using var database = _store.Open();
        return new EventReader(database).Read(EventTypes.UserAction).Count(e => ProgressionJson.Read(e.TimestampMs, e.DataJson) is not null);
    }

    [Fact]
    public async Task XpAwardedLiveIsStoredAndRebuiltAfterARestartWithoutRecordingItAgain()
    {
        int awarded;
        await using (var first = _store.Services(Engine))
        {
            first.GetRequiredService<StartupRecovery>().Run();
            var recorder = first.GetRequiredService<EventRecorder>();
            foreach (var e in TwoTrades())
            {
                recorder.OnEvent(e);
            }

            Assert.Equal(ExpectedXp, first.GetRequiredService<ProgressionBook>().ViewOf(User).Xp);
            awarded = (int)first.GetRequiredService<ProgressionRecorder>().Awarded;
            await first.GetRequiredService<EventLog>().FlushAsync();
        }

        Assert.Equal(awarded, StoredAwards());
        await using (var second = _store.Services(Engine))
        {
            var report = second.GetRequiredService<StartupRecovery>().Run();
            var view = second.GetRequiredService<ProgressionBook>().ViewOf(User);

            Assert.Equal(0, report.AwardsCaughtUp);
            Assert.Equal((ExpectedXp, 0, 2), (view.Xp, view.WinStreak, view.Trades));
            Assert.Equal(["first_fire", "first_tp"], view.Achievements.Select(a => a.Code));
            await second.GetRequiredService<EventLog>().FlushAsync();
        }

        Assert.Equal(awarded, StoredAwards());
    }

    [Fact]
    public async Task AwardsACrashLostAreCaughtUpAtTheNextStartOnce()
    {
        await using (var first = _store.Services(Engine))
        {
            // The outcomes reached the log; the process died before their awards did.
            var log = first.GetRequiredService<EventLog>();
            foreach (var e in TwoTrades())
            {
                log.Append(TradingEventJson.ToEnvelope(e));
            }

            await log.FlushAsync();
        }

        Assert.Equal(0, StoredAwards());
        int caughtUp;
        await using (var second = _store.Services(Engine))
        {
            caughtUp = second.GetRequiredService<StartupRecovery>().Run().AwardsCaughtUp;
            Assert.Equal(ExpectedXp, second.GetRequiredService<ProgressionBook>().ViewOf(User).Xp);
            await second.GetRequiredService<EventLog>().FlushAsync();
        }

        Assert.True(caughtUp > 0);
        Assert.Equal(caughtUp, StoredAwards());
        await using (var third = _store.Services(Engine))
        {
            Assert.Equal(0, third.GetRequiredService<StartupRecovery>().Run().AwardsCaughtUp);
            Assert.Equal(ExpectedXp, third.GetRequiredService<ProgressionBook>().ViewOf(User).Xp);
        }
    }
}
