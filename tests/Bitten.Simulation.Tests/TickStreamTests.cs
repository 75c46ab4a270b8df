using Bitten.Domain.Market;
using Bitten.Domain.Primitives;
using Bitten.Simulation.Replay;
using Bitten.Testing;

namespace Bitten.Simulation.Tests;

/// <summary>The replay's tick stream over real LEAN files: merged in time order, ranged, numbered, counted by bytes.</summary>
public sealed class TickStreamTests
{
    private static readonly long May5 = new DateTimeOffset(2014, 5, 5, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private static TickFile File(string path) => TickFile.Recognise(SharedData.Path(path))!;

    [Fact]
    public void MergesTheSymbolsInTimeOrderAndNumbersThemByTheirFirstTick()
    {
        TickFile[] files = [File("ticks/oanda-fx/eurusd/20140505_quote.zip"), File("ticks/oanda-cfd/xauusd/20140505_quote.zip")];
        var symbols = new SymbolRegistry();
        var stream = new TickStream(files, symbols);

        var ticks = ReadAll(stream, blockSize: 1000);

        Assert.Equal(files.Sum(f => f.Load().Length), ticks.Count);
        Assert.True(ticks.Zip(ticks.Skip(1)).All(p => p.First.EventTimeMs <= p.Second.EventTimeMs), "ticks are in time order");
        var firstSymbol = files.OrderBy(f => f.Load()[0].TimeMs).First().Symbol;
        Assert.Equal(firstSymbol, symbols.NameOf(ticks[0].Symbol));
        Assert.Equal(new SymbolId(0), ticks[0].Symbol);
        Assert.Equal(files[0].Load().Length, ticks.Count(t => symbols.NameOf(t.Symbol) == "EURUSD"));
        Assert.All(ticks, t => Assert.Equal(t.EventTimeMs, t.ReceivedTimeMs));
    }

    [Fact]
    public void KeepsOnlyTicksInsideTheHalfOpenRangeAndNeverOpensDaysOutsideIt()
    {
        TickFile[] files = [.. new[] { "20140505", "20140506", "20140507" }.Select(d => File($"ticks/oanda-fx/eurusd/{d}_quote.zip"))];
        var from = May5 + 86_400_000 + 10 * 3_600_000L;
        var to = from + 2 * 3_600_000L;
        var stream = new TickStream(files, new SymbolRegistry(), from, to);

        var ticks = ReadAll(stream, blockSize: 333);

        Assert.Equal(1, stream.Files);
        Assert.Equal(files[1].Load().Count(t => t.TimeMs >= from && t.TimeMs < to), ticks.Count);
        Assert.NotEmpty(ticks);
        Assert.All(ticks, t => Assert.InRange(t.EventTimeMs, from, to - 1));
    }

    [Fact]
    public void ProgressCountsTheFilesAndBytesOpenedUpToAllOfThem()
    {
        TickFile[] files = [File("ticks/oanda-fx/eurusd/20140505_quote.zip"), File("ticks/oanda-fx/eurusd/20140506_quote.zip")];
        var stream = new TickStream(files, new SymbolRegistry());
        var block = new Tick[1000];

        Assert.Equal(files.Sum(f => new FileInfo(f.Path).Length), stream.Bytes);
        stream.Read(block);
        var early = stream.Progress;
        ReadAll(stream, blockSize: 1000);

        Assert.Equal((1, 2), (early.FilesRead, early.Files));
        Assert.Equal(new FileInfo(files[0].Path).Length, early.BytesRead);
        Assert.Equal(1.0, stream.Progress.Fraction);
        Assert.Equal(stream.Bytes, stream.Progress.BytesRead);
        Assert.Equal(stream.Ticks, stream.Progress.Ticks);
    }

    private static List<Tick> ReadAll(TickStream stream, int blockSize)
    {
        var all = new List<Tick>();
        var block = new Tick[blockSize];
        int count;
        while ((count = stream.Read(block)) > 0)
        {
            all.AddRange(block.AsSpan(0, count));
        }

        return all;
    }
}
