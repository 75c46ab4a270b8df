using System.Globalization;
using System.Text;
using Bitten.Domain.Market;
using Bitten.Domain.Primitives;
using Bitten.Engine.Market;
using Bitten.Simulation.Replay;
using Bitten.Testing;

namespace Bitten.Engine.Tests;

/// <summary>
/// The candle builder against the vendors' own bars: every tick file in shared/data/ticks is fed through
/// <see cref="CandleAggregator"/> and the M1 bid and ask OHLC must equal the vendor's M1 bars exactly, minute for
/// minute; M5 and M15 must equal the aggregation of those M1 bars. About 5M real ticks.
/// </summary>
public class RealDataCandleTests
{
    private const string DukascopyTicks = "ticks/dukascopy/EURUSD_ticks_2019-02-04_2019-02-05_UTC.csv";
    private const string DukascopyBars = "bars/EURUSD_M1_bid_2019-02-04_2019-02-05_UTC.csv";
    private const int MaxReportedDifferences = 12;

    private static readonly SymbolId Symbol = new(0);

    /// <summary>Tick folder → (M1 bar folder, UTC offset of both). FXCM files are UTC−5 on both sides.</summary>
    private static readonly Dictionary<string, (string Bars, TimeSpan Offset)> LeanFeeds = new(StringComparer.Ordinal)
    {
        ["oanda-fx/eurusd"] = ("oanda-minute/eurusd", TimeSpan.Zero),
        ["oanda-fx/nzdusd"] = ("oanda-minute/nzdusd", TimeSpan.Zero),
        ["oanda-cfd/xauusd"] = ("oanda-minute/xauusd", TimeSpan.Zero),
        ["fxcm-fx/eurusd"] = ("fxcm-minute/eurusd", TimeSpan.FromHours(-5)),
        ["fxcm-fx/nzdusd"] = ("fxcm-minute/nzdusd", TimeSpan.FromHours(-5)),
    };

    public static TheoryData<string> Feeds() => new(LeanFeeds.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Feeds))]
    public void CandlesFromLeanTicksEqualTheVendorsMinuteBars(string feed)
    {
        var (barsFolder, offset) = LeanFeeds[feed];
        var tickFiles = Directory.GetFiles(SharedData.Path($"ticks/{feed}"), "*_quote.zip").Order(StringComparer.Ordinal).ToArray();
        Assert.NotEmpty(tickFiles);

        var sink = new RecordingCandleSink(32_768);
        var candles = new CandleAggregator(sink, new MarketOptions());
        var reference = new List<ReferenceBar>();
        var sourceOf = new Dictionary<long, string>();
        var tickCount = 0L;
        var lastTime = 0L;
        foreach (var path in tickFiles)
        {
            var name = Path.GetFileName(path);
            var day = DateOnly.ParseExact(name[..8], "yyyyMMdd", CultureInfo.InvariantCulture);
            foreach (var bar in ReferenceBars.LoadLeanMinuteZip(SharedData.Path($"bars/{barsFolder}/{name}"), offset))
            {
                Assert.True(sourceOf.TryAdd(bar.OpenTimeMs, name), $"{feed}: minute {UnixMs.Format(bar.OpenTimeMs)} is in two bar files");
                reference.Add(bar);
            }

            var ticks = new TickFile(path, feed, TickFileFormat.LeanZip, day, offset).Load(out var skipped);
            Assert.True(skipped == 0, $"{feed}/{name}: {skipped} unreadable lines");
            Assert.NotEmpty(ticks);
            foreach (var t in ticks)
            {
                candles.OnTick(new Tick(Symbol, t.Bid, t.Ask, t.TimeMs, t.TimeMs));
            }

            tickCount += ticks.Length;
            lastTime = ticks[^1].TimeMs;
        }

        candles.OnClock(lastTime + (24 * 3_600_000));

        AssertSameBars(feed, Timeframe.M1, reference, sink.Of(Timeframe.M1), hasAsk: true, sourceOf);
        AssertSameBars(feed, Timeframe.M5, ReferenceBars.Aggregate(reference, Timeframe.M5), sink.Of(Timeframe.M5), hasAsk: true, sourceOf);
        AssertSameBars(feed, Timeframe.M15, ReferenceBars.Aggregate(reference, Timeframe.M15), sink.Of(Timeframe.M15), hasAsk: true, sourceOf);
        Assert.Equal(0, candles.LateTicks);
        Assert.Equal(tickCount, candles.TicksApplied);
        Assert.Equal(tickCount, sink.Of(Timeframe.M1).Sum(c => (long)c.TickCount));
    }

    [Fact]
    public void CandlesFromDukascopyTicksEqualDukascopysOwnBidCandles()
    {
        var ticks = new TickFile(SharedData.Path(DukascopyTicks), "EURUSD", TickFileFormat.Csv, null, TimeSpan.Zero).Load(out var skipped);
        var reference = ReferenceBars.LoadDukascopyCsv(SharedData.Path(DukascopyBars));
        Assert.Equal(0, skipped);
        Assert.NotEmpty(ticks);
        Assert.NotEmpty(reference);

        var sink = new RecordingCandleSink(8_192);
        var candles = new CandleAggregator(sink, new MarketOptions());
        foreach (var t in ticks)
        {
            candles.OnTick(new Tick(Symbol, t.Bid, t.Ask, t.TimeMs, t.TimeMs));
        }

        candles.OnClock(ticks[^1].TimeMs + (24 * 3_600_000));

        var sourceOf = reference.ToDictionary(b => b.OpenTimeMs, _ => Path.GetFileName(DukascopyBars));
        AssertSameBars("dukascopy/EURUSD", Timeframe.M1, reference, sink.Of(Timeframe.M1), hasAsk: false, sourceOf);
        AssertSameBars("dukascopy/EURUSD", Timeframe.M5, ReferenceBars.Aggregate(reference, Timeframe.M5), sink.Of(Timeframe.M5), hasAsk: false, sourceOf);
        AssertSameBars("dukascopy/EURUSD", Timeframe.M15, ReferenceBars.Aggregate(reference, Timeframe.M15), sink.Of(Timeframe.M15), hasAsk: false, sourceOf);
        Assert.Equal(0, candles.LateTicks);
        Assert.Equal(ticks.Length, candles.TicksApplied);
        Assert.Equal(ticks.Length, sink.Of(Timeframe.M1).Sum(c => c.TickCount));
    }

    [Fact]
    public void EveryTickFileInSharedDataIsCoveredByACandleCheck()
    {
        var ticksRoot = SharedData.Path("ticks");
        var leanFolders = Directory.GetDirectories(ticksRoot)
            .SelectMany(Directory.GetDirectories)
            .Where(d => Directory.EnumerateFiles(d, "*_quote.zip").Any())
            .Select(d => Path.GetRelativePath(ticksRoot, d).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);
        var csvFiles = Directory.GetFiles(ticksRoot, "*.csv", SearchOption.AllDirectories)
            .Select(f => "ticks/" + Path.GetRelativePath(ticksRoot, f).Replace('\\', '/'));

        Assert.Equal(LeanFeeds.Keys.Order(StringComparer.Ordinal), leanFolders);
        Assert.Equal([DukascopyTicks], csvFiles);
    }

    [Fact]
    public void TheReferenceBarReaderPlacesFxcmBarsFiveHoursLaterInUtc()
    {
        var name = "20140505_quote.zip";
        var utc = ReferenceBars.LoadLeanMinuteZip(SharedData.Path($"bars/fxcm-minute/eurusd/{name}"));
        var shifted = ReferenceBars.LoadLeanMinuteZip(SharedData.Path($"bars/fxcm-minute/eurusd/{name}"), TimeSpan.FromHours(-5));

        Assert.Equal(new DateTimeOffset(2014, 5, 5, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), utc[0].OpenTimeMs);
        Assert.Equal(utc.Select(b => b.OpenTimeMs + (5 * 3_600_000)), shifted.Select(b => b.OpenTimeMs));
        Assert.Equal(utc.Select(b => b.Bid), shifted.Select(b => b.Bid));
    }

    private static void AssertSameBars(
        string feed, Timeframe timeframe, IReadOnlyList<ReferenceBar> expected, IReadOnlyList<Candle> actual, bool hasAsk, Dictionary<long, string> sourceOf)
    {
        Assert.NotEmpty(expected);
        var ours = new Dictionary<long, Candle>();
        var differences = new List<string>();
        foreach (var candle in actual)
        {
            if (!ours.TryAdd(candle.OpenTimeMs, candle))
            {
                differences.Add($"{Where(candle.OpenTimeMs)}: published twice");
            }
        }

        var theirs = expected.Select(b => b.OpenTimeMs).ToHashSet();
        foreach (var bar in expected)
        {
            if (!ours.TryGetValue(bar.OpenTimeMs, out var candle))
            {
                differences.Add($"{Where(bar.OpenTimeMs)}: reference bar missing from ours");
                continue;
            }

            if (candle.Bid != bar.Bid)
            {
                differences.Add($"{Where(bar.OpenTimeMs)}: bid ours {Show(candle.Bid)} reference {Show(bar.Bid)}");
            }

            if (hasAsk && candle.Ask != bar.Ask)
            {
                differences.Add($"{Where(bar.OpenTimeMs)}: ask ours {Show(candle.Ask)} reference {Show(bar.Ask!.Value)}");
            }
        }

        foreach (var open in ours.Keys.Where(k => !theirs.Contains(k)))
        {
            differences.Add($"{Where(open)}: ours has a bar the reference lacks");
        }

        if (differences.Count > 0)
        {
            var message = new StringBuilder()
                .Append(CultureInfo.InvariantCulture, $"{feed} {timeframe}: {differences.Count} of {expected.Count} bars differ")
                .AppendLine();
            foreach (var line in differences.Take(MaxReportedDifferences))
            {
                message.AppendLine(line);
            }

            Assert.Fail(message.ToString());
        }

        Assert.Equal(expected.Count, actual.Count);

        string Where(long openMs)
        {
            var minute = UnixMs.Floor(openMs, UnixMs.Minute);
            var file = sourceOf.TryGetValue(minute, out var f) ? f : sourceOf.FirstOrDefault(kv => kv.Key >= openMs).Value ?? "?";
            return $"{timeframe} {UnixMs.Format(openMs)} UTC ({file})";
        }
    }

    private static string Show(Ohlc o) =>
        string.Create(CultureInfo.InvariantCulture, $"O={o.Open:R} H={o.High:R} L={o.Low:R} C={o.Close:R}");
}
