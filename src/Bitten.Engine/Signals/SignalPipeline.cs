using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Engine.Kernel;
using Bitten.Engine.Tracking;

namespace Bitten.Engine.Signals;

/// <summary>
/// Elite Guard wired the one way every composition needs it — live, backtest, benchmark: each raised signal goes to
/// <paramref name="Tracker"/>, and each outcome to the caller and to the guard's threshold tuner. <paramref name="Raise"/>
/// is where Elite Guard's signals go (tracking, then the caller's sinks): an injected signal goes there too, so it is
/// treated exactly as if Elite Guard had raised it.
/// </summary>
public sealed record SignalPipeline(EliteGuard Guard, OutcomeTracker Tracker, ISignalSink Raise)
{
    public static SignalPipeline Create(SymbolRegistry symbols, EliteGuardOptions options, IOutcomeSink outcomes, ISignalSink? signals = null)
    {
        var tuner = new ThresholdTuner(options);
        var tracker = new OutcomeTracker(new Both(outcomes, tuner));
        var raise = new TrackSignals(tracker, SymbolCatalogue.Default, signals);
        var guard = EliteGuard.WithDefaults(symbols, options, raise, tuner);
        return new SignalPipeline(guard, tracker, raise);
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
