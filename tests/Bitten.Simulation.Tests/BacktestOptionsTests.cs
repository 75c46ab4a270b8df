using Bitten.Domain.Trading;
using Bitten.Domain.Events;
using Bitten.Domain.Users;
using Bitten.Engine.Execution;
using Bitten.Simulation.Replay;

namespace Bitten.Simulation.Tests;

/// <summary>The backtest's account options (section Backtest) and the refusal tally the report reads.</summary>
public sealed class BacktestOptionsTests
{
    [Fact]
    public void TheDefaultIsOneCommanderInAutoFrom80To89PercentRisking5PercentOf10000()
    {
        var options = new BacktestOptions();

        var account = options.ToAccount();

        Assert.Empty(options.Validate());
        Assert.Equal((Tier.Commander, FireMode.Auto), (account.User.Tier, account.User.Mode));
        Assert.Equal((80.0, 89.0, 5m), (account.User.Auto.MinConfidence, account.User.Auto.MaxConfidence, account.User.Auto.RiskPercent));
        Assert.Equal(10_000m, account.Ea.Balance);
        Assert.Equal(BacktestOptions.EaUuid, account.User.EaUuid);
        Assert.Equal(account.Ea.Uuid, account.User.EaUuid);
    }

    [Theory]
    [InlineData(nameof(BacktestOptions.Tier), "GENERAL", "Backtest:Tier must be")]
    [InlineData(nameof(BacktestOptions.Mode), "SOMETIMES", "Backtest:Mode must be AUTO or MANUAL")]
    [InlineData(nameof(BacktestOptions.Tier), "FANG", "Backtest:Mode AUTO needs Backtest:Tier COMMANDER")]
    [InlineData(nameof(BacktestOptions.RiskPercent), "7", "risk must be 0.1-5 per cent")]
    [InlineData(nameof(BacktestOptions.MinConfidence), "95", "the band must be two confidences within 0-100, low first")]
    [InlineData(nameof(BacktestOptions.Balance), "-1", "Backtest:Balance must be more than 0")]
    [InlineData(nameof(BacktestOptions.Leverage), "0", "Backtest:Leverage must be at least 1")]
    [InlineData(nameof(BacktestOptions.RejectRate), "1.5", "Backtest:RejectRate must be between 0 and 1")]
    public void ABadValueIsRefusedWithItsReason(string property, string value, string reason)
    {
        var options = new BacktestOptions();
        var info = typeof(BacktestOptions).GetProperty(property)!;
        info.SetValue(options, Convert.ChangeType(value, info.PropertyType, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Contains(options.Validate(), e => e.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void AnAccountIsNotMadeFromAnUnknownTier()
    {
        Assert.Throws<InvalidOperationException>(() => new BacktestOptions { Tier = "GENERAL" }.ToAccount());
    }

    [Fact]
    public void AManualFangIsAValidAccount()
    {
        var options = new BacktestOptions { Tier = "FANG", Mode = "MANUAL" };

        Assert.Empty(options.Validate());
        Assert.Equal((Tier.Fang, FireMode.Manual), (options.ToAccount().User.Tier, options.ToAccount().User.Mode));
    }

    [Fact]
    public void TheTallyCountsEachUsersRefusedFiresByReasonAndNothingElse()
    {
        var tally = new RefusalTally();

        tally.OnEvent(new RiskBlocked(1, 7, "M-1", "S-1", "EURUSD", FireRefusal.Drawdown, "limit", FireSource.Auto));
        tally.OnEvent(new RiskBlocked(2, 7, "M-2", "S-2", "EURUSD", FireRefusal.Drawdown, "limit", FireSource.Auto));
        tally.OnEvent(new FireFailed(3, 7, "M-3", "S-3", "F-3", "EURUSD", FireRefusal.EaRefused, "no money", FireSource.Auto));
        tally.OnEvent(new FireFailed(4, 8, "M-4", "S-4", null, "EURUSD", FireRefusal.NoFreeSlot, "full", FireSource.Auto));
        tally.OnEvent(new MissionCreated(5, 7, "M-5", "S-5", "EURUSD", 85));

        Assert.Equal(new Dictionary<string, long> { ["drawdown_limit"] = 2, ["ea_refused"] = 1 }, tally.Of(7));
        Assert.Equal(new Dictionary<string, long> { ["no_free_slot"] = 1 }, tally.Of(8));
        Assert.Empty(tally.Of(9));
    }
}
