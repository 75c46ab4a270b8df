using Bitten.Domain.Primitives;

namespace Bitten.Domain.Market;

/// <summary>Open, high, low and close of one price series over a candle.</summary>
public readonly record struct Ohlc(double Open, double High, double Low, double Close)
{
    public double Range => High - Low;

    public double Body => Math.Abs(Close - Open);
}

/// <summary>
/// A closed candle, aligned to a clock boundary of tick (event) time. Bid and ask are kept separately, as the
/// brokers' own bars are, and mid for detectors. <see cref="TickCount"/> is the volume: FX EAs report zero real volume.
/// </summary>
public readonly record struct Candle(
    SymbolId Symbol,
    Timeframe Timeframe,
    long OpenTimeMs,
    Ohlc Bid,
    Ohlc Ask,
    Ohlc Mid,
    int TickCount)
{
    public long CloseTimeMs => OpenTimeMs + Timeframe.DurationMs();
}
