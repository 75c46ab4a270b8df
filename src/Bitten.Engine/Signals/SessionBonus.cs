using Bitten.Domain.Signals;

namespace Bitten.Engine.Signals;

/// <summary>
/// The confidence points a reading earns for the session its candle closed in, per pattern, in one table (it was
/// written out once per detector). A reading's <see cref="Patterns.ConfidenceComponents.Session"/> is this value.
/// </summary>
/// <remarks>
/// Rows are the reference's (§2.5): the RAPID table {LONDON 8, OVERLAP 6, NEWYORK 5, ASIAN 3}; ORDER_BLOCK_BOUNCE's
/// {8, 6, 4, 2} and FAIR_VALUE_GAP_FILL's {8, 6, 5, 2}; LIQUIDITY_SWEEP_REVERSAL has no session term. Late, which the
/// reference's tables never named, earns nothing.
/// </remarks>
public static class SessionBonus
{
    private static readonly double[][] Rows = Build(new Dictionary<PatternType, double[]>
    {
        // Points by session:                       Asian, London, Overlap, NewYork, Late
        [PatternType.LiquiditySweepReversal] = [0, 0, 0, 0, 0],
        [PatternType.OrderBlockBounce] = [2, 8, 6, 4, 0],
        [PatternType.FairValueGapFill] = [2, 8, 6, 5, 0],
        [PatternType.KalmanQuickfire] = [3, 8, 6, 5, 0],
        [PatternType.BbScalp] = [3, 8, 6, 5, 0],
        [PatternType.VcbBreakout] = [3, 8, 6, 5, 0],
    });

    public static double For(PatternType pattern, TradingSession session) => Rows[(int)pattern][(int)session];

    private static double[][] Build(Dictionary<PatternType, double[]> table)
    {
        var sessions = Enum.GetValues<TradingSession>().Length;
        var rows = new double[Enum.GetValues<PatternType>().Length][];
        foreach (var pattern in Enum.GetValues<PatternType>())
        {
            if (!table.TryGetValue(pattern, out var row) || row.Length != sessions)
            {
                throw new InvalidOperationException($"the session bonus table needs one value per session for {pattern.WireName()}");
            }

            rows[(int)pattern] = row;
        }

        return rows;
    }
}
