using Bitten.Domain.Users;
using Bitten.Simulation.Ea;

namespace Bitten.Simulation.Replay;

/// <summary>
/// The account a backtest trades (section <c>Backtest</c>): one user of this tier and mode, with a paper broker
/// holding this balance. The default is the demo's: COMMANDER in AUTO, 80–89 %, 5 % risk, 10,000 USD.
/// </summary>
public sealed class BacktestOptions
{
    public const string Section = "Backtest";

    /// <summary>The EA the backtest's user is bound to: the desk sends this user's fires there and nowhere else.</summary>
    public const string EaUuid = "BACKTEST_EA";

    public string Tier { get; set; } = "COMMANDER";

    public string Mode { get; set; } = "AUTO";

    public double MinConfidence { get; set; } = AutoFireSettings.Default.MinConfidence;

    public double MaxConfidence { get; set; } = AutoFireSettings.Default.MaxConfidence;

    public int MaxSlots { get; set; } = AutoFireSettings.Default.MaxSlots;

    public decimal RiskPercent { get; set; } = AutoFireSettings.Default.RiskPercent;

    public decimal Balance { get; set; } = 10_000m;

    public string Currency { get; set; } = "USD";

    public int Leverage { get; set; } = 500;

    /// <summary>Paper broker: how many points a fill is worse than the quote.</summary>
    public double SlippagePoints { get; set; }

    /// <summary>Paper broker: the share of fires (0 to 1) it refuses, drawn from <see cref="Seed"/>.</summary>
    public double RejectRate { get; set; }

    public int Seed { get; set; } = 1;

    public IEnumerable<string> Validate()
    {
        if (!Tiers.TryParse(Tier, out _))
        {
            yield return $"Backtest:Tier must be PRESS_PASS, NIBBLER, FANG or COMMANDER, not '{Tier}'";
        }

        if (!Tiers.TryParseMode(Mode, out var mode))
        {
            yield return $"Backtest:Mode must be AUTO or MANUAL, not '{Mode}'";
        }
        else if (mode == FireMode.Auto && Tiers.TryParse(Tier, out var tier) && !tier.AllowsAutoFire())
        {
            yield return "Backtest:Mode AUTO needs Backtest:Tier COMMANDER or PRESS_PASS";
        }

        if (new AutoFireSettings(MinConfidence, MaxConfidence, MaxSlots, RiskPercent).Problem() is { } problem)
        {
            yield return $"Backtest: {problem}";
        }

        if (Balance <= 0)
        {
            yield return "Backtest:Balance must be more than 0";
        }

        if (string.IsNullOrWhiteSpace(Currency))
        {
            yield return "Backtest:Currency must name the account's currency";
        }

        if (Leverage < 1)
        {
            yield return "Backtest:Leverage must be at least 1";
        }

        if (!(SlippagePoints >= 0) || double.IsInfinity(SlippagePoints))
        {
            yield return "Backtest:SlippagePoints must be 0 or more";
        }

        if (!(RejectRate is >= 0 and <= 1))
        {
            yield return "Backtest:RejectRate must be between 0 and 1";
        }
    }

    /// <summary>The user and paper EA these options describe (call after <see cref="Validate"/> found nothing).</summary>
    public ReplayAccount ToAccount()
    {
        if (!Tiers.TryParse(Tier, out var tier) || !Tiers.TryParseMode(Mode, out var mode))
        {
            throw new InvalidOperationException("validate the backtest options first");
        }

        var user = new User(1, 1, tier, Role.User, mode, new AutoFireSettings(MinConfidence, MaxConfidence, MaxSlots, RiskPercent), EaUuid, 0);
        var ea = new SimulatedEaOptions
        {
            Uuid = EaUuid,
            Balance = Balance,
            Currency = Currency,
            Leverage = Leverage,
            SlippagePoints = SlippagePoints,
            RejectRate = RejectRate,
            Seed = Seed,
        };
        return new ReplayAccount(user, ea);
    }
}
