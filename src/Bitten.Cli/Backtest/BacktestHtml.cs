using System.Globalization;
using System.Net;
using System.Text;
using Bitten.Domain.Signals;
using Bitten.Domain.Users;

namespace Bitten.Cli.Backtest;

/// <summary>
/// The <c>--html</c> report: one self-contained file (inline SVG and CSS, no scripts or fonts) with the account's
/// equity curve, the signals' cumulative pips and, per symbol, the M5 closes with every signal marked at its entry.
/// </summary>
public static class BacktestHtml
{
    public const int MaxPricePoints = 2000;
    private const double Width = 1000;
    private const double Height = 300;
    private const double Pad = 40;

    public static string Render(BacktestResult result, IReadOnlyList<PatternRow> rows)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(rows);
        var html = new StringBuilder();
        html.Append("""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>bitten backtest</title>
            <style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{padding:2px 8px;text-align:right}
            td:first-child,th:first-child{text-align:left}svg{border:1px solid #ccc;background:#fff}
            .line{fill:none;stroke:#1f4e99;stroke-width:1}.buy{fill:#1a9e3a}.sell{fill:#c62828}.axis{font-size:11px;fill:#555}</style>
            </head><body>
            <h1>bitten backtest</h1>
            """);
        html.Append(Invariant($"<p>{result.Ticks:N0} ticks, {result.Trades.Count} signals.</p>\n"));
        html.Append(PatternTable(rows));

        // Equity: resolved trades in exit order (ties in raise order), cumulative pips.
        var equity = result.Trades
            .Select((t, i) => (Trade: t, Index: i))
            .Where(x => x.Trade.Outcome is not null)
            .OrderBy(x => x.Trade.Outcome!.Value.ExitTimeMs).ThenBy(x => x.Index)
            .ToList();
        var cumulative = 0.0;
        var points = new List<(double X, double Y)>();
        foreach (var (trade, _) in equity)
        {
            cumulative += trade.Outcome!.Value.Pips;
            points.Add((trade.Outcome.Value.ExitTimeMs, cumulative));
        }

        if (result.Account is { } account)
        {
            html.Append(AccountSection(account));
        }

        html.Append("<h2>Signals: cumulative pips</h2>\n");
        html.Append(Chart(points, []));
        foreach (var (symbol, closes) in result.Closes)
        {
            var stride = Math.Max(1, (int)Math.Ceiling(closes.Count / (double)MaxPricePoints));
            var line = closes.Where((_, i) => i % stride == 0).Select(p => ((double)p.TimeMs, p.Close)).ToList();
            var markers = result.Trades.Where(t => t.Signal.Symbol == symbol)
                .Select(t => ((double)t.Signal.TimestampMs, t.Signal.EntryPrice, t.Signal.Direction)).ToList();
            html.Append(Invariant($"<h2>{WebUtility.HtmlEncode(symbol)} — M5 closes, {markers.Count} signals</h2>\n"));
            html.Append(Chart(line, markers));
        }

        html.Append("</body></html>\n");
        return html.ToString();
    }

    /// <summary>What the account did, and its equity (balance plus open positions) over time.</summary>
    private static string AccountSection(BacktestAccount account)
    {
        var a = account.Result;
        var refusals = a.Refusals.Count == 0 ? "none" : string.Join(", ", a.Refusals.Select(r => Invariant($"{r.Key} {r.Value}")));
        var text = new StringBuilder(Invariant(
            $"<h2>Account: {a.User.Tier.WireName()} {a.User.Mode.WireName()} {a.User.Auto.MinConfidence:F0}–{a.User.Auto.MaxConfidence:F0} %, {a.User.Auto.RiskPercent} % risk</h2>\n"));
        text.Append(Invariant(
            $"<p>balance {a.StartBalance:N2} → {a.EndBalance:N2} (equity {a.EndEquity:N2}); {a.Fires} fires, {a.Fills} fills, {a.Closes} closed, {a.OpenPositions} open; max drawdown {a.MaxDrawdownPercent:F2} %; refused: {WebUtility.HtmlEncode(refusals)}</p>\n"));
        var stride = Math.Max(1, (int)Math.Ceiling(account.Equity.Count / (double)MaxPricePoints));
        var line = account.Equity.Where((_, i) => i % stride == 0 || i == account.Equity.Count - 1).Select(p => ((double)p.TimeMs, (double)p.Equity)).ToList();
        text.Append("<h3>Equity curve</h3>\n");
        text.Append(Chart(line, []));
        return text.ToString();
    }

    private static string PatternTable(IReadOnlyList<PatternRow> rows)
    {
        var text = new StringBuilder("<table><tr><th>pattern</th><th>signals</th><th>wins</th><th>losses</th><th>open</th><th>win %</th><th>95% CI</th><th>pips</th><th>avg pips</th><th>exp R</th></tr>\n");
        foreach (var r in rows)
        {
            text.Append(Invariant(
                $"<tr><td>{r.Pattern}</td><td>{r.Stats.Signals}</td><td>{r.Stats.Wins}</td><td>{r.Stats.Losses}</td><td>{r.Stats.Open}</td><td>{r.Stats.WinRate * 100:F1}</td><td>{r.Stats.WilsonLower * 100:F1}–{r.Stats.WilsonUpper * 100:F1}</td><td>{r.Stats.TotalPips:F1}</td><td>{r.Stats.AveragePips:F2}</td><td>{r.Stats.ExpectancyR:F3}</td></tr>\n"));
        }

        return text.Append("</table>\n").ToString();
    }

    private static string Chart(IReadOnlyList<(double X, double Y)> line, IReadOnlyList<(double X, double Y, Direction Direction)> markers)
    {
        var svg = new StringBuilder(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\">\n"));
        var xs = line.Select(p => p.X).Concat(markers.Select(m => m.X)).ToList();
        var ys = line.Select(p => p.Y).Concat(markers.Select(m => m.Y)).ToList();
        if (xs.Count == 0)
        {
            return svg.Append("<text x=\"20\" y=\"30\" class=\"axis\">nothing to plot</text></svg>\n").ToString();
        }

        var (x0, x1) = (xs.Min(), xs.Max());
        var (y0, y1) = (ys.Min(), ys.Max());
        // A flat series would divide by zero; widen it so it draws mid-height.
        if (x1 <= x0)
        {
            x1 = x0 + 1;
        }

        if (y1 <= y0)
        {
            (y0, y1) = (y0 - 1, y1 + 1);
        }

        double X(double x) => Pad + (x - x0) / (x1 - x0) * (Width - 2 * Pad);
        double Y(double y) => Height - Pad - (y - y0) / (y1 - y0) * (Height - 2 * Pad);

        svg.Append(Invariant($"<text x=\"4\" y=\"{Pad - 8}\" class=\"axis\">{y1:G6}</text><text x=\"4\" y=\"{Height - Pad + 14}\" class=\"axis\">{y0:G6}</text>\n"));
        svg.Append(Invariant($"<text x=\"{Pad}\" y=\"{Height - 8}\" class=\"axis\">{Date(x0)}</text><text x=\"{Width - Pad - 110}\" y=\"{Height - 8}\" class=\"axis\">{Date(x1)}</text>\n"));
        if (line.Count > 0)
        {
            svg.Append("<polyline class=\"line\" points=\"");
            foreach (var (x, y) in line)
            {
                svg.Append(Invariant($"{X(x):F1},{Y(y):F1} "));
            }

            svg.Append("\"/>\n");
        }

        foreach (var (x, y, direction) in markers)
        {
            var (cx, cy) = (X(x), Y(y));
            svg.Append(direction == Direction.Buy
                ? Invariant($"<path class=\"marker buy\" d=\"M{cx:F1},{cy - 5:F1} L{cx - 5:F1},{cy + 4:F1} L{cx + 5:F1},{cy + 4:F1} Z\"/>\n")
                : Invariant($"<path class=\"marker sell\" d=\"M{cx:F1},{cy + 5:F1} L{cx - 5:F1},{cy - 4:F1} L{cx + 5:F1},{cy - 4:F1} Z\"/>\n"));
        }

        return svg.Append("</svg>\n").ToString();
    }

    private static string Date(double unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds((long)unixMs).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
