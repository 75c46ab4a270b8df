using Bitten.Cli.Backtest;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;

namespace Bitten.EndToEnd.Tests;

/// <summary>The per-pattern statistics of <c>bitten backtest</c>, checked against numbers worked by hand.</summary>
public sealed class BacktestReportTests
{
    [Fact]
    public void WilsonIntervalOfFiveWinsInTenIsPointTwoThreeSixSixToPointSevenSixThreeFour()
    {
        var (lower, upper) = WinRate.Wilson(5, 10);

        Assert.Equal(0.2366, lower, 4);
        Assert.Equal(0.7634, upper, 4);
    }

    [Fact]
    public void WilsonIntervalOfTenWinsInTenReachesOneButNotItsLowerBound()
    {
        var (lower, upper) = WinRate.Wilson(10, 10);

        Assert.Equal(1.0, upper, 12);
        // 10 / (10 + z²) with z = 1.96: the lower bound of a perfect record is well below 1.
        Assert.Equal(10 / (10 + 1.959963984540054 * 1.959963984540054), lower, 10);
    }

    [Fact]
    public void WilsonIntervalOfNoTrialsIsZeroToZeroRatherThanNaN()
    {
        Assert.Equal((0.0, 0.0), WinRate.Wilson(0, 0));
    }

    [Fact]
    public void ExpectancyIsTheMeanOfPipsOverStopPips()
    {
        // +20 on a 10-pip stop is +2R, −10 on 10 is −1R, +5 on 20 is +0.25R: mean 1.25 / 3.
        var r = PatternReport.Row("X", [Trade("A", PatternType.BbScalp, 10, Outcome.Win, 20), Trade("B", PatternType.BbScalp, 10, Outcome.Loss, -10),
            Trade("C", PatternType.BbScalp, 20, Outcome.Win, 5)]).Stats.ExpectancyR;

        Assert.Equal(1.25 / 3, r, 12);
        Assert.Equal(0, PatternReport.Row("X", []).Stats.ExpectancyR);
    }

    [Fact]
    public void RowsCountOpenSignalsButLeaveThemOutOfRatesAndPips()
    {
        BacktestTrade[] trades =
        [
            Trade("A", PatternType.BbScalp, 10, Outcome.Win, 15),
            Trade("B", PatternType.BbScalp, 10, Outcome.Loss, -10),
            Trade("C", PatternType.BbScalp, 10, Outcome.Loss, -12),
            Trade("D", PatternType.BbScalp, 10, null, 0),
            Trade("E", PatternType.OrderBlockBounce, 20, Outcome.Win, 40),
        ];

        var rows = PatternReport.Build(trades);

        var bb = rows.Single(r => r.Pattern == "BB_SCALP").Stats;
        Assert.Equal((4, 1, 2, 1), (bb.Signals, bb.Wins, bb.Losses, bb.Open));
        Assert.Equal(1.0 / 3, bb.WinRate, 12);
        Assert.Equal(-7, bb.TotalPips, 12);
        Assert.Equal(-7.0 / 3, bb.AveragePips, 12);
        Assert.Equal((1.5 - 1.0 - 1.2) / 3, bb.ExpectancyR, 12);

        Assert.Equal(PatternReport.TotalName, rows[^1].Pattern);
        var total = rows[^1].Stats;
        Assert.Equal((5, 2, 2, 1), (total.Signals, total.Wins, total.Losses, total.Open));
        Assert.Equal(33, total.TotalPips, 12);
        Assert.Equal(PatternTypes.All.Count + 1, rows.Count);
    }

    [Fact]
    public void TheTextTableHasAHeaderARuleAndOneEquallyWideLinePerRow()
    {
        var rows = PatternReport.Build([Trade("A", PatternType.KalmanQuickfire, 10, Outcome.Win, 15)]);

        var lines = PatternReport.Format(rows).TrimEnd('\n').Split('\n');

        Assert.Equal(rows.Count + 2, lines.Length);
        Assert.StartsWith("pattern", lines[0], StringComparison.Ordinal);
        Assert.Single(lines.Select(l => l.Length).Distinct());
        Assert.Contains(lines, l => l.StartsWith("KALMAN_QUICKFIRE", StringComparison.Ordinal) && l.Contains("100.0", StringComparison.Ordinal));
    }

    private static BacktestTrade Trade(string id, PatternType pattern, double stopPips, Outcome? outcome, double pips)
    {
        var signal = new Signal(id, "EURUSD", new SymbolId(0), Direction.Buy, 1.1, 1.1 - stopPips * 1e-4, 1.1 + 2 * stopPips * 1e-4,
            stopPips, 2 * stopPips, 2, 80, pattern, 0, "LONDON", 1_000, 2_000, 1_000);
        return new BacktestTrade(signal, outcome is { } o ? new SignalOutcome(id, o, 1.1 + pips * 1e-4, 5_000, pips, 1, 0, 0) : null);
    }
}
