using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Engine.Kernel;
using Bitten.Engine.Tracking;

namespace Bitten.Engine.Signals;

/// <summary>
/// Elite Guard wired the one way every composition needs it — live, backtest, benchmark: each raised signal goes to
/// <paramref name="Tracker"/>, and each outcome to the caller and to the guard's threshold tuner.
/// </summary>
public sealed record SignalPipeline(EliteGuard Guard, OutcomeTracker Tracker)
{
    public static SignalPipeline Create(SymbolRegistry symbols, EliteGuardOptions options, IOutcomeSink outcomes, ISignalSink? signals = null)
    {
        var tuner = new ThresholdTuner(options);
        var tracker = new OutcomeTracker(new Both(outcomes, tuner));
        var guard = EliteGuard.WithDefaults(symbols, options, new TrackSignals(tracker, SymbolCatalogue.Default, signals), tuner);
        return new SignalPipeline(guard, tracker);
    }

    /// <summary>Subscribes the guard to candles and the tracker to ticks.</summary>
    public void SubscribeTo(TradingKernel kernel)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        kernel.Subscribe(Guard);
        kernel.Subscribe(Tracker);
    }

    private sealed class Both(IOutcomeSink first, IOutcomeSink second) : IOutcomeSink
    {
        public void OnResolved(in SignalOutcome outcome)
        {
            first.OnResolved(in outcome);
            second.OnResolved(in outcome);
        }
    }
}
