using Bitten.Domain.Market;
using Bitten.Domain.Primitives;

namespace Bitten.Simulation.Replay;

/// <summary>How far a <see cref="TickStream"/> has read: by files and bytes, since the tick total is not known up front.</summary>
public readonly record struct ReplayProgress(int FilesRead, int Files, long BytesRead, long Bytes, long Ticks)
{
    public double Fraction => Bytes > 0 ? (double)BytesRead / Bytes : Files > 0 ? (double)FilesRead / Files : 1;
}

/// <summary>
/// Tick files of several symbols as one stream of kernel ticks in time order (ties in symbol order), filled into
/// the caller's block. One file per symbol is in memory at a time, so weeks or years of ticks replay in the memory of
/// a day's file per symbol. Ticks outside [from, to) are skipped, and whole LEAN days outside it are never opened.
/// </summary>
public sealed class TickStream
{
    private readonly List<Cursor> _cursors;

    /// <param name="symbols">
    /// Where symbol ids come from. Ids are handed out in the order each symbol's first tick comes in the stream, as a
    /// live bridge would, so the same ticks always get the same ids.
    /// </param>
    public TickStream(IReadOnlyList<TickFile> files, SymbolRegistry symbols, long? fromMs = null, long? toMs = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(symbols);
        var from = fromMs ?? long.MinValue;
        var to = toMs ?? long.MaxValue;
        var kept = files.Where(f => Overlaps(f, from, to)).ToList();
        Files = kept.Count;
        Bytes = kept.Sum(f => new FileInfo(f.Path).Length);
        _cursors = [.. kept.GroupBy(f => f.Symbol, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new Cursor(this, g.Key, [.. g.OrderBy(f => f.Day).ThenBy(f => f.Path, StringComparer.Ordinal)], from, to))
            .Where(c => c.MoveNext())];
        foreach (var cursor in _cursors.Select((c, i) => (Cursor: c, Index: i)).OrderBy(x => x.Cursor.Current.TimeMs).ThenBy(x => x.Index))
        {
            cursor.Cursor.Id = symbols.GetOrAdd(cursor.Cursor.Symbol);
        }
    }

    /// <summary>Files that hold ticks in the range (LEAN days outside it are left out).</summary>
    public int Files { get; }

    /// <summary>Their size on disk.</summary>
    public long Bytes { get; }

    public int FilesRead { get; private set; }

    public long BytesRead { get; private set; }

    /// <summary>Ticks handed out so far.</summary>
    public long Ticks { get; private set; }

    public ReplayProgress Progress => new(FilesRead, Files, BytesRead, Bytes, Ticks);

    /// <summary>The time of the next tick, or false at the end.</summary>
    public bool TryPeekTime(out long timeMs)
    {
        var next = Next();
        timeMs = next?.Current.TimeMs ?? 0;
        return next is not null;
    }

    /// <summary>Fills <paramref name="block"/> with the next ticks; returns how many (0 at the end).</summary>
    public int Read(Span<Tick> block)
    {
        var count = 0;
        while (count < block.Length && Next() is { } cursor)
        {
            var t = cursor.Current;
            block[count++] = new Tick(cursor.Id, t.Bid, t.Ask, t.TimeMs, t.TimeMs);
            if (!cursor.MoveNext())
            {
                _cursors.Remove(cursor);
            }
        }

        Ticks += count;
        return count;
    }

    private Cursor? Next()
    {
        if (_cursors.Count == 0)
        {
            return null;
        }

        var next = _cursors[0];
        for (var i = 1; i < _cursors.Count; i++)
        {
            if (_cursors[i].Current.TimeMs < next.Current.TimeMs)
            {
                next = _cursors[i];
            }
        }

        return next;
    }

    private static bool Overlaps(TickFile file, long from, long to)
    {
        if (file.Format != TickFileFormat.LeanZip || file.Day is not { } day)
        {
            return true; // a CSV says nothing of its range before it is read
        }

        var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds() - (long)file.UtcOffset.TotalMilliseconds;
        return start < to && start + 86_400_000 > from;
    }

    private void Opened(TickFile file)
    {
        FilesRead++;
        BytesRead += new FileInfo(file.Path).Length;
    }

    private sealed class Cursor(TickStream stream, string symbol, TickFile[] files, long from, long to)
    {
        private int _file = -1;
        private RecordedTick[] _ticks = [];
        private int _index = -1;

        public string Symbol { get; } = symbol;

        public SymbolId Id { get; set; }

        public RecordedTick Current => _ticks[_index];

        public bool MoveNext()
        {
            while (true)
            {
                while (++_index >= _ticks.Length)
                {
                    if (++_file >= files.Length)
                    {
                        _ticks = [];
                        return false;
                    }

                    _ticks = files[_file].Load();
                    stream.Opened(files[_file]);
                    _index = -1;
                }

                var time = _ticks[_index].TimeMs;
                if (time >= from && time < to)
                {
                    return true;
                }
            }
        }
    }
}
