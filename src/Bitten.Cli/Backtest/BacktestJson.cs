using System.Diagnostics;
using System.Text.Json;
using Bitten.Bench;
using Bitten.Domain.Signals;
using Bitten.Domain.Users;
using Bitten.Simulation.Replay;

namespace Bitten.Cli.Backtest;

/// <summary>
/// The <c>--json</c> file: every signal with its outcome, the per-pattern summary, then what the account did. Times
/// are Unix ms; the exit fields of a signal still open at the end are null rather than absent, so every row has the
/// same fields.
/// </summary>
public static class BacktestJson
{
    public static void Write(Stream stream, BacktestResult result, IReadOnlyList<PatternRow> rows)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(rows);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteStartArray("signals"u8);
        foreach (var trade in result.Trades)
        {
            var s = trade.Signal;
            json.WriteStartObject();
            json.WriteString("signal_id"u8, s.SignalId);
            json.WriteString("symbol"u8, s.Symbol);
            json.WriteString("direction"u8, s.Direction.WireName());
            json.WriteString("pattern_type"u8, s.PatternType.WireName());
            json.WriteString("signal_class"u8, s.SignalClass.WireName());
            json.WriteNumber("confidence"u8, s.Confidence);
            json.WriteNumber("citadel_score"u8, s.CitadelScore);
            json.WriteNumber("entry_price"u8, s.EntryPrice);
            json.WriteNumber("sl"u8, s.StopLoss);
            json.WriteNumber("tp"u8, s.TakeProfit);
            json.WriteNumber("timestamp"u8, s.TimestampMs);
            json.WriteString("outcome"u8, trade.OutcomeName);
            if (trade.Outcome is { } o)
            {
                json.WriteNumber("exit_price"u8, o.ExitPrice);
                json.WriteNumber("exit_time"u8, o.ExitTimeMs);
                json.WriteNumber("pips"u8, Math.Round(o.Pips, 2));
                json.WriteNumber("duration_minutes"u8, Math.Round(o.DurationMinutes, 2));
            }
            else
            {
                json.WriteNull("exit_price"u8);
                json.WriteNull("exit_time"u8);
                json.WriteNull("pips"u8);
                json.WriteNull("duration_minutes"u8);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartObject("summary"u8);
        json.WriteNumber("ticks"u8, result.Ticks);
        json.WriteNumber("kernel_faults"u8, result.Faults);
        var engine = result.Engine;
        json.WriteStartObject("engine"u8);
        json.WriteNumber("evaluations"u8, engine.Evaluations);
        json.WriteNumber("below_pattern_floor"u8, engine.BelowFloor);
        json.WriteNumber("below_threshold"u8, engine.BelowThreshold);
        json.WriteNumber("paced"u8, engine.Paced);
        json.WriteNumber("citadel_held"u8, engine.Held);
        json.WriteNumber("citadel_released"u8, engine.Released);
        json.WriteNumber("citadel_expired"u8, engine.HoldsExpired);
        json.WriteNumber("final_threshold"u8, engine.Threshold);
        json.WriteNumber("threshold_moves"u8, engine.ThresholdMoves);
        json.WriteEndObject();
        json.WriteStartArray("patterns"u8);
        foreach (var row in rows.Where(r => r.Pattern != PatternReport.TotalName))
        {
            WriteRow(json, row);
        }

        json.WriteEndArray();
        json.WritePropertyName("total"u8);
        WriteRow(json, rows.Single(r => r.Pattern == PatternReport.TotalName));
        json.WriteEndObject();
        if (result.Account is { } account)
        {
            WriteAccount(json, account.Result);
        }

        WriteFigures(json, Figures(result));
        json.WriteEndObject();
    }

    /// <summary>
    /// How fast the run was, under the benches' stable names (backtest.ticks_per_second, backtest.peak_rss_mb, …):
    /// the one part of the file that differs between runs of the same ticks.
    /// </summary>
    public static BenchFigures Figures(BacktestResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var seconds = result.Elapsed.TotalSeconds;
        using var process = Process.GetCurrentProcess();
        return new BenchFigures("backtest")
            .Set("backtest.ticks", result.Ticks)
            .Set("backtest.seconds", seconds)
            .Set("backtest.ticks_per_second", seconds > 0 ? result.Ticks / seconds : double.NaN)
            .Set("backtest.peak_rss_mb", process.PeakWorkingSet64 / (1024.0 * 1024.0))
            .Set("backtest.skipped_lines", result.SkippedLines)
            .Set("backtest.skipped_files", result.SkippedFiles);
    }

    private static void WriteFigures(Utf8JsonWriter json, BenchFigures figures)
    {
        json.WriteStartObject("figures"u8);
        foreach (var (name, value) in figures.Values)
        {
            if (double.IsFinite(value))
            {
                json.WriteNumber(name, Math.Round(value, 4));
            }
            else
            {
                json.WriteNull(name);
            }
        }

        json.WriteEndObject();
    }

    /// <summary>
    /// What the account did: fires sent to its EA, fills, and fires refused by reason (the desk's refusal codes, and
    /// <c>ea_refused</c> for one the broker turned down). End balance counts closed trades; end equity the open ones too.
    /// </summary>
    private static void WriteAccount(Utf8JsonWriter json, AccountResult account)
    {
        json.WriteStartObject("account"u8);
        json.WriteString("tier"u8, account.User.Tier.WireName());
        json.WriteString("mode"u8, account.User.Mode.WireName());
        json.WriteNumber("start_balance"u8, account.StartBalance);
        json.WriteNumber("end_balance"u8, account.EndBalance);
        json.WriteNumber("end_equity"u8, account.EndEquity);
        json.WriteNumber("fires"u8, account.Fires);
        json.WriteNumber("fills"u8, account.Fills);
        json.WriteNumber("closes"u8, account.Closes);
        json.WriteNumber("open_positions"u8, account.OpenPositions);
        json.WriteStartObject("refusals"u8);
        foreach (var (reason, count) in account.Refusals)
        {
            json.WriteNumber(reason, count);
        }

        json.WriteEndObject();
        json.WriteNumber("max_drawdown_pct"u8, Math.Round(account.MaxDrawdownPercent, 2));
        json.WriteEndObject();
    }

    private static void WriteRow(Utf8JsonWriter json, PatternRow row)
    {
        json.WriteStartObject();
        json.WriteString("pattern_type"u8, row.Pattern);
        json.WriteNumber("signals"u8, row.Stats.Signals);
        json.WriteNumber("wins"u8, row.Stats.Wins);
        json.WriteNumber("losses"u8, row.Stats.Losses);
        json.WriteNumber("open"u8, row.Stats.Open);
        json.WriteNumber("win_rate"u8, Math.Round(row.Stats.WinRate, 4));
        json.WriteNumber("wilson_lower"u8, Math.Round(row.Stats.WilsonLower, 4));
        json.WriteNumber("wilson_upper"u8, Math.Round(row.Stats.WilsonUpper, 4));
        json.WriteNumber("total_pips"u8, Math.Round(row.Stats.TotalPips, 2));
        json.WriteNumber("average_pips"u8, Math.Round(row.Stats.AveragePips, 2));
        json.WriteNumber("expectancy_r"u8, Math.Round(row.Stats.ExpectancyR, 4));
        json.WriteEndObject();
    }
}
