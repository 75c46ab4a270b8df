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
public sealed record SignalPipeline(EliteGuard Guard, OutcomeTracker Tracker, ISignalSink Raise, PatternSwitchboard? Switchboard)
{
    /// <param name="autoDisable">
    /// Live: patterns whose measured outcomes fail the analytics rule stop raising signals. A backtest leaves it off so
    /// its table measures every pattern over the whole period.
    /// </param>
    public static SignalPipeline Create(SymbolRegistry symbols, EliteGuardOptions options, IOutcomeSink outcomes, ISignalSink? signals = null,
        bool autoDisable = false)
    {
        var tuner = new ThresholdTuner(options);
        var switchboard = autoDisable ? new PatternSwitchboard() : null;
        // The switchboard hears an outcome first: whoever reads the history after it (the API) never sees an outcome the
        // switchboard has not counted yet.
        var tracker = new OutcomeTracker(switchboard is null ? new OutcomeFanout(outcomes, tuner) : new OutcomeFanout(switchboard, outcomes, tuner));
        ISignalSink? next = switchboard is null ? signals : signals is null ? switchboard : new SignalFanout(switchboard, signals);
        var raise = new TrackSignals(tracker, SymbolCatalogue.Default, next);
        var guard = new EliteGuard(symbols, SymbolCatalogue.Default, Patterns.PatternDetectors.All(), SignalRules.Default, SignalGate.Default(),
            options, raise, tuner, switchboard);
        return new SignalPipeline(guard, tracker, raise, switchboard);
    }

    /// <summary>Subscribes the guard to candles and the tracker to ticks.</summary>
    public void SubscribeTo(TradingKernel kernel)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        kernel.Subscribe(Guard);
        kernel.Subscribe(Tracker);
    }
}
