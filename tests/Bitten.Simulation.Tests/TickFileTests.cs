using Bitten.Simulation.Replay;
using Bitten.Testing;

namespace Bitten.Simulation.Tests;

public sealed class TickFileTests
{
    [Fact]
    public void ReadsLeanQuoteZipsWithTheDayAndSymbolFromThePath()
    {
        var file = TickFile.Recognise(SharedData.Path("ticks/oanda-fx/eurusd/20140505_quote.zip"));
        Assert.NotNull(file);
        Assert.Equal("EURUSD", file.Symbol);
        Assert.Equal(TickFileFormat.LeanZip, file.Format);
        var ticks = file.Load(out var skipped);
        Assert.Equal(0, skipped);
        Assert.True(ticks.Length > 10_000);
        var midnight = new DateTimeOffset(2014, 5, 5, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        Assert.All(ticks, t => Assert.InRange(t.TimeMs, midnight, midnight + 86_400_000 - 1));
        Assert.All(ticks, t => Assert.True(t.Ask >= t.Bid && t.Bid > 1.0 && t.Ask < 2.0));
        Assert.True(ticks.Zip(ticks.Skip(1)).All(p => p.First.TimeMs <= p.Second.TimeMs), "ticks are in time order");
    }

    [Fact]
    public void FloorsFractionalMillisecondsOfGoldTicks()
    {
        var path = SharedData.Path("ticks/oanda-cfd/xauusd/20140505_quote.zip");
        var ticks = TickFile.Recognise(path)!.Load();
        var midnight = new DateTimeOffset(2014, 5, 5, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        using var zip = System.IO.Compression.ZipFile.OpenRead(path);
        using var reader = new StreamReader(zip.Entries[0].Open());
        var first = reader.ReadLine()!.Split(',');
        Assert.Equal(midnight + (long)Math.Floor(double.Parse(first[0], System.Globalization.CultureInfo.InvariantCulture)), ticks[0].TimeMs);
        Assert.Equal(double.Parse(first[1], System.Globalization.CultureInfo.InvariantCulture), ticks[0].Bid);
    }

    [Fact]
    public void AppliesTheFileUtcOffsetToFxcmTimes()
    {
        var path = SharedData.Path("ticks/fxcm-fx/eurusd/20140505_quote.zip");
        var local = TickFile.Recognise(path)!.Load();
        var utc = TickFile.Recognise(path, utcOffset: TimeSpan.FromHours(-5))!.Load();
        Assert.Equal(local.Length, utc.Length);
        Assert.All(local.Zip(utc), p => Assert.Equal(p.First.TimeMs + (5 * 3_600_000), p.Second.TimeMs));
    }

    [Fact]
    public void ReadsCsvWithAHeaderAndCountsBadLines()
    {
        var ticks = TickFile.Recognise(SharedData.Path("ticks/dukascopy/EURUSD_ticks_2019-02-04_2019-02-05_UTC.csv"))!;
        Assert.Equal("EURUSD", ticks.Symbol);
        var loaded = ticks.Load(out var skipped);
        Assert.Equal(0, skipped);
        Assert.True(loaded.Length > 200_000);
        Assert.Equal(new DateTimeOffset(2019, 2, 4, 0, 0, 0, 994, TimeSpan.Zero).ToUnixTimeMilliseconds(), loaded[0].TimeMs);
        Assert.Equal(1.14543, loaded[0].Bid);
        Assert.Equal(1.14545, loaded[0].Ask);

        var dir = Directory.CreateTempSubdirectory();
        var csv = Path.Combine(dir.FullName, "gbpusd_sample.csv");
        File.WriteAllText(csv, "Time,Bid,Ask\n1700000000,1.25,1.2502\nnot,a,tick\n1700000001500,1.2501,1.2503\n");
        var sample = TickFile.Recognise(csv)!.Load(out skipped);
        Assert.Equal("GBPUSD", TickFile.Recognise(csv)!.Symbol);
        Assert.Equal(1, skipped);
        Assert.Equal([1_700_000_000_000, 1_700_000_001_500], sample.Select(t => t.TimeMs));
        dir.Delete(recursive: true);
    }

    [Fact]
    public void ReplayMergesSymbolsInTimeOrderAcrossDays()
    {
        var files = TickReplay.Discover([SharedData.Path("ticks/oanda-fx/nzdusd"), SharedData.Path("ticks/oanda-fx/eurusd/20140505_quote.zip")]);
        var nzd = files.Where(f => f.Symbol == "NZDUSD").ToList();
        Assert.True(nzd.Count >= 10);
        Assert.Equal(nzd.OrderBy(f => f.Day), nzd);
        var replay = new TickReplay([.. files.Where(f => f.Day <= new DateOnly(2014, 5, 6))]);
        var merged = replay.Read().ToList();
        var expected = replay.Files.Sum(f => f.Load().Length);
        Assert.Equal(expected, merged.Count);
        Assert.True(merged.Zip(merged.Skip(1)).All(p => p.First.Tick.TimeMs <= p.Second.Tick.TimeMs), "merged stream is in time order");
        Assert.Equal(["EURUSD", "NZDUSD"], merged.Select(m => m.Symbol).Distinct().Order());
    }

    [Fact]
    public void RefusesAMissingPathWithItsName()
    {
        var e = Assert.Throws<FileNotFoundException>(() => TickReplay.Discover(["/no/such/ticks"]));
        Assert.Contains("/no/such/ticks", e.Message, StringComparison.Ordinal);
    }
}
