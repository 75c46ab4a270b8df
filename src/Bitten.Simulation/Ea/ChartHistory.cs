using Bitten.Domain.Market;
using Bitten.Domain.Primitives;
using Bitten.Engine.Market;
using Bitten.Simulation.Replay;

namespace Bitten.Simulation.Ea;

/// <summary>
/// The chart an EA's terminal would hold when it connects: the last closed M5 bars of each symbol, built from the
/// recorded ticks the replay passes over before its start, with the engine's own candle builder (so the bars are
/// exactly those the engine would have built from the same ticks). Bid prices, as MT5's bars are.
/// </summary>
internal sealed class ChartHistory(int keep)
{
    private readonly Dictionary<string, Series> _series = new(StringComparer.Ordinal);

    public void Add(string symbol, in RecordedTick tick)
    {
        if (!_series.TryGetValue(symbol, out var series))
        {
            series = new Series(_series.Count);
            _series.Add(symbol, series);
        }

        series.Add(in tick, keep);
    }

    /// <summary>
    /// The bars that closed before the bar opening at or before <paramref name="formingOpenMs"/> (that one is still
    /// forming when the EA connects), up to the last <c>keep</c> per symbol, oldest first across symbols.
    /// </summary>
    public IReadOnlyList<(string Symbol, Candle Bar)> Before(long formingOpenMs)
    {
        var bars = new List<(string Symbol, Candle Bar)>();
        foreach (var (symbol, series) in _series)
        {
            series.CloseBefore(formingOpenMs, keep);
            bars.AddRange(series.Bars.Where(b => b.OpenTimeMs < formingOpenMs).Select(b => (symbol, b)));
        }

        return [.. bars.OrderBy(b => b.Bar.OpenTimeMs).ThenBy(b => b.Symbol, StringComparer.Ordinal)];
    }

    private sealed class Series(int id)
    {
        private CandleBuilder _builder = new(new SymbolId(id), Timeframe.M5);

        public Queue<Candle> Bars { get; } = new();

        public void Add(in RecordedTick tick, int keep)
        {
            var quote = new Tick(_builder.Symbol, tick.Bid, tick.Ask, tick.TimeMs, tick.TimeMs);
            if (_builder.Add(in quote, out var closed) == TickResult.Closed)
            {
                Keep(in closed, keep);
            }
        }

        /// <summary>Closes the last bar the ticks were building if it ended by <paramref name="timeMs"/>.</summary>
        public void CloseBefore(long timeMs, int keep)
        {
            if (_builder.CloseIfEnded(timeMs, 0, out var last))
            {
                Keep(in last, keep);
            }
        }

        private void Keep(in Candle bar, int keep)
        {
            Bars.Enqueue(bar);
            while (Bars.Count > keep)
            {
                Bars.Dequeue();
            }
        }
    }
}
