using System.Runtime.CompilerServices;
using Bitten.Domain.Market;
using Bitten.Domain.Primitives;

namespace Bitten.Engine.Market;

/// <summary>
/// Builds one symbol's candles of one timeframe from ticks, aligned to clock boundaries of the tick's own time.
/// A bar closes when a tick of a later bucket arrives or when <see cref="CloseIfEnded"/> is told its end has passed;
/// the forming bar is never handed out as closed. A struct in an array: updating it allocates nothing.
/// </summary>
public struct CandleBuilder
{
    private long _openTimeMs;
    private double _bidOpen, _bidHigh, _bidLow, _bidClose;
    private double _askOpen, _askHigh, _askLow, _askClose;
    private double _midOpen, _midHigh, _midLow, _midClose;
    private int _ticks;
    private long _lastClosedOpenTimeMs;

    public CandleBuilder(SymbolId symbol, Timeframe timeframe)
    {
        Symbol = symbol;
        Timeframe = timeframe;
        DurationMs = timeframe.DurationMs();
        _lastClosedOpenTimeMs = long.MinValue;
    }

    public SymbolId Symbol { get; }

    public Timeframe Timeframe { get; }

    public long DurationMs { get; }

    public readonly bool IsForming => _ticks > 0;

    public readonly long FormingOpenTimeMs => _openTimeMs;

    /// <summary>Adds a tick. Returns <see cref="TickResult.Closed"/> with the finished bar when this tick opened a new one.</summary>
    public TickResult Add(in Tick tick, out Candle closed)
    {
        var bucket = UnixMs.Floor(tick.EventTimeMs, DurationMs);
        closed = default;
        var result = TickResult.Updated;
        if (bucket <= _lastClosedOpenTimeMs)
        {
            // Its bar was already published (by a later tick or by the clock) and stays as published.
            return TickResult.Late;
        }

        if (_ticks > 0)
        {
            if (bucket > _openTimeMs)
            {
                closed = Build();
                result = TickResult.Closed;
                _lastClosedOpenTimeMs = _openTimeMs;
                _ticks = 0;
            }
        }

        double bid = tick.Bid, ask = tick.Ask, mid = tick.Mid;
        if (_ticks == 0)
        {
            _openTimeMs = bucket;
            _bidOpen = _bidHigh = _bidLow = bid;
            _askOpen = _askHigh = _askLow = ask;
            _midOpen = _midHigh = _midLow = mid;
        }
        else
        {
            if (bid > _bidHigh) _bidHigh = bid;
            if (bid < _bidLow) _bidLow = bid;
            if (ask > _askHigh) _askHigh = ask;
            if (ask < _askLow) _askLow = ask;
            if (mid > _midHigh) _midHigh = mid;
            if (mid < _midLow) _midLow = mid;
        }

        _bidClose = bid;
        _askClose = ask;
        _midClose = mid;
        _ticks++;
        return result;
    }

    /// <summary>Closes the forming bar if its end (plus <paramref name="graceMs"/>) is at or before <paramref name="feedTimeMs"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool CloseIfEnded(long feedTimeMs, long graceMs, out Candle closed)
    {
        if (_ticks > 0 && feedTimeMs >= _openTimeMs + DurationMs + graceMs)
        {
            closed = Build();
            _lastClosedOpenTimeMs = _openTimeMs;
            _ticks = 0;
            return true;
        }

        closed = default;
        return false;
    }

    private readonly Candle Build() => new(
        Symbol,
        Timeframe,
        _openTimeMs,
        new Ohlc(_bidOpen, _bidHigh, _bidLow, _bidClose),
        new Ohlc(_askOpen, _askHigh, _askLow, _askClose),
        new Ohlc(_midOpen, _midHigh, _midLow, _midClose),
        _ticks);
}

public enum TickResult
{
    Updated,
    Closed,
    Late,
}
