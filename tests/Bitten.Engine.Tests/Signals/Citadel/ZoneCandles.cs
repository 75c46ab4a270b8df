using Bitten.Domain.Market;
using Bitten.Domain.Primitives;

namespace Bitten.Engine.Tests.Signals.Citadel;

/// <summary>EURUSD M5 candles written in pips around 1.1000, with a configurable spread around the mid.</summary>
internal static class ZoneCandles
{
    public const double Base = 1.1000;
    public const double Pip = 0.0001;
    public const long StartMs = 1_704_189_600_000;
    public const long M5Ms = 300_000;

    public static double Price(double pips) => Base + (pips * Pip);

    public static Candle Bar(int index, double high, double low, double close, double spreadPips = 1)
    {
        var open = (high + low) / 2;
        var mid = new Ohlc(Price(open), Price(high), Price(low), Price(close));
        var half = spreadPips * Pip / 2;
        var bid = new Ohlc(mid.Open - half, mid.High - half, mid.Low - half, mid.Close - half);
        var ask = new Ohlc(mid.Open + half, mid.High + half, mid.Low + half, mid.Close + half);
        return new Candle(new SymbolId(0), Timeframe.M5, StartMs + (index * M5Ms), bid, ask, mid, 100);
    }

    /// <summary>
    /// Eleven candles: a swing high at +20 pips (index 2) revisited at +19.5 (index 7), and a lone swing low at −8
    /// (index 5) that nothing revisits.
    /// </summary>
    public static List<Candle> RevisitedHigh() =>
    [
        Bar(0, 5, -5, 0),
        Bar(1, 8, -2, 3),
        Bar(2, 20, 0, 5),
        Bar(3, 10, -3, 2),
        Bar(4, 6, -6, -2),
        Bar(5, 4, -8, 0),
        Bar(6, 12, -1, 6),
        Bar(7, 19.5, 3, 10),
        Bar(8, 14, 2, 8),
        Bar(9, 11, 0, 5),
        Bar(10, 9, -2, 3),
    ];

    /// <summary>Flat candles 10 pips high around the base: every true range is 10 pips, no swings, no zones.</summary>
    public static Candle[] Flat(int count, double spreadPips = 1) =>
        Enumerable.Range(0, count).Select(i => Bar(i, 5, -5, 0, spreadPips)).ToArray();
}
