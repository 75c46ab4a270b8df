using System.IO.Compression;
using System.Text;
using Bitten.Domain.Market;
using Bitten.Domain.Primitives;
using Bitten.Simulation.Replay;
using Bitten.Testing;

namespace Bitten.Simulation.Tests;

/// <summary>
/// The streamed tick reader against the in-memory one it replaced, on the real OANDA ticks; bad data counted and
/// passed over; and reading through the stream costing no allocation per tick.
/// </summary>
public sealed class TickStreamMergeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bitten-ticks-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void StreamsEveryOandaTickInTheOrderOfTheInMemoryMerge()
    {
        var files = TickReplay.Discover([SharedData.Path("ticks/oanda-fx"), SharedData.Path("ticks/oanda-cfd")]);
        Assert.Equal(["EURUSD", "NZDUSD", "XAUUSD"], files.Select(f => f.Symbol).Distinct());

        // The old merge: each file loaded whole (and parsed by Utf8Parser), the earliest tick first, ties in symbol order.
        var expected = new TickReplay(files).Read().GetEnumerator();
        var symbols = new SymbolRegistry();
        using var stream = new TickStream(files, symbols);
        var block = new Tick[997]; // not a divisor of the chunks, so runs break at every kind of boundary
        long count = 0;
        int read;
        while ((read = stream.Read(block)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                Assert.True(expected.MoveNext(), $"the stream has more ticks than the merge: {count}");
                var (symbol, tick) = expected.Current;
                var got = block[i];
                if (symbols.NameOf(got.Symbol) != symbol || got.EventTimeMs != tick.TimeMs || got.Bid != tick.Bid || got.Ask != tick.Ask)
                {
                    Assert.Fail($"tick {count}: streamed {symbols.NameOf(got.Symbol)} {got.EventTimeMs} {got.Bid} {got.Ask}, merged {symbol} {tick.TimeMs} {tick.Bid} {tick.Ask}");
                }

                count++;
            }
        }

        Assert.False(expected.MoveNext(), "the merge has ticks the stream did not give");
        Assert.True(count > 3_000_000, $"{count} ticks");
        Assert.Equal(count, stream.Ticks);
        Assert.Equal((0L, 0), (stream.SkippedLines, stream.SkippedFiles));
    }

    [Fact]
    public void SkipsMalformedLinesAndUnreadableFilesWithACountAndReadsOn()
    {
        var real = SharedData.Path("ticks/oanda-fx/eurusd/20140505_quote.zip");
        var lines = ReadLines(real);
        var folder = Directory.CreateDirectory(Path.Combine(_dir, "eurusd")).FullName;
        File.Copy(real, Path.Combine(folder, "20140505_quote.zip"));
        // A day with three bad lines among real ones (and an empty one, which is not bad), then a day that is no zip at all.
        WriteZip(Path.Combine(folder, "20140506_quote.zip"), [lines[0], "not,a,tick", lines[1], "", "123,1.2", lines[2], "1.x,2,3", lines[3]]);
        File.WriteAllBytes(Path.Combine(folder, "20140507_quote.zip"), Encoding.ASCII.GetBytes("PK\u0003\u0004 broken beyond repair"));
        WriteZip(Path.Combine(folder, "20140508_quote.zip"), [.. lines.Take(10)]);
        var files = TickReplay.Discover([folder]);
        using var stream = new TickStream(files, new SymbolRegistry());

        var ticks = ReadAll(stream);

        Assert.Equal(lines.Count + 4 + 10, ticks.Count);
        Assert.Equal(3, stream.SkippedLines);
        Assert.Equal(1, stream.SkippedFiles);
        Assert.Contains("20140507_quote.zip", stream.LastSkipped, StringComparison.Ordinal);
        Assert.Equal(4, stream.FilesRead);
        var may8 = new DateTimeOffset(2014, 5, 8, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        Assert.Equal(10, ticks.Count(t => t.EventTimeMs >= may8));
    }

    [Fact]
    public void ParsesTheEdgesOfTheFastDecimalPathAsTheReferenceDoes()
    {
        // Lines the fast parser hands to Utf8Parser (exponent, "1.", too many digits) or that a real file could hold.
        string[] lines = ["100,1.5e0,1.6", "101.,1.38710,1.38726", "102,1.2345678901234567,1.3", "103,0.00001,7", "104.9999,1300.335,1300.799", "105,1.38710,1.38726,extra"];
        var path = Path.Combine(Directory.CreateDirectory(Path.Combine(_dir, "xauusd")).FullName, "20140505_quote.zip");
        WriteZip(path, lines);
        var file = TickFile.Recognise(path)!;
        var expected = file.Load(out var skipped);
        using var reader = TickFileReader.Open(file);
        var got = new RecordedTick[16];

        var count = reader.Read(got);

        Assert.Equal(expected.Length, count);
        Assert.Equal(skipped, reader.Skipped);
        Assert.Equal(expected, got[..count]);
        Assert.True(count >= 5, $"{count} of the lines read");
    }

    [Fact]
    public void ReadingThroughTheStreamAllocatesNothingPerTick()
    {
        TickFile[] files =
        [
            TickFile.Recognise(SharedData.Path("ticks/oanda-fx/eurusd/20140505_quote.zip"))!,
            TickFile.Recognise(SharedData.Path("ticks/oanda-cfd/xauusd/20140505_quote.zip"))!,
        ];
        using var stream = new TickStream(files, new SymbolRegistry());
        var block = new Tick[4096];
        for (var i = 0; i < 5; i++)
        {
            stream.Read(block); // warm: both files open, every path compiled
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var ticks = 0L;
        for (var i = 0; i < 25; i++)
        {
            ticks += stream.Read(block);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(25 * 4096, ticks); // over 100k ticks merged, inflated and parsed
        Assert.True(allocated < 4096, $"{allocated} bytes allocated over {ticks:N0} ticks");
    }

    private static List<string> ReadLines(string zipPath)
    {
        using var zip = ZipFile.OpenRead(zipPath);
        using var reader = new StreamReader(zip.Entries[0].Open());
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        return lines;
    }

    private static void WriteZip(string path, IEnumerable<string> lines)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        using var writer = new StreamWriter(zip.CreateEntry(Path.GetFileNameWithoutExtension(path) + ".csv").Open());
        foreach (var line in lines)
        {
            writer.Write(line + "\n");
        }
    }

    private static List<Tick> ReadAll(TickStream stream)
    {
        var all = new List<Tick>();
        var block = new Tick[1000];
        int count;
        while ((count = stream.Read(block)) > 0)
        {
            all.AddRange(block.AsSpan(0, count));
        }

        return all;
    }
}
