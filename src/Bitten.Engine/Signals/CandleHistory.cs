using Bitten.Domain.Market;
using Bitten.Domain.Primitives;

namespace Bitten.Engine.Signals;

/// <summary>
/// The last <see cref="Capacity"/> closed candles of one timeframe for every symbol, oldest first, as a contiguous
/// span: detectors read candles like an array without copying or allocating. Only closed candles enter, so no
/// detector can see a forming bar (no look-ahead, no repaint).
/// </summary>
/// <remarks>
/// Each candle is written twice, at slot i and i + Capacity of a double-length array; the newest Capacity candles
/// are then always one contiguous run ending at the write position — a ring buffer that never wraps for readers.
/// </remarks>
public sealed class CandleHistory
{
    private readonly Timeframe _timeframe;
    private Window[] _windows = [];

    public CandleHistory(Timeframe timeframe, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _timeframe = timeframe;
        Capacity = capacity;
    }

    public int Capacity { get; }

    /// <summary>Adds a closed candle of this history's timeframe; others are ignored. Returns whether it was added.</summary>
    public bool Add(in Candle candle)
    {
        if (candle.Timeframe != _timeframe)
        {
            return false;
        }

        var index = candle.Symbol.Value;
        if (index >= _windows.Length)
        {
            Array.Resize(ref _windows, Math.Max(index + 1, Math.Max(8, _windows.Length * 2)));
        }

        (_windows[index] ??= new Window(Capacity)).Add(in candle);
        return true;
    }

    /// <summary>The symbol's closed candles, oldest first; the last element is the candle that closed most recently.</summary>
    public ReadOnlySpan<Candle> Of(SymbolId symbol) =>
        symbol.Value < _windows.Length && _windows[symbol.Value] is { } window ? window.Span : [];

    private sealed class Window(int capacity)
    {
        private readonly Candle[] _slots = new Candle[capacity * 2];
        private int _next;
        private int _count;

        public ReadOnlySpan<Candle> Span => _slots.AsSpan(_next + capacity - _count, _count);

        public void Add(in Candle candle)
        {
            _slots[_next] = candle;
            _slots[_next + capacity] = candle;
            _next = (_next + 1) % capacity;
            if (_count < capacity)
            {
                _count++;
            }
        }
    }
}
