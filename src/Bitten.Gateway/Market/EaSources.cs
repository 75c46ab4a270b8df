using Bitten.Domain.Primitives;

namespace Bitten.Gateway.Market;

/// <summary>
/// The EAs heard on the market port, keyed by user_uuid (else node_id; seed-form ticks carry neither and share
/// one anonymous entry): when each was last heard, its declared broker UTC offset, whether it has gone silent.
/// Owned by the bridge thread; <see cref="Snapshot"/> is safe from any thread. Bounded, like the symbols: past
/// <see cref="MaxSources"/> EAs, further made-up ids are counted under the anonymous entry instead of growing the table.
/// </summary>
public sealed class EaSources
{
    public const string Anonymous = "(anonymous)";

    /// <summary>Far more EAs than one server hosts; the anonymous entry is always among them.</summary>
    public const int MaxSources = 1024;

    private readonly Utf8KeyTable _keys = new(ignoreCase: false, maxKeyBytes: 64);
    private readonly Lock _gate = new();
    private Source[] _sources = new Source[16];

    public int IndexOf(ReadOnlySpan<byte> source)
    {
        var index = _keys.GetOrAdd(source.IsEmpty ? "(anonymous)"u8 : source, MaxSources - 1);
        if (index < 0)
        {
            index = _keys.GetOrAdd("(anonymous)"u8);
        }

        if (index >= _sources.Length)
        {
            lock (_gate)
            {
                Array.Resize(ref _sources, Math.Max(index + 1, _sources.Length * 2));
            }
        }

        return index;
    }

    public ref Source this[int index] => ref _sources[index];

    public string NameOf(int index) => _keys.KeyAt(index);

    public int Count => _keys.Count;

    public IReadOnlyList<EaSourceStatus> Snapshot()
    {
        lock (_gate)
        {
            var list = new List<EaSourceStatus>(_keys.Count);
            for (var i = 0; i < _keys.Count; i++)
            {
                var s = _sources[i];
                list.Add(new EaSourceStatus(_keys.KeyAt(i), s.LastSeenMs, s.Messages, s.Silent, s.Disconnected, s.HasUtcOffset ? s.UtcOffsetSeconds : null));
            }

            return list;
        }
    }

    public struct Source
    {
        public long LastSeenMs;
        public long Messages;
        public bool Silent;
        public bool Disconnected;
        public bool HasUtcOffset;
        public int UtcOffsetSeconds;
    }
}

public sealed record EaSourceStatus(string Source, long LastSeenMs, long Messages, bool Silent, bool Disconnected, int? UtcOffsetSeconds);
