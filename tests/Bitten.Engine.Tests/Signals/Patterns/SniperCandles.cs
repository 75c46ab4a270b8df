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
/// Builders shared by the SNIPER detector tests. Hand-built candles are written in pips from a base price so one
/// scenario can be replayed on EURUSD, USDJPY and XAUUSD; real candles are M5 bars aggregated from the OANDA ticks.
/// </summary>
internal static class SniperCandles
{
    public const double EurBase = 1.1000;
    public const double JpyBase = 150.00;
    public const double GoldBase = 1300.0;
    public const int NormalTicks = 100;

    private static readonly SymbolId Symbol = new(0);

    private static readonly Lazy<Candle[]> LazyEurusd = new(() => RapidCandles.RealM5(RapidCandles.EurUsdFeed));
    private static readonly Lazy<Candle[]> LazyXauusd = new(() => RapidCandles.RealM5(RapidCandles.XauUsdFeed));

    public static SymbolSpec Eurusd { get; } = SymbolCatalogue.Default.Get("EURUSD");

    public static SymbolSpec Gbpusd { get; } = SymbolCatalogue.Default.Get("GBPUSD");

    public static SymbolSpec Usdjpy { get; } = SymbolCatalogue.Default.Get("USDJPY");

    public static SymbolSpec Xauusd { get; } = SymbolCatalogue.Default.Get("XAUUSD");

    /// <summary>Thirteen days of OANDA EURUSD M5 candles (May 2014).</summary>
    public static Candle[] RealEurusd => LazyEurusd.Value;

    /// <summary>Thirteen days of OANDA XAUUSD M5 candles (May 2014).</summary>
    public static Candle[] RealXauusd => LazyXauusd.Value;

    // The SNIPER detectors read no indicators; they get a set that was fed nothing.
    private static readonly IndicatorSet NoIndicators = new();

    public static DetectorContext Context(SymbolSpec spec, TradingSession session = TradingSession.Late) => new(spec, session, NoIndicators);

    public static double BaseOf(SymbolSpec spec) => spec.Symbol switch
    {
        "USDJPY" => JpyBase,
        "XAUUSD" => GoldBase,
        _ => EurBase,
    };

    /// <summary>The price <paramref name="pips"/> away from the symbol's base price.</summary>
    public static double Price(SymbolSpec spec, double pips) => BaseOf(spec) + (pips * spec.PipSize);

    /// <summary>A bar <paramref name="index"/> M5 steps into the sequence, its mid OHLC given in pips from the base.</summary>
    public static Candle Bar(SymbolSpec spec, int index, double open, double high, double low, double close, int ticks = NormalTicks)
    {
        var mid = new Ohlc(Price(spec, open), Price(spec, high), Price(spec, low), Price(spec, close));
        var halfSpread = spec.PipSize / 2;
        var bid = new Ohlc(mid.Open - halfSpread, mid.High - halfSpread, mid.Low - halfSpread, mid.Close - halfSpread);
        var ask = new Ohlc(mid.Open + halfSpread, mid.High + halfSpread, mid.Low + halfSpread, mid.Close + halfSpread);
        return new Candle(Symbol, Timeframe.M5, index * 300_000L, bid, ask, mid, ticks);
    }

    /// <summary>The bar reflected through the base price: highs become lows and up becomes down.</summary>
    public static Candle Mirror(SymbolSpec spec, Candle bar)
    {
        var b = BaseOf(spec);
        var pip = spec.PipSize;
        var m = bar.Mid;
        return Bar(spec, (int)(bar.OpenTimeMs / 300_000L), (b - m.Open) / pip, (b - m.Low) / pip, (b - m.High) / pip, (b - m.Close) / pip, bar.TickCount);
    }

    public static Candle[] Mirror(SymbolSpec spec, Candle[] bars) => Array.ConvertAll(bars, c => Mirror(spec, c));

    /// <summary>
    /// Runs <paramref name="detector"/> on every prefix of <paramref name="candles"/> and checks it is a pure function
    /// of the prefix: recomputing on the same slice later gives the same reading, and an extreme candle placed right
    /// after the prefix changes nothing. Returns the number of readings.
    /// </summary>
    public static int AssertPureAndBlindToTheFuture(IPatternDetector detector, Candle[] candles, SymbolSpec spec)
    {
        Assert.True(candles.Length > 1_000, $"only {candles.Length} real candles");
        var readings = new PatternReading?[candles.Length + 1];
        for (var k = 0; k <= candles.Length; k++)
        {
            readings[k] = Detect(detector, candles.AsSpan(0, k), spec);
        }

        var future = (Candle[])candles.Clone();
        var count = 0;
        for (var k = 0; k < candles.Length; k++)
        {
            // (a) all bars have arrived by now; the reading of prefix k must not have moved.
            Assert.Equal(readings[k], Detect(detector, candles.AsSpan(0, k), spec));

            // (b) a wild next bar, visible in the same array just past the slice, must not matter.
            var next = future[k];
            var m = next.Mid;
            var wild = new Ohlc(m.Open, m.High * 1.5, m.Low * 0.5, m.Close);
            future[k] = next with { Mid = wild, Bid = wild, Ask = wild, TickCount = 1_000_000 };
            Assert.Equal(readings[k], Detect(detector, future.AsSpan(0, k), spec));
            future[k] = next;

            if (readings[k] is { } reading)
            {
                count++;
                Assert.Equal(detector.Pattern, reading.Pattern);
            }
        }

        return count;
    }

    /// <summary>Bytes allocated by <see cref="IPatternDetector.Detect"/> over 1,000 consecutive prefixes of real candles.</summary>
    public static long AllocatedOverThousandPrefixes(IPatternDetector detector)
    {
        var candles = RealEurusd;
        var sink = 0.0;
        for (var round = 0; round < 3; round++)
        {
            sink += Sweep(detector, candles);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        sink += Sweep(detector, candles);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(sink >= 0, "confidences are never negative");
        return allocated;
    }

    private static double Sweep(IPatternDetector detector, Candle[] candles)
    {
        var total = 0.0;
        for (var k = 1; k <= 1_000; k++)
        {
            var prefix = candles.AsSpan(0, detector.MinimumCandles + k);
            var context = new DetectorContext(Eurusd, TradingSessions.At(prefix[^1].CloseTimeMs), NoIndicators);
            if (detector.Detect(prefix, context) is { } reading)
            {
                total += reading.Confidence;
            }
        }

        return total;
    }

    private static PatternReading? Detect(IPatternDetector detector, ReadOnlySpan<Candle> prefix, SymbolSpec spec)
    {
        var session = prefix.Length == 0 ? TradingSession.Late : TradingSessions.At(prefix[^1].CloseTimeMs);
        return detector.Detect(prefix, new DetectorContext(spec, session, NoIndicators));
    }
}
