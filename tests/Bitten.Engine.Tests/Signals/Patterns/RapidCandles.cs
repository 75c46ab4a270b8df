using System.Collections.Concurrent;
using System.Globalization;
using Bitten.Domain.Market;
using Bitten.Domain.Primitives;
using Bitten.Engine.Market;
using Bitten.Engine.Signals;
using Bitten.Engine.Signals.Patterns;
using Bitten.Simulation.Replay;
using Bitten.Testing;

namespace Bitten.Engine.Tests.Signals.Patterns;

/// <summary>
/// Candle builders for the RAPID detector tests: shapes are written in pips around a base price, so one shape can be
/// replayed on EURUSD, USDJPY and XAUUSD; plus real OANDA M5 candles and the prefix checks every detector must pass.
/// </summary>
internal static class RapidCandles
{
    /// <summary>Tuesday 2 January 2024 10:00 UTC: inside the London session.</summary>
    public const long StartMs = 1_704_189_600_000;

    public const long M5Ms = 300_000;

    public const string EurUsdFeed = "oanda-fx/eurusd";
    public const string XauUsdFeed = "oanda-cfd/xauusd";

    private static readonly ConcurrentDictionary<string, Candle[]> RealCache = new(StringComparer.Ordinal);

    public static SymbolSpec Spec(string symbol) => SymbolCatalogue.Default.Get(symbol);

    /// <summary>The detector's reading of <paramref name="candles"/>, with the indicators fed those candles from the first.</summary>
    public static PatternReading? Detect(
        IPatternDetector detector, ReadOnlySpan<Candle> candles, string symbol, TradingSession session = TradingSession.London) =>
        detector.Detect(candles, new DetectorContext(Spec(symbol), session, Indicators(candles)));

    /// <summary>An indicator set fed <paramref name="candles"/>, oldest first, as Elite Guard feeds a symbol's.</summary>
    public static IndicatorSet Indicators(ReadOnlySpan<Candle> candles)
    {
        var set = new IndicatorSet();
        foreach (ref readonly var candle in candles)
        {
            set.Add(in candle);
        }

        return set;
    }

    /// <summary>A mid-price candle; bid and ask sit half a pip either side.</summary>
    public static Candle Bar(int index, double open, double high, double low, double close, int ticks = 100, double pip = 0.0001)
    {
        var mid = new Ohlc(open, high, low, close);
        var half = pip / 2;
        var bid = new Ohlc(open - half, high - half, low - half, close - half);
        var ask = new Ohlc(open + half, high + half, low + half, close + half);
        return new Candle(new SymbolId(0), Timeframe.M5, StartMs + (index * M5Ms), bid, ask, mid, ticks);
    }

    /// <summary>
    /// Candles from offsets in pips: close of bar i is <c>basePrice + closes[i] × pip</c>, it opens at the previous
    /// close (the first at its own close) and its wicks reach <paramref name="wicks"/> pips beyond its body.
    /// </summary>
    public static Candle[] FromPips(double basePrice, double pip, IReadOnlyList<double> closes, double wicks, IReadOnlyList<int>? ticks = null)
    {
        var candles = new Candle[closes.Count];
        for (var i = 0; i < closes.Count; i++)
        {
            var open = closes[i == 0 ? 0 : i - 1];
            var close = closes[i];
            candles[i] = Bar(
                i,
                basePrice + (open * pip),
                basePrice + ((Math.Max(open, close) + wicks) * pip),
                basePrice + ((Math.Min(open, close) - wicks) * pip),
                basePrice + (close * pip),
                ticks?[i] ?? 100,
                pip);
        }

        return candles;
    }

    /// <summary>A candle given in pips around <paramref name="basePrice"/>.</summary>
    public static Candle PipBar(int index, double basePrice, double pip, double open, double high, double low, double close, int ticks = 100) =>
        Bar(index, basePrice + (open * pip), basePrice + (high * pip), basePrice + (low * pip), basePrice + (close * pip), ticks, pip);

    /// <summary>Reflects every price through <paramref name="axis"/>: highs become lows, so a BUY setup becomes a SELL one.</summary>
    public static Candle[] Mirror(Candle[] candles, double axis)
    {
        var mirrored = new Candle[candles.Length];
        for (var i = 0; i < candles.Length; i++)
        {
            var m = candles[i].Mid;
            mirrored[i] = candles[i] with
            {
                Mid = new Ohlc((2 * axis) - m.Open, (2 * axis) - m.Low, (2 * axis) - m.High, (2 * axis) - m.Close),
            };
        }

        return mirrored;
    }

    /// <summary>M5 candles built by our <see cref="CandleAggregator"/> from every OANDA tick file of a feed.</summary>
    public static Candle[] RealM5(string feed) => RealCache.GetOrAdd(feed, static f =>
    {
        var sink = new RecordingCandleSink(65_536);
        var aggregator = new CandleAggregator(sink, new MarketOptions());
        var lastTime = 0L;
        foreach (var path in Directory.GetFiles(SharedData.Path($"ticks/{f}"), "*_quote.zip").Order(StringComparer.Ordinal))
        {
            var day = DateOnly.ParseExact(Path.GetFileName(path)[..8], "yyyyMMdd", CultureInfo.InvariantCulture);
            var ticks = new TickFile(path, f, TickFileFormat.LeanZip, day, TimeSpan.Zero).Load();
            foreach (var t in ticks)
            {
                aggregator.OnTick(new Tick(new SymbolId(0), t.Bid, t.Ask, t.TimeMs, t.TimeMs));
            }

            lastTime = ticks.Length > 0 ? ticks[^1].TimeMs : lastTime;
        }

        aggregator.OnClock(lastTime + (24 * 3_600_000));
        return [.. sink.Of(Timeframe.M5)];
    });

    /// <summary>
    /// Runs <paramref name="detector"/> on every prefix of the feed's M5 candles, with one indicator set fed each candle
    /// as it closes (as Elite Guard does), and checks it is a pure function of closed bars: the same prefix gives the
    /// same reading, and a wild next candle (not yet closed, so not in the indicators) changes nothing. Returns the
    /// number of readings.
    /// </summary>
    public static int CountReadingsCheckingPurity(
        IPatternDetector detector, string feed, string symbol, double minConfidence, double maxConfidence)
    {
        var candles = (Candle[])RealM5(feed).Clone();
        Assert.True(candles.Length > 3_000, $"{feed}: only {candles.Length} M5 candles");
        var spec = Spec(symbol);
        var readings = 0;
        var indicators = Indicators(candles.AsSpan(0, detector.MinimumCandles - 1));
        for (var k = detector.MinimumCandles; k < candles.Length - 1; k++)
        {
            var prefix = candles.AsSpan(0, k);
            indicators.Add(in prefix[^1]);
            var context = new DetectorContext(spec, TradingSessions.At(prefix[^1].CloseTimeMs), indicators);
            var first = detector.Detect(prefix, context);
            Assert.Equal(first, detector.Detect(prefix, context));

            var next = candles[k];
            var spike = next.Mid.Close * 0.05;
            candles[k] = next with
            {
                Mid = new Ohlc(next.Mid.Open, next.Mid.High + spike, next.Mid.Low - spike, next.Mid.Close + spike),
                TickCount = next.TickCount * 50,
            };
            var withFuture = detector.Detect(candles.AsSpan(0, k), context);
            candles[k] = next;
            Assert.Equal(first, withFuture);

            if (first is { } reading)
            {
                readings++;
                Assert.Equal(detector.Pattern, reading.Pattern);
                Assert.Equal(prefix[^1].Mid.Close, reading.EntryPrice, spec.PipSize);
                Assert.InRange(reading.Confidence, minConfidence, maxConfidence);
                Assert.Equal(Math.Clamp(reading.Components.Total, minConfidence, maxConfidence), reading.Confidence);
            }
        }

        return readings;
    }

    /// <summary>Bytes allocated on this thread by updating the indicators and running the detector over 1,000 consecutive real prefixes.</summary>
    public static long AllocatedOverThousandPrefixes(IPatternDetector detector)
    {
        var candles = RealM5(EurUsdFeed);
        var spec = Spec("EURUSD");
        var indicators = Indicators(candles.AsSpan(0, detector.MinimumCandles - 1));
        var found = 0;
        for (var k = detector.MinimumCandles; k < detector.MinimumCandles + 50; k++)
        {
            indicators.Add(in candles[k - 1]);
            found += detector.Detect(candles.AsSpan(0, k), new DetectorContext(spec, TradingSession.London, indicators)) is null ? 0 : 1;
        }

        // Measured: feeding the indicators each closed candle and reading them, as Elite Guard does.
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var k = detector.MinimumCandles + 50; k < detector.MinimumCandles + 1_050; k++)
        {
            indicators.Add(in candles[k - 1]);
            found += detector.Detect(candles.AsSpan(0, k), new DetectorContext(spec, TradingSession.London, indicators)) is null ? 0 : 1;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        GC.KeepAlive(found);
        return allocated;
    }
}
