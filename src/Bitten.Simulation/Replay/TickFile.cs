using System.Buffers.Text;
using System.Globalization;
using System.IO.Compression;

namespace Bitten.Simulation.Replay;

/// <summary>One recorded quote, time in Unix ms (UTC after the file's offset is applied).</summary>
public readonly record struct RecordedTick(long TimeMs, double Bid, double Ask);

public enum TickFileFormat
{
    /// <summary>LEAN quote zip <c>YYYYMMDD_quote.zip</c>: one CSV, no header, <c>ms_since_midnight,bid,ask</c>.</summary>
    LeanZip,

    /// <summary>CSV with a header naming timestamp, bid and ask columns (Dukascopy and plain exports).</summary>
    Csv,
}

/// <summary>
/// A file of recorded ticks for one symbol. Formats are recognised by name: LEAN's daily quote zips (OANDA, FXCM;
/// the symbol is the folder name) and CSV with a header (the symbol is the file name's first word).
/// FXCM's LEAN files are in UTC-5: pass the offset, since nothing in the file says so.
/// </summary>
public sealed class TickFile
{
    public TickFile(string path, string symbol, TickFileFormat format, DateOnly? day, TimeSpan utcOffset)
    {
        Path = path;
        Symbol = symbol;
        Format = format;
        Day = day;
        UtcOffset = utcOffset;
    }

    public string Path { get; }

    public string Symbol { get; }

    public TickFileFormat Format { get; }

    /// <summary>The day a LEAN file covers (its times are ms since that midnight).</summary>
    public DateOnly? Day { get; }

    /// <summary>The offset of the file's times from UTC (FXCM: −5 h).</summary>
    public TimeSpan UtcOffset { get; }

    /// <summary>Recognises a tick file by its name, or returns null.</summary>
    public static TickFile? Recognise(string path, string? symbol = null, TimeSpan utcOffset = default)
    {
        var name = System.IO.Path.GetFileName(path);
        if (name.EndsWith("_quote.zip", StringComparison.OrdinalIgnoreCase)
            && DateOnly.TryParseExact(name[..8], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            symbol ??= System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)))!.ToUpperInvariant();
            return new TickFile(path, symbol, TickFileFormat.LeanZip, day, utcOffset);
        }

        if (name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            symbol ??= name.Split('_', '.', '-')[0].ToUpperInvariant();
            return new TickFile(path, symbol, TickFileFormat.Csv, null, utcOffset);
        }

        return null;
    }

    /// <summary>Reads every tick, in file order; malformed lines are counted in <paramref name="skipped"/>, not fatal.</summary>
    public RecordedTick[] Load(out int skipped)
    {
        var bytes = Format == TickFileFormat.LeanZip ? ReadZipEntry(Path) : File.ReadAllBytes(Path);
        return Format == TickFileFormat.LeanZip ? ParseLean(bytes, out skipped) : ParseCsv(bytes, out skipped);
    }

    public RecordedTick[] Load() => Load(out _);

    private static byte[] ReadZipEntry(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        var entry = zip.Entries.FirstOrDefault(e => e.Length > 0) ?? throw new InvalidDataException($"{path}: empty zip");
        using var stream = entry.Open();
        var bytes = new byte[entry.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    private RecordedTick[] ParseLean(byte[] bytes, out int skipped)
    {
        var midnight = new DateTimeOffset(Day!.Value.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds()
            - (long)UtcOffset.TotalMilliseconds;
        var ticks = new List<RecordedTick>(bytes.Length / 20);
        skipped = 0;
        foreach (var range in Lines(bytes))
        {
            var line = bytes.AsSpan(range);
            if (TryReadNumbers(line, out var ms, out var bid, out var ask))
            {
                // Fractional ms (gold) are floored: a tick belongs to the millisecond it happened in.
                ticks.Add(new RecordedTick(midnight + (long)Math.Floor(ms), bid, ask));
            }
            else if (!line.IsEmpty)
            {
                skipped++;
            }
        }

        return [.. ticks];
    }

    private RecordedTick[] ParseCsv(byte[] bytes, out int skipped)
    {
        skipped = 0;
        var ticks = new List<RecordedTick>(bytes.Length / 40);
        int timeColumn = -1, bidColumn = -1, askColumn = -1;
        var offsetMs = (long)UtcOffset.TotalMilliseconds;
        foreach (var range in Lines(bytes))
        {
            var line = bytes.AsSpan(range);
            if (line.IsEmpty)
            {
                continue;
            }

            if (timeColumn < 0)
            {
                (timeColumn, bidColumn, askColumn) = ReadHeader(line);
                continue;
            }

            if (TryReadCsvTick(line, timeColumn, bidColumn, askColumn, out var tick))
            {
                ticks.Add(tick with { TimeMs = tick.TimeMs - offsetMs });
            }
            else
            {
                skipped++;
            }
        }

        return [.. ticks];
    }

    /// <summary>The time, bid and ask columns a CSV's header names; a header without them makes the file unreadable.</summary>
    internal (int Time, int Bid, int Ask) ReadHeader(ReadOnlySpan<byte> line)
    {
        var header = System.Text.Encoding.UTF8.GetString(line).ToLowerInvariant().Split(',');
        var timeColumn = Array.FindIndex(header, h => h.Contains("time", StringComparison.Ordinal) || h.Contains("date", StringComparison.Ordinal));
        var bidColumn = Array.FindIndex(header, h => h.Trim() == "bid");
        var askColumn = Array.FindIndex(header, h => h.Trim() == "ask");
        if (timeColumn < 0 || bidColumn < 0 || askColumn < 0)
        {
            throw new InvalidDataException($"{Path}: the header must name time, bid and ask columns");
        }

        return (timeColumn, bidColumn, askColumn);
    }

    /// <summary>Midnight of a LEAN file's day in UTC Unix ms, the base of its times.</summary>
    internal long MidnightMs() =>
        new DateTimeOffset(Day!.Value.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds() - (long)UtcOffset.TotalMilliseconds;

    internal static bool TryReadCsvTick(ReadOnlySpan<byte> line, int timeColumn, int bidColumn, int askColumn, out RecordedTick tick)
    {
        tick = default;
        long time = 0;
        double bid = 0, ask = 0;
        var found = 0;
        var column = 0;
        while (true)
        {
            var comma = line.IndexOf((byte)',');
            var field = comma < 0 ? line : line[..comma];
            if (column == timeColumn && TryParseTime(field, out time)) found++;
            else if (column == bidColumn && Utf8Parser.TryParse(field, out bid, out var n) && n == field.Length) found++;
            else if (column == askColumn && Utf8Parser.TryParse(field, out ask, out n) && n == field.Length) found++;
            if (comma < 0)
            {
                break;
            }

            line = line[(comma + 1)..];
            column++;
        }

        tick = new RecordedTick(time, bid, ask);
        return found == 3;
    }

    private static bool TryParseTime(ReadOnlySpan<byte> field, out long ms)
    {
        if (Utf8Parser.TryParse(field, out double number, out var n) && n == field.Length)
        {
            ms = number >= 1e11 ? (long)number : (long)(number * 1000);
            return true;
        }

        Span<char> chars = stackalloc char[Math.Min(field.Length, 64)];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = (char)field[i];
        }

        if (DateTimeOffset.TryParse(chars, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            ms = time.ToUnixTimeMilliseconds();
            return true;
        }

        ms = 0;
        return false;
    }

    private static bool TryReadNumbers(ReadOnlySpan<byte> line, out double first, out double second, out double third)
    {
        first = second = third = 0;
        if (!Utf8Parser.TryParse(line, out first, out var n) || n >= line.Length || line[n] != (byte)',')
        {
            return false;
        }

        line = line[(n + 1)..];
        if (!Utf8Parser.TryParse(line, out second, out n) || n >= line.Length || line[n] != (byte)',')
        {
            return false;
        }

        line = line[(n + 1)..];
        return Utf8Parser.TryParse(line, out third, out n) && (n == line.Length || line[n] == (byte)',');
    }

    internal static IEnumerable<Range> Lines(byte[] bytes)
    {
        var start = 0;
        while (start < bytes.Length)
        {
            var end = Array.IndexOf(bytes, (byte)'\n', start);
            if (end < 0)
            {
                end = bytes.Length;
            }

            var stop = end > start && bytes[end - 1] == (byte)'\r' ? end - 1 : end;
            yield return new Range(start, stop);
            start = end + 1;
        }
    }
}
