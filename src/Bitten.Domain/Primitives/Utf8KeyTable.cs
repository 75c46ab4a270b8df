using System.Text;

namespace Bitten.Domain.Primitives;

/// <summary>
/// Maps short ASCII keys (symbols, EA ids) to dense indexes, looked up straight from frame bytes without
/// allocating. Readers on any thread see an immutable snapshot; adding a key (rare) swaps the snapshot under a lock.
/// Keys compare case-insensitively when <c>ignoreCase</c> is set, because EAs disagree on the case of symbols.
/// </summary>
public sealed class Utf8KeyTable
{
    private readonly Lock _gate = new();
    private readonly bool _ignoreCase;
    private readonly int _maxKeyBytes;
    private volatile Snapshot _snapshot = Snapshot.Empty;

    public Utf8KeyTable(bool ignoreCase, int maxKeyBytes = 64)
    {
        _ignoreCase = ignoreCase;
        _maxKeyBytes = maxKeyBytes;
    }

    public int Count => _snapshot.Keys.Length;

    public int MaxKeyBytes => _maxKeyBytes;

    /// <summary>The key at <paramref name="index"/>, normalised (upper case when case is ignored).</summary>
    public string KeyAt(int index) => _snapshot.Names[index];

    /// <summary>Returns the index of <paramref name="key"/>, or -1.</summary>
    public int IndexOf(ReadOnlySpan<byte> key)
    {
        var snapshot = _snapshot;
        if (snapshot.Keys.Length == 0 || key.Length == 0 || key.Length > _maxKeyBytes)
        {
            return -1;
        }

        var mask = snapshot.Buckets.Length - 1;
        var slot = (int)(Hash(key, _ignoreCase) & (uint)mask);
        while (true)
        {
            var entry = snapshot.Buckets[slot];
            if (entry == 0)
            {
                return -1;
            }

            if (KeyEquals(snapshot.Keys[entry - 1], key, _ignoreCase))
            {
                return entry - 1;
            }

            slot = (slot + 1) & mask;
        }
    }

    /// <summary>Returns the index of <paramref name="key"/>, adding it first if new; -1 when the key is empty or too long.</summary>
    public int GetOrAdd(ReadOnlySpan<byte> key) => GetOrAdd(key, int.MaxValue);

    /// <summary>
    /// As <see cref="GetOrAdd(ReadOnlySpan{byte})"/>, but a new key is added only while the table holds fewer than
    /// <paramref name="maxCount"/> keys (checked under the lock, so racing adders cannot overshoot); -1 otherwise.
    /// </summary>
    public int GetOrAdd(ReadOnlySpan<byte> key, int maxCount)
    {
        var index = IndexOf(key);
        if (index >= 0 || key.Length == 0 || key.Length > _maxKeyBytes)
        {
            return index;
        }

        lock (_gate)
        {
            index = IndexOf(key);
            if (index >= 0 || _snapshot.Keys.Length >= maxCount)
            {
                return index;
            }

            var stored = key.ToArray();
            if (_ignoreCase)
            {
                for (var i = 0; i < stored.Length; i++)
                {
                    stored[i] = ToUpper(stored[i]);
                }
            }

            var keys = new byte[_snapshot.Keys.Length + 1][];
            Array.Copy(_snapshot.Keys, keys, _snapshot.Keys.Length);
            keys[^1] = stored;
            var names = new string[keys.Length];
            Array.Copy(_snapshot.Names, names, _snapshot.Names.Length);
            names[^1] = Encoding.UTF8.GetString(stored);
            _snapshot = Snapshot.Build(keys, names, _ignoreCase);
            return keys.Length - 1;
        }
    }

    public int GetOrAdd(string key) => GetOrAdd(Encoding.UTF8.GetBytes(key));

    public int IndexOf(string key) => IndexOf(Encoding.UTF8.GetBytes(key));

    private static uint Hash(ReadOnlySpan<byte> key, bool ignoreCase)
    {
        // FNV-1a: tiny keys, so a simple byte loop beats anything vectorised.
        var hash = 2166136261u;
        foreach (var b in key)
        {
            hash = (hash ^ (ignoreCase ? ToUpper(b) : b)) * 16777619u;
        }

        return hash;
    }

    private static bool KeyEquals(byte[] stored, ReadOnlySpan<byte> key, bool ignoreCase)
    {
        if (stored.Length != key.Length)
        {
            return false;
        }

        if (!ignoreCase)
        {
            return key.SequenceEqual(stored);
        }

        for (var i = 0; i < key.Length; i++)
        {
            if (stored[i] != ToUpper(key[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static byte ToUpper(byte b) => b is >= (byte)'a' and <= (byte)'z' ? (byte)(b - 32) : b;

    private sealed class Snapshot
    {
        public static readonly Snapshot Empty = new([], [], [0]);

        private Snapshot(byte[][] keys, string[] names, int[] buckets)
        {
            Keys = keys;
            Names = names;
            Buckets = buckets;
        }

        public byte[][] Keys { get; }

        public string[] Names { get; }

        /// <summary>Open addressing, index + 1 per slot, 0 = empty; kept at most half full.</summary>
        public int[] Buckets { get; }

        public static Snapshot Build(byte[][] keys, string[] names, bool ignoreCase)
        {
            var size = 8;
            while (size < keys.Length * 2)
            {
                size <<= 1;
            }

            var buckets = new int[size];
            for (var i = 0; i < keys.Length; i++)
            {
                var slot = (int)(Hash(keys[i], ignoreCase) & (uint)(size - 1));
                while (buckets[slot] != 0)
                {
                    slot = (slot + 1) & (size - 1);
                }

                buckets[slot] = i + 1;
            }

            return new Snapshot(keys, names, buckets);
        }
    }
}
