namespace Bitten.Indicators;

/// <summary>
/// The last <see cref="Size"/> values in a fixed array ring, newest at index 0 (LEAN's convention). Adding never
/// allocates. No locks: like the indicators that use it, it belongs to the kernel thread.
/// </summary>
public sealed class RollingWindow<T>
{
    private readonly T[] _items;
    private int _next;
    private int _count;

    /// <summary>Creates an empty window holding at most <paramref name="size"/> values.</summary>
    public RollingWindow(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        _items = new T[size];
    }

    /// <summary>Capacity of the window.</summary>
    public int Size => _items.Length;

    /// <summary>Values currently held, at most <see cref="Size"/>.</summary>
    public int Count => _count;

    /// <summary>True once <see cref="Size"/> values have been added; from then on each add evicts the oldest.</summary>
    public bool IsFull => _count == _items.Length;

    /// <summary>The value added <paramref name="ago"/> adds before the newest (0 = newest).</summary>
    public T this[int ago]
    {
        get
        {
            if ((uint)ago >= (uint)_count)
            {
                throw new ArgumentOutOfRangeException(nameof(ago), ago, $"the window holds {_count} values");
            }

            var index = _next - 1 - ago;
            return _items[index < 0 ? index + _items.Length : index];
        }
    }

    /// <summary>The most recently added value.</summary>
    public T Newest => this[0];

    /// <summary>The value the next add will evict once the window is full.</summary>
    public T Oldest => this[_count - 1];

    /// <summary>Adds a value, evicting the oldest when full.</summary>
    public void Add(T value)
    {
        _items[_next] = value;
        _next = _next + 1 == _items.Length ? 0 : _next + 1;
        if (_count < _items.Length)
        {
            _count++;
        }
    }

    /// <summary>Empties the window; the storage is kept.</summary>
    public void Clear()
    {
        Array.Clear(_items);
        _next = 0;
        _count = 0;
    }
}
