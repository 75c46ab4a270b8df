using Bitten.Domain.Primitives;

namespace Bitten.Domain.Market;

/// <summary>
/// One quote from an EA. A struct with no references, so it crosses the kernel inbox without allocating.
/// <see cref="EventTimeMs"/> is the EA's (venue) time converted to UTC; <see cref="ReceivedTimeMs"/> is ours.
/// Candles are built from event time: receive time is what the original system wrongly used.
/// </summary>
public readonly record struct Tick(
    SymbolId Symbol,
    double Bid,
    double Ask,
    long EventTimeMs,
    long ReceivedTimeMs,
    double Volume = 0)
{
    public double Mid => (Bid + Ask) * 0.5;

    public double Spread => Ask - Bid;
}
