using Bitten.Domain.Signals;
using Bitten.Engine.Execution;
using Bitten.Engine.Signals;
using Bitten.Simulation.Ea;
using Bitten.Simulation.Replay;
using Bitten.Testing;
using Bitten.Wire.Ea;

namespace Bitten.Simulation.Tests;

/// <summary>The one replay runner over two real days of EURUSD and XAUUSD, with the backtest's default account.</summary>
public sealed class ReplayRunnerTests
{
    private static readonly TickFile[] Files =
    [
        .. new[] { "ticks/oanda-fx/eurusd", "ticks/oanda-cfd/xauusd" }
            .SelectMany(folder => new[] { "20140505", "20140506" }.Select(day => TickFile.Recognise(SharedData.Path($"{folder}/{day}_quote.zip"))!)),
    ];

    [Fact]
    public void TheAccountsBalanceIsItsStartPlusTheProfitOfEveryCloseAndEveryFillEndsClosedOrOpen()
    {
        var seen = new Seen();

        var result = ReplayRunner.Run(Files, new ReplaySettings { Accounts = [new BacktestOptions().ToAccount()] }, listeners: new ReplayListeners { Signals = seen, Accounts = seen });

        var account = Assert.Single(result.Accounts);
        Assert.Equal(0, result.Faults);
        Assert.Equal(Files.Sum(f => f.Load().Length), result.Ticks);
        Assert.True(account.Fills > 0, $"{seen.Signals.Count} signals, no fill: {string.Join(", ", account.Refusals)}");
        Assert.Equal(seen.Fires.Count(f => f.Answer.Success), account.Fills);
        Assert.Equal(seen.Fires.Count, account.Fires);
        Assert.Equal(account.Fills, account.Closes + account.OpenPositions);
        Assert.Equal(account.StartBalance + seen.Closes.Sum(c => c.Profit), account.EndBalance);
        Assert.Equal(BacktestOptions.EaUuid, account.User.EaUuid);
        Assert.All(seen.Fires, f => Assert.Contains(seen.Signals, s => s.SignalId == f.Order.SignalId));
    }

    [Fact]
    public void AnAccountOnTheDeskDoesNotChangeTheSignals()
    {
        var alone = new Seen();
        var traded = new Seen();

        ReplayRunner.Run(Files, new ReplaySettings(), listeners: new ReplayListeners { Signals = alone });
        ReplayRunner.Run(Files, new ReplaySettings { Accounts = [new BacktestOptions().ToAccount()] }, listeners: new ReplayListeners { Signals = traded });

        Assert.NotEmpty(alone.Signals);
        Assert.Equal(alone.Signals, traded.Signals);
    }

    [Fact]
    public void TheEliteGuardOptionsAreTheOnesUsed()
    {
        var result = ReplayRunner.Run(Files, new ReplaySettings { EliteGuard = new EliteGuardOptions { GlobalThreshold = 100, TuneThreshold = false } });

        Assert.True(result.Engine.Evaluations > 0);
        Assert.Equal(0, result.Engine.Raised);
        Assert.Equal(100, result.Engine.Threshold);
    }

    [Fact]
    public void NoTicksInTheRangeGiveAnEmptyResultWithTheAccountUntouched()
    {
        var result = ReplayRunner.Run(Files, new ReplaySettings { FromMs = 0, ToMs = 1, Accounts = [new BacktestOptions().ToAccount()] });

        Assert.Equal(0, result.Ticks);
        Assert.Equal((10_000m, 10_000m, 0L), (result.Accounts[0].StartBalance, result.Accounts[0].EndBalance, result.Accounts[0].Fires));
    }

    private sealed class Seen : ISignalSink, IPaperAccountObserver
    {
        public List<Signal> Signals { get; } = [];

        public List<(FireOrder Order, FireConfirmation Answer)> Fires { get; } = [];

        public List<CloseConfirmation> Closes { get; } = [];

        public void OnSignal(Signal signal) => Signals.Add(signal);

        public void OnFire(FireOrder order, FireConfirmation answer, long timeMs) => Fires.Add((order, answer));

        public void OnClose(CloseConfirmation close, long timeMs) => Closes.Add(close);

        public void OnAccount(string eaUuid, AccountReport account, long timeMs)
        {
        }
    }
}
