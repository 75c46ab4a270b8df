using System.Globalization;
using System.IO.Compression;
using Bitten.Domain.Market;
using Bitten.Domain.Primitives;

namespace Bitten.Testing;

/// <summary>A bar from a data vendor, time in UTC Unix ms of the bar's start. <see cref="Ask"/> is null for bid-only files.</summary>
public readonly record struct ReferenceBar(long OpenTimeMs, Ohlc Bid, Ohlc? Ask);

/// <summary>Readers for the vendors' own bars in shared/data/bars, written independently of the product's readers.</summary>
public static class ReferenceBars
{
    /// <summary>
    /// A LEAN minute quote zip <c>YYYYMMDD_quote.zip</c> holding one CSV
    /// <c>ms_since_midnight(bar start),bidO,bidH,bidL,bidC,0,askO,askH,askL,askC,0</c>.
    /// <paramref name="utcOffset"/> is the offset of the file's clock from UTC (FXCM: −5 h).
    /// </summary>
    public static ReferenceBar[] LoadLeanMinuteZip(string path, TimeSpan utcOffset = default)
    {
        var name = System.IO.Path.GetFileName(path);
        var day = DateOnly.ParseExact(name[..8], "yyyyMMdd", CultureInfo.InvariantCulture);
        var midnightUtcMs = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), utcOffset).ToUnixTimeMilliseconds();

        using var zip = ZipFile.OpenRead(path);
        if (zip.Entries.Count != 1)
        {
            throw new InvalidDataException($"{path}: expected one CSV entry, found {zip.Entries.Count}");
        }

        using var reader = new StreamReader(zip.Entries[0].Open());
        var bars = new List<ReferenceBar>(1440);
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            var f = line.Split(',');
            if (f.Length != 11)
            {
                throw new InvalidDataException($"{path}:{lineNumber}: expected 11 fields, found {f.Length}");
            }

            var msSinceMidnight = long.Parse(f[0], NumberStyles.Integer, CultureInfo.InvariantCulture);
            bars.Add(new ReferenceBar(
                midnightUtcMs + msSinceMidnight,
                new Ohlc(Number(f[1]), Number(f[2]), Number(f[3]), Number(f[4])),
                new Ohlc(Number(f[6]), Number(f[7]), Number(f[8]), Number(f[9]))));
        }

        return [.. bars];
    }

    /// <summary>Dukascopy M1 candles: header <c>timestamp_utc,open,high,low,close,volume_millions</c>, bid only.</summary>
    public static ReferenceBar[] LoadDukascopyCsv(string path)
    {
        using var reader = new StreamReader(path);
        var header = reader.ReadLine() ?? throw new InvalidDataException($"{path}: empty file");
        if (!header.StartsWith("timestamp_utc,open,high,low,close", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{path}: unexpected header '{header}'");
        }

        var bars = new List<ReferenceBar>(4096);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var f = line.Split(',');
            var time = DateTimeOffset.Parse(f[0], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
            bars.Add(new ReferenceBar(time.ToUnixTimeMilliseconds(), new Ohlc(Number(f[1]), Number(f[2]), Number(f[3]), Number(f[4])), null));
        }

        return [.. bars];
    }

    /// <summary>
    /// Combines M1 bars into bars of <paramref name="timeframe"/>: bucket by the period's clock boundary, first open,
    /// highest high, lowest low, last close. The input must be in time order.
    /// </summary>
    public static ReferenceBar[] Aggregate(IReadOnlyList<ReferenceBar> minuteBars, Timeframe timeframe)
    {
        for (var i = 1; i < minuteBars.Count; i++)
        {
            if (minuteBars[i].OpenTimeMs <= minuteBars[i - 1].OpenTimeMs)
            {
                throw new ArgumentException($"minute bars must be in strictly increasing time order (index {i})", nameof(minuteBars));
            }
        }

        var periodMs = (long)timeframe * 60_000;
        var result = new List<ReferenceBar>();
        for (var i = 0; i < minuteBars.Count;)
        {
            var bucket = UnixMs.Floor(minuteBars[i].OpenTimeMs, periodMs);
            var bid = minuteBars[i].Bid;
            var ask = minuteBars[i].Ask;
            var j = i + 1;
            for (; j < minuteBars.Count && UnixMs.Floor(minuteBars[j].OpenTimeMs, periodMs) == bucket; j++)
            {
                bid = Merge(bid, minuteBars[j].Bid);
                ask = ask is { } a && minuteBars[j].Ask is { } b ? Merge(a, b) : null;
            }

            result.Add(new ReferenceBar(bucket, bid, ask));
            i = j;
        }

        return [.. result];
    }

    private static Ohlc Merge(Ohlc first, Ohlc next) =>
        new(first.Open, Math.Max(first.High, next.High), Math.Min(first.Low, next.Low), next.Close);

    private static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
}
