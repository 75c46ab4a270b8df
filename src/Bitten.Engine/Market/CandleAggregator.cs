using System.Runtime.CompilerServices;
using Bitten.Domain.Market;
using Bitten.Domain.Primitives;

namespace Bitten.Engine.Market;

/// <summary>Receives each closed candle, on the kernel thread.</summary>
public interface ICandleSink
{
    void OnCandleClosed(in Candle candle);

    /// <summary>
    /// A closed bar an EA sent as history (OHLC), older than the bar its symbol is forming from ticks. It warms
    /// look-backs and is never a live close: nothing may act on it as a new bar.
    /// </summary>
    void OnHistoryBar(in Candle bar)
    {
    }
}

/// <summary>
/// M1, M5 and M15 candles for every symbol, in arrays indexed by <see cref="SymbolId"/>. Bars close on the
/// first tick of a later bucket, or by the feed's clock: the symbol's last tick time carried forward by the time
/// elapsed on our clock since it arrived. Using the feed's own timeline (not our wall clock) keeps a skewed EA
/// clock or a faster-than-real replay from closing bars early.
/// </summary>
public sealed class CandleAggregator
{
    private static readonly Timeframe[] Built = Timeframes.Built;

    private readonly ICandleSink _sink;
    private readonly long _graceMs;
    private CandleBuilder[] _builders = [];
    private FeedTime[] _feed = [];
    private int _symbols;

    public CandleAggregator(ICandleSink sink, MarketOptions options)
    {
        _sink = sink;
        _graceMs = options.BarCloseGraceMilliseconds;
    }

    /// <summary>Ticks that went into candles (late ones are counted in <see cref="LateTicks"/> instead).</summary>
    public long TicksApplied { get; private set; }

    public long LateTicks { get; private set; }

    public long ClosedM1 { get; private set; }

    public long ClosedM5 { get; private set; }

    public long ClosedM15 { get; private set; }

    public void OnTick(in Tick tick)
    {
        var index = tick.Symbol.Value;
        if (index >= _symbols)
        {
            Grow(index + 1);
        }

        ref var feed = ref _feed[index];
        if (!feed.HasTicks || tick.EventTimeMs >= feed.LastEventMs)
        {
            feed.HasTicks = true;
            feed.LastEventMs = tick.EventTimeMs;
            feed.LastReceivedMs = tick.ReceivedTimeMs;
        }

        var builders = _builders.AsSpan(index * Built.Length, Built.Length);
        for (var i = 0; i < builders.Length; i++)
        {
            var result = builders[i].Add(tick, out var closed);
            if (result == TickResult.Late)
            {
                // Late for M1 means its minute is published; adding it to M5/M15 would make them disagree with
                // the M1 bars they are built from. (M1 is first, and a tick on time for M1 is on time for all.)
                LateTicks++;
                return;
            }

            if (result == TickResult.Closed)
            {
                Publish(in closed);
            }
        }

        TicksApplied++;
    }

    /// <summary>Closes every bar whose end has passed on its symbol's feed clock; <paramref name="nowMs"/> is our clock.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void OnClock(long nowMs)
    {
        for (var s = 0; s < _symbols; s++)
        {
            ref var feed = ref _feed[s];
            if (!feed.HasTicks)
            {
                continue;
            }

            var feedNow = feed.LastEventMs + Math.Max(0, nowMs - feed.LastReceivedMs);
            var builders = _builders.AsSpan(s * Built.Length, Built.Length);
            for (var i = 0; i < builders.Length; i++)
            {
                if (builders[i].CloseIfEnded(feedNow, _graceMs, out var closed))
                {
                    Publish(in closed);
                }
            }
        }
    }

    /// <summary>History bars handed on to the look-backs, and those dropped for being at or after the bar ticks are forming.</summary>
    public long HistoryBars { get; private set; }

    public long HistoryBarsDropped { get; private set; }

    /// <summary>
    /// Hands an EA's history bar on, unless ticks are already building its slot or a later one: the bar forming from
    /// ticks is the engine's own, and a history bar never takes its place.
    /// </summary>
    public void OnHistoryBar(in Candle bar)
    {
        var built = Array.IndexOf(Built, bar.Timeframe);
        if (built >= 0 && bar.Symbol.Value < _symbols)
        {
            ref readonly var builder = ref _builders[(bar.Symbol.Value * Built.Length) + built];
            if (builder.IsForming && bar.OpenTimeMs >= builder.FormingOpenTimeMs)
            {
                HistoryBarsDropped++;
                return;
            }
        }

        HistoryBars++;
        _sink.OnHistoryBar(in bar);
    }

    /// <summary>The forming bar of a symbol and timeframe, for status displays; never published as closed.</summary>
    public bool IsForming(SymbolId symbol, Timeframe timeframe) =>
        symbol.Value < _symbols && _builders[(symbol.Value * Built.Length) + Array.IndexOf(Built, timeframe)].IsForming;

    private void Publish(in Candle candle)
    {
        switch (candle.Timeframe)
        {
            case Timeframe.M1: ClosedM1++; break;
            case Timeframe.M5: ClosedM5++; break;
            default: ClosedM15++; break;
        }

        _sink.OnCandleClosed(in candle);
    }

    private void Grow(int symbols)
    {
        var capacity = Math.Max(symbols, Math.Max(8, _symbols * 2));
        var builders = new CandleBuilder[capacity * Built.Length];
        Array.Copy(_builders, builders, _builders.Length);
        for (var s = _symbols; s < capacity; s++)
        {
            for (var i = 0; i < Built.Length; i++)
            {
                builders[(s * Built.Length) + i] = new CandleBuilder(new SymbolId(s), Built[i]);
            }
        }

        var feed = new FeedTime[capacity];
        Array.Copy(_feed, feed, _feed.Length);
        _builders = builders;
        _feed = feed;
        _symbols = capacity;
    }

    private struct FeedTime
    {
        public long LastEventMs;
        public long LastReceivedMs;
        public bool HasTicks;
    }
}
