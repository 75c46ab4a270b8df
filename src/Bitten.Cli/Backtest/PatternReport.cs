using System.Globalization;
using System.Text;
using Bitten.Domain.Signals;
using Bitten.Engine.Tracking;

namespace Bitten.Cli.Backtest;

/// <summary>
/// One row of the per-pattern table. Rates, the interval, average pips and expectancy are over resolved signals only:
/// an open signal has no result yet.
/// </summary>
public sealed record PatternRow(
    string Pattern,
    int Signals,
    int Wins,
    int Losses,
    int Open,
    double WinRate,
    double WilsonLower,
    double WilsonUpper,
    double TotalPips,
    double AveragePips,
    double ExpectancyR);

/// <summary>The per-pattern statistics of a backtest, as pure functions of its trades.</summary>
public static class PatternReport
{
    public const string TotalName = "TOTAL";

    /// <summary>Expectancy in R: the mean of pips / stop pips over resolved trades; 0 when there are none.</summary>
    public static double ExpectancyR(IEnumerable<(double Pips, double StopPips)> resolved)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        double sum = 0;
        var n = 0;
        foreach (var (pips, stop) in resolved)
        {
            if (!(stop > 0))
            {
                throw new ArgumentOutOfRangeException(nameof(resolved), stop, "stop distance must be positive pips");
            }

            sum += pips / stop;
            n++;
        }

        return n == 0 ? 0 : sum / n;
    }

    /// <summary>A row for every pattern (in enum order, so the table's shape never changes) and a total row last.</summary>
    public static IReadOnlyList<PatternRow> Build(IReadOnlyList<BacktestTrade> trades)
    {
        ArgumentNullException.ThrowIfNull(trades);
        var rows = PatternTypes.All.Select(p => Row(p.WireName(), trades.Where(t => t.Signal.PatternType == p).ToList())).ToList();
        rows.Add(Row(TotalName, trades));
        return rows;
    }

    /// <summary>One row, computed by <see cref="PatternAnalytics.Stats"/> so backtests and live analytics agree.</summary>
    public static PatternRow Row(string name, IReadOnlyList<BacktestTrade> trades)
    {
        ArgumentNullException.ThrowIfNull(trades);
        var s = PatternAnalytics.Stats([.. trades.Select(t => new TrackedSignal(t.Signal, t.Outcome))]);
        return new PatternRow(name, s.Signals, s.Wins, s.Losses, s.Open, s.WinRate, s.WilsonLower, s.WilsonUpper, s.TotalPips, s.AveragePips, s.ExpectancyR);
    }

    /// <summary>The rows as an aligned text table.</summary>
    public static string Format(IReadOnlyList<PatternRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        string[] header = ["pattern", "signals", "wins", "losses", "open", "win%", "95% CI", "pips", "avg pips", "exp R"];
        var cells = rows.Select(r => new[]
        {
            r.Pattern,
            Invariant($"{r.Signals}"),
            Invariant($"{r.Wins}"),
            Invariant($"{r.Losses}"),
            Invariant($"{r.Open}"),
            Invariant($"{r.WinRate * 100:F1}"),
            Invariant($"{r.WilsonLower * 100:F1}–{r.WilsonUpper * 100:F1}"),
            Invariant($"{r.TotalPips:F1}"),
            Invariant($"{r.AveragePips:F2}"),
            Invariant($"{r.ExpectancyR:F3}"),
        }).ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, cells.Count == 0 ? 0 : cells.Max(c => c[i].Length))).ToArray();
        var text = new StringBuilder();
        Line(text, header, widths);
        text.AppendLine(new string('-', widths.Sum() + 2 * (widths.Length - 1)));
        foreach (var row in cells)
        {
            Line(text, row, widths);
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
