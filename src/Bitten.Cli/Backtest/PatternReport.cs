using System.Globalization;
using System.Text;
using Bitten.Domain.Signals;
using Bitten.Engine.Tracking;

namespace Bitten.Cli.Backtest;

/// <summary>
/// One row of the per-pattern table: a pattern (or the total) and its figures, computed by
/// <see cref="PatternAnalytics.Stats"/> so backtests and live analytics agree. Rates, the interval, average pips and
/// expectancy are over resolved signals only: an open signal has no result yet.
/// </summary>
public sealed record PatternRow(string Pattern, PerformanceStats Stats);

/// <summary>The per-pattern statistics of a backtest, as pure functions of its trades.</summary>
public static class PatternReport
{
    public const string TotalName = "TOTAL";

    /// <summary>A row for every pattern (in enum order, so the table's shape never changes) and a total row last.</summary>
    public static IReadOnlyList<PatternRow> Build(IReadOnlyList<BacktestTrade> trades)
    {
        ArgumentNullException.ThrowIfNull(trades);
        var rows = PatternTypes.All.Select(p => Row(p.WireName(), trades.Where(t => t.Signal.PatternType == p).ToList())).ToList();
        rows.Add(Row(TotalName, trades));
        return rows;
    }

    public static PatternRow Row(string name, IReadOnlyList<BacktestTrade> trades)
    {
        ArgumentNullException.ThrowIfNull(trades);
        return new PatternRow(name, PatternAnalytics.Stats([.. trades.Select(t => new TrackedSignal(t.Signal, t.Outcome))]));
    }

    /// <summary>The rows as an aligned text table.</summary>
    public static string Format(IReadOnlyList<PatternRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        string[] header = ["pattern", "signals", "wins", "losses", "open", "win%", "95% CI", "pips", "avg pips", "exp R"];
        var cells = rows.Select(row => new[]
        {
            row.Pattern,
            Invariant($"{row.Stats.Signals}"),
            Invariant($"{row.Stats.Wins}"),
            Invariant($"{row.Stats.Losses}"),
            Invariant($"{row.Stats.Open}"),
            Invariant($"{row.Stats.WinRate * 100:F1}"),
            Invariant($"{row.Stats.WilsonLower * 100:F1}–{row.Stats.WilsonUpper * 100:F1}"),
            Invariant($"{row.Stats.TotalPips:F1}"),
            Invariant($"{row.Stats.AveragePips:F2}"),
            Invariant($"{row.Stats.ExpectancyR:F3}"),
        }).ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, cells.Count == 0 ? 0 : cells.Max(c => c[i].Length))).ToArray();
        var text = new StringBuilder();
        Line(text, header, widths);
        text.AppendLine(new string('-', widths.Sum() + 2 * (widths.Length - 1)));
        foreach (var line in cells)
        {
            Line(text, line, widths);
        }

        return text.ToString();
    }

    private static void Line(StringBuilder text, string[] cells, int[] widths)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            // Names left-aligned, numbers right-aligned so digits line up.
            text.Append(i == 0 ? cells[i].PadRight(widths[i]) : cells[i].PadLeft(widths[i]));
            text.Append(i + 1 < cells.Length ? "  " : "\n");
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
