namespace Bitten.Domain.Signals;

/// <summary>The six detectors of PRODUCT.md §4.</summary>
public enum PatternType
{
    LiquiditySweepReversal,
    OrderBlockBounce,
    FairValueGapFill,
    KalmanQuickfire,
    BbScalp,
    VcbBreakout,
}

public static class PatternTypes
{
    /// <summary>
    /// The one table of pattern → wire name → class, indexed by the enum value. The original system decided the
    /// class in several places and they disagreed; everything here (ids, tier filters, analytics) reads this row.
    /// </summary>
    private static readonly Row[] Table =
    [
        new(PatternType.LiquiditySweepReversal, "LIQUIDITY_SWEEP_REVERSAL", SignalClass.Sniper),
        new(PatternType.OrderBlockBounce, "ORDER_BLOCK_BOUNCE", SignalClass.Sniper),
        new(PatternType.FairValueGapFill, "FAIR_VALUE_GAP_FILL", SignalClass.Sniper),
        new(PatternType.KalmanQuickfire, "KALMAN_QUICKFIRE", SignalClass.Rapid),
        new(PatternType.BbScalp, "BB_SCALP", SignalClass.Rapid),
        new(PatternType.VcbBreakout, "VCB_BREAKOUT", SignalClass.Rapid),
    ];

    /// <summary>Every pattern, in enum order.</summary>
    public static IReadOnlyList<PatternType> All { get; } = Array.ConvertAll(Table, r => r.Pattern);

    public static string WireName(this PatternType pattern) => RowOf(pattern).Wire;

    public static SignalClass Class(this PatternType pattern) => RowOf(pattern).Class;

    public static bool TryParse(ReadOnlySpan<char> text, out PatternType pattern)
    {
        foreach (var row in Table)
        {
            if (text.SequenceEqual(row.Wire))
            {
                pattern = row.Pattern;
                return true;
            }
        }

        pattern = default;
        return false;
    }

    public static bool TryParse(ReadOnlySpan<byte> utf8, out PatternType pattern)
    {
        foreach (var row in Table)
        {
            if (utf8.SequenceEqual(row.Utf8))
            {
                pattern = row.Pattern;
                return true;
            }
        }

        pattern = default;
        return false;
    }

    public static PatternType Parse(string text) =>
        TryParse(text.AsSpan(), out var pattern) ? pattern : throw new FormatException($"'{text}' is not a pattern type");

    private static Row RowOf(PatternType pattern) =>
        (uint)pattern < (uint)Table.Length ? Table[(int)pattern] : throw new ArgumentOutOfRangeException(nameof(pattern), pattern, "not a pattern type");

    private sealed class Row(PatternType pattern, string wire, SignalClass signalClass)
    {
        public PatternType Pattern { get; } = pattern;

        public string Wire { get; } = wire;

        public byte[] Utf8 { get; } = System.Text.Encoding.UTF8.GetBytes(wire);

        public SignalClass Class { get; } = signalClass;
    }
}
