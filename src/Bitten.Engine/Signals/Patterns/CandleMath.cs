using Bitten.Domain.Market;

namespace Bitten.Engine.Signals.Patterns;

/// <summary>
/// The tick-volume arithmetic several detectors share, over spans (no allocation). Price indicators are not here: the
/// detectors read them from the shared <see cref="IndicatorSet"/>.
/// </summary>
internal static class CandleMath
{
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
