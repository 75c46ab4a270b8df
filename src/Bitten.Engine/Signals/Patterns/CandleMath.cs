using Bitten.Domain.Market;

namespace Bitten.Engine.Signals.Patterns;

/// <summary>The candle arithmetic several detectors share, on mid prices, over spans (no allocation).</summary>
internal static class CandleMath
{
    /// <summary>True range of candle <paramref name="i"/> (which needs the candle before it).</summary>
    public static double TrueRange(ReadOnlySpan<Candle> candles, int i)
    {
        var bar = candles[i].Mid;
        var previousClose = candles[i - 1].Mid.Close;
        return Math.Max(bar.High - bar.Low, Math.Max(Math.Abs(bar.High - previousClose), Math.Abs(bar.Low - previousClose)));
    }

    /// <summary>Simple mean of the last <paramref name="period"/> true ranges of the span (needs period + 1 candles).</summary>
    public static double SimpleAverageTrueRange(ReadOnlySpan<Candle> candles, int period)
    {
        double sum = 0;
        for (var i = candles.Length - period; i < candles.Length; i++)
        {
            sum += TrueRange(candles, i);
        }

        return sum / period;
    }

    /// <summary>The last candle's tick count over the mean of the <paramref name="bars"/> before it; 1 when they had none.</summary>
    public static double TickRatio(ReadOnlySpan<Candle> candles, int bars)
    {
        long sum = 0;
        for (var i = candles.Length - 1 - bars; i < candles.Length - 1; i++)
        {
            sum += candles[i].TickCount;
        }

        return sum == 0 ? 1 : candles[^1].TickCount / ((double)sum / bars);
    }
}
