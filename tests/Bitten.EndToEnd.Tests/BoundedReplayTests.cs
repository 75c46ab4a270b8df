using Bitten.Engine.Execution;
using Bitten.Simulation.Replay;

namespace Bitten.EndToEnd.Tests;

/// <summary>
/// A month of running in memory that stays the size of what is live: the bundled three days of real EURUSD and XAUUSD
/// ticks replayed ten times over (30 replayed days), 100 AUTO users each trading on their own paper EA, the desk and
/// the outcome tracker sampled at the start of every replayed day.
/// </summary>
public sealed class BoundedReplayTests
{
    private const int Users = 100;

    [Fact]
    public void ThirtyReplayedDaysWithAHundredAutoUsersKeepTheKernelsLiveObjectsBounded()
    {
        var files = TickReplay.Discover([Path.Combine(AppContext.BaseDirectory, "demo", "ticks")]);
        var execution = new ExecutionOptions();
        var accounts = Enumerable.Range(1, Users).Select(i =>
        {
            // Every signal in the band and a small risk, so the drawdown limit does not end a user's month early.
            var account = new BacktestOptions { MinConfidence = 0, MaxConfidence = 100, RiskPercent = 0.1m }.ToAccount();
            account.Ea.Uuid = $"EA_{i:D3}";
            return account with { User = account.User with { UserId = i, TelegramId = 1000 + i, EaUuid = account.Ea.Uuid } };
        }).ToList();
        var days = new List<ReplayDay>();

        var result = ReplayRunner.Run(files, new ReplaySettings { Accounts = accounts, Execution = execution, Passes = 10 },
            listeners: new ReplayListeners { Daily = days.Add });

        // The month happened: thirty days of ticks, and the users traded through it.
        Assert.Equal(30, days.Count);
        var fills = result.Accounts.Sum(a => a.Fills);
        Assert.True(fills >= 10 * Users, $"{fills} fills, refusals {string.Join(", ", result.Accounts[0].Refusals)}: too little trading for the bound to mean anything");
        Assert.All(result.Accounts, a => Assert.True(a.Fires > 0, $"user {a.User.UserId} never fired"));

        // What stays in memory follows from the options, not from the length of the run: per user the live missions
        // (within the slots) and the last finished ones; ended fire ids and signal ids only within the retention.
        var slots = accounts[0].User.Auto.MaxSlots;
        foreach (var day in days)
        {
            Assert.True(day.Desk.Missions <= Users * (execution.FinishedMissionsPerUser + slots), $"{day}");
            Assert.True(day.Desk.LiveFires <= Users * slots, $"{day}");
            Assert.True(day.Desk.Positions <= Users * slots, $"{day}");
        }

        // And it does not creep: the last ten days hold no more than the ten before them.
        static int Peak(IEnumerable<ReplayDay> range, Func<DeskFootprint, int> count) => range.Max(d => count(d.Desk));
        var middle = days.Skip(10).Take(10).ToList();
        var last = days.Skip(20).ToList();
        foreach (var (name, count) in new (string, Func<DeskFootprint, int>)[]
                 {
                     ("missions", f => f.Missions), ("queued expiries", f => f.PendingExpiries), ("signal ids", f => f.SignalIds),
                     ("live fires", f => f.LiveFires), ("ended fire ids", f => f.EndedFireIds), ("positions", f => f.Positions),
                 })
        {
            Assert.True(Peak(last, count) <= Peak(middle, count), $"{name}: days 21-30 peak {Peak(last, count)}, days 11-20 peak {Peak(middle, count)}");
        }

        Assert.True(last.Max(d => d.TrackedSignals) <= middle.Max(d => d.TrackedSignals) + 1, string.Join("; ", days.Select(d => d.TrackedSignals)));
    }
}
