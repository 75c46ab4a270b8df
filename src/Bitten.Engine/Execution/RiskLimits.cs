namespace Bitten.Engine.Execution;

/// <summary>The account-level risk limits of PRODUCT.md §5 that do not depend on the tier.</summary>
public static class RiskLimits
{
    /// <summary>
    /// Refuse new fires once equity has fallen this many per cent below its peak: a user who has given back a fifth
    /// of the account stops and looks before trading on.
    /// </summary>
    public const decimal MaxDrawdownPercent = 20m;

    /// <summary>
    /// Most positions open at once for an account of <paramref name="balance"/>, so a small account cannot stack
    /// trades whose minimum lots together risk far more than one trade's risk:
    /// below 500 → 1; 500 to under 1,000 → 2; 1,000 to under 5,000 → 3; 5,000 to under 10,000 → 5;
    /// 10,000 to under 50,000 → 10; 50,000 and above → 15. Each band includes its lower edge.
    /// </summary>
    public static int MaxOpenPositions(decimal balance) => balance switch
    {
        < 500m => 1,
        < 1_000m => 2,
        < 5_000m => 3,
        < 10_000m => 5,
        < 50_000m => 10,
        _ => 15,
    };
}
