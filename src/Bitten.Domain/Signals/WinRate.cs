namespace Bitten.Domain.Signals;

/// <summary>Win-rate statistics shared by the backtest report, the threshold tuner and pattern analytics.</summary>
public static class WinRate
{
    /// <summary>z for a two-sided 95 % interval.</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>
    /// The Wilson score interval for <paramref name="wins"/> of <paramref name="n"/>. Unlike the normal approximation it
    /// stays inside [0, 1] and is honest at small n, which is most patterns over two weeks. No trials → (0, 0).
    /// </summary>
    public static (double Lower, double Upper) Wilson(int wins, int n, double z = Z95)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(wins);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(wins, n);
        if (n == 0)
        {
            return (0, 0);
        }

        var p = (double)wins / n;
        var z2 = z * z;
        var denominator = 1 + z2 / n;
        var centre = (p + z2 / (2 * n)) / denominator;
        var margin = z * Math.Sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denominator;
        return (Math.Max(0, centre - margin), Math.Min(1, centre + margin));
    }

    /// <summary>The win rate at which a trade paying <paramref name="rewardToRisk"/> R breaks even: 1 / (1 + R:R).</summary>
    public static double BreakEven(double rewardToRisk) => 1 / (1 + rewardToRisk);
}
