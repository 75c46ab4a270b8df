using Bitten.Domain.Market;
using Bitten.Domain.Primitives;
using Bitten.Engine.Market;
using Bitten.Persistence;
using Bitten.Persistence.Events;

namespace Bitten.Host.Execution;

/// <summary>
/// Keeps Elite Guard's look-back across restarts: every closed candle of its timeframe is saved through the event
/// log's writer (queued, never waited for, on the kernel thread), and <see cref="Warm"/> reads the newest back at start.
/// Without it a restart would leave the detectors blind for hours while 50+ M5 bars fill again.
/// </summary>
public sealed class CandleRecorder(EventLog writer, SymbolRegistry symbols, int keepCandles, Timeframe timeframe = Timeframe.M5) : ICandleSink
{
    public long Saved { get; private set; }

    public void OnCandleClosed(in Candle candle)
    {
        if (candle.Timeframe != timeframe)
        {
            return;
        }

        var stored = ToStored(candle, symbols.NameOf(candle.Symbol));
        // Twice the look-back, so a restart after a long stop still finds a full history of the last run.
        var keepAfter = candle.OpenTimeMs - (2L * keepCandles * timeframe.DurationMs());
        _ = writer.CommitAsync((connection, transaction) => CandleStore.Save([stored], keepAfter, connection, transaction));
        Saved++;
    }

    /// <summary>The newest stored candles of each symbol, oldest first, as the kernel's candles (symbols mapped to this run's ids).</summary>
    public static IReadOnlyList<Candle> Warm(CandleStore store, SymbolRegistry symbols, int count, Timeframe timeframe = Timeframe.M5)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(symbols);
        return [.. store.Recent((int)timeframe, count).Select(c => new Candle(symbols.GetOrAdd(c.Symbol), timeframe, c.OpenTimeMs,
            Prices(c.Bid), Prices(c.Ask), Prices(c.Mid), c.TickCount))];
    }

    private static StoredCandle ToStored(in Candle c, string symbol) =>
        new(symbol, (int)c.Timeframe, c.OpenTimeMs, Array(c.Bid), Array(c.Ask), Array(c.Mid), c.TickCount);

    private static double[] Array(Ohlc o) => [o.Open, o.High, o.Low, o.Close];

    private static Ohlc Prices(double[] p) => new(p[0], p[1], p[2], p[3]);
}
