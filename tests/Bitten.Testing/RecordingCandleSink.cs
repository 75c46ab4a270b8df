using Bitten.Domain.Market;
using Bitten.Engine.Market;

namespace Bitten.Testing;

/// <summary>
/// Keeps every closed candle in order. The list is sized up front, so recording allocates nothing until
/// <c>capacity</c> candles have arrived (allocation tests rely on that). Not thread-safe: read it after the
/// kernel has been flushed.
/// </summary>
public sealed class RecordingCandleSink(int capacity = 4096) : ICandleSink
{
    private readonly List<Candle> _candles = new(capacity);

    public IReadOnlyList<Candle> Candles => _candles;

    public int Capacity => _candles.Capacity;

    /// <summary>The history bars handed on (kept apart: they are not closes).</summary>
    public List<Candle> History { get; } = [];

    public void OnCandleClosed(in Candle candle) => _candles.Add(candle);

    public void OnHistoryBar(in Candle bar) => History.Add(bar);

    public List<Candle> Of(Timeframe timeframe) => _candles.Where(c => c.Timeframe == timeframe).ToList();

    public void Clear() => _candles.Clear();
}
