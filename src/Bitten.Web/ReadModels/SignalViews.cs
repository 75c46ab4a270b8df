using System.Text.Json.Serialization;
using Bitten.Domain.Signals;

namespace Bitten.Web.ReadModels;

/// <summary>A signal as GET /api/signals and the stream's <c>signal</c> event show it: the PRODUCT.md §4 fields and its outcome.</summary>
internal sealed record SignalItemJson(
    string SignalId,
    string Symbol,
    string Direction,
    string PatternType,
    string SignalClass,
    double Confidence,
    double CitadelScore,
    double EntryPrice,
    [property: JsonPropertyName("sl")] double StopLoss,
    [property: JsonPropertyName("tp")] double TakeProfit,
    double StopPips,
    double TargetPips,
    string Session,
    long Timestamp,
    long ExpiresAt,
    SignalOutcomeJson? Outcome)
{
    public static SignalItemJson Of(TrackedSignal tracked) => Of(tracked.Signal, tracked.Outcome);

    public static SignalItemJson Of(Signal s, SignalOutcome? outcome) => new(s.SignalId, s.Symbol, s.Direction.WireName(), s.PatternType.WireName(),
        s.SignalClass.WireName(), s.Confidence, s.CitadelScore, s.EntryPrice, s.StopLoss, s.TakeProfit, s.StopPips, s.TargetPips, s.Session,
        s.TimestampMs, s.ExpiresAtMs, outcome is { } o ? SignalOutcomeJson.Of(o) : null);
}

/// <summary>How a signal ended: WIN or LOSS, where, when, after how long.</summary>
internal sealed record SignalOutcomeJson(string Result, double ExitPrice, double Pips, long ResolvedAt, double DurationMinutes)
{
    public static SignalOutcomeJson Of(in SignalOutcome o) =>
        new(o.Outcome.WireName(), o.ExitPrice, Math.Round(o.Pips, 1), o.ExitTimeMs, Math.Round(o.DurationMinutes, 1));
}
