using System.Runtime.CompilerServices;
using System.Buffers;
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
/// the caller's block. Each symbol's files are read lazily, a chunk of ticks at a time through a pooled buffer
/// (<see cref="TickFileReader"/>), so weeks or years of ticks replay in the same few hundred kilobytes per symbol.
/// A malformed line or file is counted (<see cref="SkippedLines"/>, <see cref="SkippedFiles"/>) and passed over. Ticks outside [from, to) are skipped, and whole LEAN days outside it are never opened.
/// </summary>
public sealed class TickStream : IDisposable
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
        foreach (var cursor in _cursors.Select((c, i) => (Cursor: c, Index: i)).OrderBy(x => x.Cursor.CurrentMs).ThenBy(x => x.Index))
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

    /// <summary>Malformed lines passed over in the files closed so far.</summary>
    public long SkippedLines { get; private set; }

    /// <summary>Files that could not be read (or broke off part way), passed over.</summary>
    public int SkippedFiles { get; private set; }

    /// <summary>The last file passed over and why, or null.</summary>
    public string? LastSkipped { get; private set; }

    /// <summary>Ticks handed out so far.</summary>
    public long Ticks { get; private set; }

    public ReplayProgress Progress => new(FilesRead, Files, BytesRead, Bytes, Ticks);

    /// <summary>The time of the next tick, or false at the end.</summary>
    public bool TryPeekTime(out long timeMs)
    {
        var next = Next();
        timeMs = next?.CurrentMs ?? 0;
        return next is not null;
    }

    /// <summary>Fills <paramref name="block"/> with the next ticks; returns how many (0 at the end).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Read(Span<Tick> block)
    {
        var count = 0;
        while (count < block.Length && _cursors.Count > 0)
        {
            // The cursor with the earliest tick (the first in symbol order on a tie), and how far it may run on alone:
            // while its ticks come before every other cursor's next one (or with it, for a cursor after it in order).
            var best = 0;
            var bestMs = _cursors[0].CurrentMs;
            for (var i = 1; i < _cursors.Count; i++)
            {
                if (_cursors[i].CurrentMs < bestMs)
                {
                    best = i;
                    bestMs = _cursors[i].CurrentMs;
                }
            }

            var limitMs = long.MaxValue;
            for (var i = 0; i < _cursors.Count; i++)
            {
                if (i != best)
                {
                    var other = _cursors[i].CurrentMs;
                    limitMs = Math.Min(limitMs, i < best ? other : other == long.MaxValue ? other : other + 1);
                }
            }

            var cursor = _cursors[best];
            var id = cursor.Id;
            do
            {
                ref readonly var t = ref cursor.Current;
                block[count++] = new Tick(id, t.Bid, t.Ask, t.TimeMs, t.TimeMs);
                if (!cursor.MoveNext())
                {
                    _cursors.RemoveAt(best);
                    break;
                }
            }
            while (count < block.Length && cursor.CurrentMs < limitMs);
        }

        Ticks += count;
        return count;
    }

    /// <summary>Closes the files still open (a stream read to its end has closed them all).</summary>
    public void Dispose()
    {
        foreach (var cursor in _cursors)
        {
            cursor.Close();
        }

        _cursors.Clear();
    }

    private Cursor? Next() => _cursors.Count == 0 ? null : _cursors.MinBy(c => c.CurrentMs);

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

    private void Skipped(TickFile file, Exception error)
    {
        SkippedFiles++;
        LastSkipped = $"{file.Path}: {error.Message}";
    }

    /// <summary>One symbol's files, read through a <see cref="TickFileReader"/> a chunk of ticks at a time.</summary>
    private sealed class Cursor(TickStream stream, string symbol, TickFile[] files, long from, long to)
    {
        private const int ChunkTicks = 4096;
        private RecordedTick[] _ticks = ArrayPool<RecordedTick>.Shared.Rent(ChunkTicks);
        private TickFileReader? _reader;
        private int _file = -1;
        private int _count;
        private int _index = -1;

        public string Symbol { get; } = symbol;

        public SymbolId Id { get; set; }

        public ref readonly RecordedTick Current => ref _ticks[_index];

        public long CurrentMs => _ticks[_index].TimeMs;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool MoveNext()
        {
            while (true)
            {
                while (++_index >= _count)
                {
                    if (!Refill())
                    {
                        Close();
                        return false;
                    }
                }

                var time = _ticks[_index].TimeMs;
                if (time >= from && time < to)
                {
                    return true;
                }
            }
        }

        public void Close()
        {
            EndFile();
            if (_ticks.Length > 0)
            {
                ArrayPool<RecordedTick>.Shared.Return(_ticks);
                _ticks = [];
            }

            _count = 0;
            _index = -1;
        }

        /// <summary>The next chunk, from this file or the next that opens; a file that fails is counted and passed over.</summary>
        private bool Refill()
        {
            while (true)
            {
                if (_reader is null)
                {
                    if (++_file >= files.Length)
                    {
                        return false;
                    }

                    var file = files[_file];
                    stream.Opened(file);
                    try
                    {
                        _reader = TickFileReader.Open(file);
                    }
                    catch (Exception e) when (e is InvalidDataException or IOException)
                    {
                        stream.Skipped(file, e);
                        continue;
                    }
                }

                int read;
                try
                {
                    read = _reader.Read(_ticks.AsSpan(0, ChunkTicks));
                }
                catch (Exception e) when (e is InvalidDataException or IOException)
                {
                    // The ticks before the break were good and have gone out; the rest of the file is lost.
                    stream.Skipped(files[_file], e);
                    EndFile();
                    continue;
                }

                if (read > 0)
                {
                    _count = read;
                    _index = -1; // MoveNext steps onto the first
                    return true;
                }

                EndFile();
            }
        }

        private void EndFile()
        {
            if (_reader is { } reader)
            {
                stream.SkippedLines += reader.Skipped;
                reader.Dispose();
                _reader = null;
            }
        }
    }
}
