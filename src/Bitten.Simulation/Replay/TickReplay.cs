namespace Bitten.Simulation.Replay;

/// <summary>A recorded tick with its symbol, in the merged stream.</summary>
public readonly record struct ReplayTick(string Symbol, RecordedTick Tick);

/// <summary>
/// Merges tick files of several symbols into one stream in time order, loading one file per symbol at a time,
/// so weeks of ticks replay without holding them all in memory.
/// </summary>
public sealed class TickReplay
{
    private readonly IReadOnlyList<TickFile> _files;

    public TickReplay(IReadOnlyList<TickFile> files)
    {
        if (files.Count == 0)
        {
            throw new ArgumentException("no tick files to replay", nameof(files));
        }

        _files = files;
    }

    public IReadOnlyList<string> Symbols => [.. _files.Select(f => f.Symbol).Distinct(StringComparer.Ordinal)];

    public IReadOnlyList<TickFile> Files => _files;

    /// <summary>Finds tick files under the given files and folders (recursively), ordered by symbol and day.</summary>
    public static IReadOnlyList<TickFile> Discover(IEnumerable<string> paths, string? symbol = null, TimeSpan utcOffset = default)
    {
        var files = new List<TickFile>();
        foreach (var path in paths)
        {
            IEnumerable<string> candidates = Directory.Exists(path)
                ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                : File.Exists(path) ? [path] : throw new FileNotFoundException($"no such tick file or folder: {path}", path);
            foreach (var candidate in candidates)
            {
                if (TickFile.Recognise(candidate, symbol, utcOffset) is { } file)
                {
                    files.Add(file);
                }
            }
        }

        return [.. files.OrderBy(f => f.Symbol, StringComparer.Ordinal).ThenBy(f => f.Day).ThenBy(f => f.Path, StringComparer.Ordinal)];
    }

    /// <summary>All ticks of all symbols, ordered by time (ties by symbol order).</summary>
    public IEnumerable<ReplayTick> Read()
    {
        var cursors = _files.GroupBy(f => f.Symbol, StringComparer.Ordinal)
            .Select(g => new Cursor(g.Key, [.. g]))
            .Where(c => c.MoveNext())
            .ToList();
        while (cursors.Count > 0)
        {
            var next = cursors[0];
            for (var i = 1; i < cursors.Count; i++)
            {
                if (cursors[i].Current.TimeMs < next.Current.TimeMs)
                {
                    next = cursors[i];
                }
            }

            yield return new ReplayTick(next.Symbol, next.Current);
            if (!next.MoveNext())
            {
                cursors.Remove(next);
            }
        }
    }

    private sealed class Cursor(string symbol, TickFile[] files)
    {
        private int _file = -1;
        private RecordedTick[] _ticks = [];
        private int _index = -1;

        public string Symbol { get; } = symbol;

        public RecordedTick Current => _ticks[_index];

        public bool MoveNext()
        {
            while (++_index >= _ticks.Length)
            {
                if (++_file >= files.Length)
                {
                    return false;
                }

                _ticks = files[_file].Load();
                _index = -1;
            }

            return true;
        }
    }
}
