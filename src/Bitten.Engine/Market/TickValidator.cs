using Bitten.Domain.Market;
using Bitten.Domain.Primitives;

namespace Bitten.Engine.Market;

/// <summary>
/// The tick rules of PRODUCT.md §3: finite positive prices, ask ≥ bid, no absurd jump from the symbol's last
/// valid mid, no time far in the future. Keeps the last valid mid per symbol, so one instance belongs to one
/// thread (the bridge's). A refused tick does not move the reference price, so one spike cannot let the next through.
/// </summary>
public sealed class TickValidator
{
    private readonly double _maxJump;
    private readonly long _maxFutureMs;
    private double[] _lastMid = new double[64];

    public TickValidator(MarketOptions options)
    {
        _maxJump = options.MaxJumpFraction;
        _maxFutureMs = options.MaxFutureSkewSeconds * UnixMs.Second;
    }

    public RejectReason Validate(in Tick tick)
    {
        if (!double.IsFinite(tick.Bid) || !double.IsFinite(tick.Ask))
        {
            return RejectReason.NonFinitePrice;
        }

        if (tick.Bid <= 0 || tick.Ask <= 0)
        {
            return RejectReason.NonPositivePrice;
        }

        if (tick.Ask < tick.Bid)
        {
            return RejectReason.AskBelowBid;
        }

        if (tick.EventTimeMs - tick.ReceivedTimeMs > _maxFutureMs)
        {
            return RejectReason.FutureTimestamp;
        }

        var index = tick.Symbol.Value;
        if (index >= _lastMid.Length)
        {
            Array.Resize(ref _lastMid, Math.Max(index + 1, _lastMid.Length * 2));
        }

        var mid = tick.Mid;
        var last = _lastMid[index];
        if (last > 0 && Math.Abs(mid - last) > last * _maxJump)
        {
            return RejectReason.AbsurdJump;
        }

        _lastMid[index] = mid;
        return RejectReason.None;
    }

    /// <summary>
    /// The one rule of a history bar the parser cannot judge without a clock: it must have closed. A bar ending later
    /// than our clock (plus the skew ticks are allowed) is still forming, or misdated by a wrong broker offset.
    /// Its prices, period and boundary are checked where it is parsed.
    /// </summary>
    public RejectReason ValidateBar(in Candle bar, long receivedMs) =>
        bar.CloseTimeMs - receivedMs > _maxFutureMs ? RejectReason.FutureTimestamp : RejectReason.None;
}
