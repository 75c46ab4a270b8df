using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Engine.Tracking;

namespace Bitten.Engine.Tests.Tracking;

/// <summary>Hand-built signals: only direction, levels, symbol and time matter to the tracker.</summary>
internal static class TestSignals
{
    public const double EurUsdPip = 0.0001;

    private static int _sequence;

    public static Signal Buy(double entry, double stopLoss, double takeProfit, long atMs, SymbolId? symbol = null, string? id = null) =>
        Make(Direction.Buy, entry, stopLoss, takeProfit, atMs, symbol ?? TestTicks.EurUsd, id);

    public static Signal Sell(double entry, double stopLoss, double takeProfit, long atMs, SymbolId? symbol = null, string? id = null) =>
        Make(Direction.Sell, entry, stopLoss, takeProfit, atMs, symbol ?? TestTicks.EurUsd, id);

    public static Signal Make(Direction direction, double entry, double stopLoss, double takeProfit, long atMs, SymbolId symbol, string? id = null)
    {
        var pattern = direction == Direction.Buy ? PatternType.BbScalp : PatternType.OrderBlockBounce;
        var signalId = id ?? SignalIds.Create(pattern.Class(), pattern, "EURUSD", atMs) + "_" + Interlocked.Increment(ref _sequence);
        return new Signal(signalId, "EURUSD", symbol, direction, entry, stopLoss, takeProfit,
            StopPips: 10, TargetPips: 15, RiskReward: 1.5, Confidence: 80, pattern, CitadelScore: 5, Session: "LONDON",
            TimestampMs: atMs, ExpiresAtMs: atMs + (30 * UnixMs.Minute), ReceivedTimeMs: atMs);
    }
}

/// <summary>Keeps every outcome in arrival order.</summary>
internal sealed class RecordingOutcomeSink : IOutcomeSink
{
    public List<SignalOutcome> Outcomes { get; } = [];

    public SignalOutcome Single => Assert.Single(Outcomes);

    public void OnResolved(in SignalOutcome outcome) => Outcomes.Add(outcome);
}
