using Bitten.Domain.Primitives;

namespace Bitten.Gateway.Market;

/// <summary>
/// The bridge's counters. Written only by the bridge thread (Interlocked, so readers on other threads see whole
/// values); read by the status line, /healthz and tests.
/// </summary>
public sealed class BridgeStats
{
    private readonly long[] _rejected = new long[RejectReasons.Count];
    private SymbolCounters[] _symbols = new SymbolCounters[64];
    private long _received;
    private long _published;
    private long _faults;
    private long _bars;
    private long _barsIgnored;

    public long Received => Interlocked.Read(ref _received);

    public long Published => Interlocked.Read(ref _published);

    /// <summary>Frames whose handling failed inside the bridge (a bug, not bad input): each is logged.</summary>
    public long Faults => Interlocked.Read(ref _faults);

    /// <summary>Valid OHLC bars received; of them, those of a period no detector reads (all but M5), republished and not applied.</summary>
    public long Bars => Interlocked.Read(ref _bars);

    public long BarsIgnored => Interlocked.Read(ref _barsIgnored);

    public long Rejected(RejectReason reason) => Interlocked.Read(ref _rejected[(int)reason]);

    public long TotalRejected
    {
        get
        {
            long total = 0;
            for (var i = 0; i < _rejected.Length; i++)
            {
                total += Interlocked.Read(ref _rejected[i]);
            }

            return total;
        }
    }

    /// <summary>Non-zero reject counters by reason code.</summary>
    public IReadOnlyDictionary<string, long> RejectedByReason()
    {
        var result = new SortedDictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < _rejected.Length; i++)
        {
            var count = Interlocked.Read(ref _rejected[i]);
            if (count > 0)
            {
                result[((RejectReason)i).Code()] = count;
            }
        }

        return result;
    }

    /// <summary>Ticks published for a symbol, its last quote and the event time of that quote.</summary>
    public SymbolCounters Symbol(SymbolId symbol)
    {
        var symbols = Volatile.Read(ref _symbols);
        return symbol.Value < symbols.Length ? symbols[symbol.Value] : default;
    }

    internal void CountReceived() => Interlocked.Increment(ref _received);

    internal void CountPublished() => Interlocked.Increment(ref _published);

    internal void CountBar(bool applied)
    {
        Interlocked.Increment(ref _bars);
        if (!applied)
        {
            Interlocked.Increment(ref _barsIgnored);
        }
    }

    internal void CountFault() => Interlocked.Increment(ref _faults);

    internal void CountRejected(RejectReason reason) => Interlocked.Increment(ref _rejected[(int)reason]);

    internal void CountTick(SymbolId symbol, double bid, double ask, long eventTimeMs)
    {
        var symbols = _symbols;
        if (symbol.Value >= symbols.Length)
        {
            Array.Resize(ref symbols, Math.Max(symbol.Value + 1, symbols.Length * 2));
            Volatile.Write(ref _symbols, symbols);
        }

        ref var counters = ref symbols[symbol.Value];
        counters = new SymbolCounters(counters.Ticks + 1, bid, ask, eventTimeMs);
    }
}

public readonly record struct SymbolCounters(long Ticks, double LastBid, double LastAsk, long LastEventTimeMs);
