using Bitten.Domain.Market;
using Bitten.Domain.Primitives;

namespace Bitten.Engine.Signals;

/// <summary>Where a candle went in a <see cref="CandleHistory"/>.</summary>
public enum CandlePlacement
{
    /// <summary>After every candle held: the common case, and the only one for a live close in order.</summary>
    Appended,

    /// <summary>Into a free slot between older and newer candles (a history bar filling a gap).</summary>
    Inserted,

    /// <summary>Over the candle of the same slot (a live close takes the place of a history bar).</summary>
    Replaced,

    /// <summary>Not added: a candle of that slot is already held, and history never overrides one.</summary>
    SlotTaken,

    /// <summary>Not added: the window is full and the candle is older than all it holds.</summary>
    TooOld,

    /// <summary>Not added: another timeframe than this history's.</summary>
    OtherTimeframe,
}

/// <summary>
/// The last <see cref="Capacity"/> closed candles of one timeframe for every symbol, oldest first, as a contiguous
/// span: detectors read candles like an array without copying or allocating. Only closed candles enter, so no
/// detector can see a forming bar (no look-ahead, no repaint). Candles are kept in open-time order, one per slot:
/// a live close in order is appended; an EA's history bars fill the slots around it.
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
    public bool Add(in Candle candle) => Place(in candle, replace: true) is CandlePlacement.Appended or CandlePlacement.Inserted or CandlePlacement.Replaced;

    /// <summary>
    /// Puts a candle in open-time order. With <paramref name="replace"/> (a bar built from ticks) it takes the place
    /// of a candle of the same slot; without (a history bar) it only fills a free slot.
    /// </summary>
    public CandlePlacement Place(in Candle candle, bool replace)
    {
        if (candle.Timeframe != _timeframe)
        {
            return CandlePlacement.OtherTimeframe;
        }

        var index = candle.Symbol.Value;
        if (index >= _windows.Length)
        {
            Array.Resize(ref _windows, Math.Max(index + 1, Math.Max(8, _windows.Length * 2)));
        }

        return (_windows[index] ??= new Window(Capacity)).Place(in candle, replace);
    }

    /// <summary>The symbol's closed candles, oldest first; the last element is the newest.</summary>
    public ReadOnlySpan<Candle> Of(SymbolId symbol) =>
        symbol.Value < _windows.Length && _windows[symbol.Value] is { } window ? window.Span : [];

    private sealed class Window(int capacity)
    {
        private readonly Candle[] _slots = new Candle[capacity * 2];
        private Candle[]? _scratch;
        private int _next;
        private int _count;

        public ReadOnlySpan<Candle> Span => _slots.AsSpan(Start, _count);

        private int Start => _next + capacity - _count;

        public CandlePlacement Place(in Candle candle, bool replace)
        {
            if (_count == 0 || candle.OpenTimeMs > _slots[Start + _count - 1].OpenTimeMs)
            {
                Append(in candle);
                return CandlePlacement.Appended;
            }

            var at = Find(candle.OpenTimeMs);
            if (at >= 0)
            {
                if (!replace)
                {
                    return CandlePlacement.SlotTaken;
                }

                var slot = Start + at;
                _slots[slot] = candle;
                _slots[slot >= capacity ? slot - capacity : slot + capacity] = candle;
                return CandlePlacement.Replaced;
            }

            var before = ~at;
            if (before == 0 && _count == capacity)
            {
                return CandlePlacement.TooOld;
            }

            Insert(in candle, before);
            return CandlePlacement.Inserted;
        }

        private void Append(in Candle candle)
        {
            _slots[_next] = candle;
            _slots[_next + capacity] = candle;
            _next = (_next + 1) % capacity;
            if (_count < capacity)
            {
                _count++;
            }
        }

        /// <summary>The index of the candle opening at <paramref name="openTimeMs"/>, or the complement of where it belongs.</summary>
        private int Find(long openTimeMs)
        {
            var span = Span;
            int low = 0, high = span.Length - 1;
            while (low <= high)
            {
                var mid = (low + high) >>> 1;
                var time = span[mid].OpenTimeMs;
                if (time == openTimeMs)
                {
                    return mid;
                }

                if (time < openTimeMs)
                {
                    low = mid + 1;
                }
                else
                {
                    high = mid - 1;
                }
            }

            return ~low;
        }

        /// <summary>Rare (history bars out of order): rewrites the window with the candle in place, dropping the oldest when full.</summary>
        private void Insert(in Candle candle, int before)
        {
            var scratch = _scratch ??= new Candle[capacity + 1];
            var held = Span;
            held[..before].CopyTo(scratch);
            scratch[before] = candle;
            held[before..].CopyTo(scratch.AsSpan(before + 1));
            var total = held.Length + 1;
            _next = 0;
            _count = 0;
            for (var i = total > capacity ? 1 : 0; i < total; i++)
            {
                Append(in scratch[i]);
            }
        }
    }
}
