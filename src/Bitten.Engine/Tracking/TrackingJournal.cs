using System.Globalization;
using System.Text;
using System.Text.Json;
using Bitten.Domain.Signals;

namespace Bitten.Engine.Tracking;

/// <summary>
/// One <c>comprehensive_tracking.jsonl</c> line per resolved signal (PRODUCT.md §6): seed 000's event bus fields in
/// its order, then ours. <c>timestamp</c>/<c>datetime</c> are the signal's time, as in the seed, so the file can be
/// windowed the same way as the analytics; pips, durations and scores are rounded to 0.1 (a pipette) so float noise
/// such as 14.999999999 does not reach the file.
/// </summary>
public static class TrackingJournal
{
    public const string FileName = "comprehensive_tracking.jsonl";

    /// <summary>The line, without its newline.</summary>
    public static string Line(Signal signal, SignalOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(signal);
        if (!string.Equals(signal.SignalId, outcome.SignalId, StringComparison.Ordinal))
        {
            throw new ArgumentException($"the outcome of {outcome.SignalId} is not the outcome of {signal.SignalId}", nameof(outcome));
        }

        using var buffer = new MemoryStream(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            var time = DateTimeOffset.FromUnixTimeMilliseconds(signal.TimestampMs);
            json.WriteStartObject();
            json.WriteString("signal_id", signal.SignalId);
            json.WriteString("symbol", signal.Symbol);
            json.WriteString("direction", signal.Direction.WireName());
            json.WriteString("pattern_type", signal.PatternType.WireName());
            json.WriteNumber("confidence", Tenths(signal.Confidence));
            json.WriteString("outcome", outcome.Outcome.WireName());
            json.WriteNumber("pips_result", Tenths(outcome.Pips));
            json.WriteNumber("timestamp", time.ToUnixTimeSeconds());
            json.WriteString("datetime", time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            json.WriteNumber("trade_duration_minutes", Tenths(outcome.DurationMinutes));
            json.WriteNumber("exit_price", outcome.ExitPrice);
            json.WriteNumber("max_favourable_pips", Tenths(outcome.MaxFavourablePips));
            json.WriteNumber("max_adverse_pips", Tenths(outcome.MaxAdversePips));
            json.WriteNumber("citadel_score", Tenths(signal.CitadelScore));
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static double Tenths(double value) => Math.Round(value, 1, MidpointRounding.AwayFromZero);
}
