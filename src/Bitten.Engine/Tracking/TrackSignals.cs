using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Engine.Signals;

namespace Bitten.Engine.Tracking;

/// <summary>
/// Puts every raised signal under tracking (pip size from the symbol catalogue) and passes it on, so every
/// composition — live, backtest, benchmark — follows each signal to TP or SL the same way.
/// </summary>
public sealed class TrackSignals(OutcomeTracker tracker, SymbolCatalogue catalogue, ISignalSink? next = null) : ISignalSink
{
    public void OnSignal(Signal signal)
    {
        next?.OnSignal(signal);
        tracker.Track(signal, catalogue.Get(signal.Symbol).PipSize);
    }
}
