using Bitten.Domain.Signals;

namespace Bitten.Engine.Tracking;

/// <summary>
/// Everything needed to resume following one open signal after a restart: the signal, its pip size and the
/// excursions seen so far (in pips, the units they are reported in, so a save/restore round trip is exact).
/// </summary>
public readonly record struct OpenSignalState(Signal Signal, double PipSize, double MaxFavourablePips, double MaxAdversePips);
