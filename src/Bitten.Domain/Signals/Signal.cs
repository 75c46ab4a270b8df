using Bitten.Domain.Primitives;

namespace Bitten.Domain.Signals;

/// <summary>
/// A published signal (PRODUCT.md §4). Immutable: the published TP is the executed TP is the tracked TP.
/// <see cref="TimestampMs"/> is event (tick) time, <see cref="ReceivedTimeMs"/> our clock when it was raised.
/// <see cref="SignalClass"/> is derived from the pattern so a signal cannot carry a class the table disagrees with.
/// Prices are the symbol's prices; stop and target distances are in pips; confidence is 0–100, CITADEL 0–10.
/// <see cref="Score"/> is how Elite Guard built the confidence (null for a signal injected through the API, and for one
/// stored before scores were kept).
/// </summary>
public sealed record Signal(
    string SignalId,
    string Symbol,
    SymbolId SymbolId,
    Direction Direction,
    double EntryPrice,
    double StopLoss,
    double TakeProfit,
    double StopPips,
    double TargetPips,
    double RiskReward,
    double Confidence,
    PatternType PatternType,
    double CitadelScore,
    string Session,
    long TimestampMs,
    long ExpiresAtMs,
    long ReceivedTimeMs,
    SignalScore? Score = null)
{
    public SignalClass SignalClass => PatternType.Class();
}

public static class SignalIds
{
    /// <summary>
    /// <c>ELITE_{RAPID|SNIPER}_{PATTERN}_{SYMBOL}_{unix_ms}</c>. Unique as long as one pattern raises at most one
    /// signal per symbol per millisecond, which the per-symbol cooldown guarantees.
    /// </summary>
    public static string Create(SignalClass signalClass, PatternType pattern, string symbol, long unixMs)
    {
        ArgumentException.ThrowIfNullOrEmpty(symbol);
        if (pattern.Class() != signalClass)
        {
            // The class is in the id that users and the EA see; a mismatch would contradict the one table.
            throw new ArgumentException(
                $"{pattern.WireName()} is a {pattern.Class().WireName()} pattern, not {signalClass.WireName()}", nameof(signalClass));
        }

        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"ELITE_{signalClass.WireName()}_{pattern.WireName()}_{symbol}_{unixMs}");
    }
}
