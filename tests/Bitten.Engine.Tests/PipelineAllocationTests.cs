using Bitten.Domain.Market;
using Bitten.Domain.Primitives;
using Bitten.Engine.Market;
using Bitten.Simulation.Replay;
using Bitten.Testing;
using Bitten.Wire.Ea;

namespace Bitten.Engine.Tests;

/// <summary>
/// The market hot path must not allocate: frame bytes → parse → symbol id → tick → validate → candles.
/// Measured on real OANDA EURUSD ticks pre-encoded as v2.05 TICK frames.
/// </summary>
[Collection(AllocationCollection.Name)]
public class PipelineAllocationTests
{
    private const int FrameCount = 12_000;

    [Fact]
    public void ParseResolveValidateAndAggregateAllocateNothing()
    {
        var frames = EncodeRealTicks(out var spanMinutes);
        Assert.True(spanMinutes >= 30, $"the ticks span only {spanMinutes} minutes; bars must close during the run");
        var registry = new SymbolRegistry();
        registry.GetOrAdd("EURUSD");
        var options = new MarketOptions();
        var scratch = new byte[MarketFrameParser.ScratchBytes];

        // Warm-up on separate instances: JIT and tiering for every path, including bar closes.
        var warmSink = new CountingCandleSink();
        for (var round = 0; round < 3; round++)
        {
            Run(frames, scratch, registry, new TickValidator(options), new CandleAggregator(warmSink, options));
        }

        // The measured instances have already sized their per-symbol arrays for the one symbol.
        var sink = new CountingCandleSink();
        var validator = new TickValidator(options);
        var candles = new CandleAggregator(sink, options);
        var first = Decode(frames[0], scratch, registry);
        Assert.Equal(RejectReason.None, validator.Validate(first));
        candles.OnTick(first);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var valid = Run(frames, scratch, registry, validator, candles);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(FrameCount, valid);
        Assert.Equal(FrameCount + 1, candles.TicksApplied);
        Assert.True(sink.M1 >= 30, $"only {sink.M1} M1 bars closed");
        Assert.True(sink.M5 > 0 && sink.M15 > 0, "M5 and M15 bars must close during the run");
        Assert.Equal(1, registry.Count);
        Assert.Equal(0, allocated);
    }

    private static int Run(byte[][] frames, byte[] scratch, SymbolRegistry registry, TickValidator validator, CandleAggregator candles)
    {
        var valid = 0;
        foreach (var frame in frames)
        {
            if (MarketFrameParser.Parse(frame, scratch, out var parsed) != RejectReason.None)
            {
                continue;
            }

            var tick = new Tick(registry.GetOrAdd(parsed.Symbol), parsed.Bid, parsed.Ask, parsed.TimestampMs, parsed.TimestampMs, parsed.Volume);
            if (validator.Validate(tick) == RejectReason.None)
            {
                candles.OnTick(tick);
                valid++;
            }
        }

        return valid;
    }

    private static Tick Decode(byte[] frame, byte[] scratch, SymbolRegistry registry)
    {
        Assert.Equal(RejectReason.None, MarketFrameParser.Parse(frame, scratch, out var parsed));
        return new Tick(registry.GetOrAdd(parsed.Symbol), parsed.Bid, parsed.Ask, parsed.TimestampMs, parsed.TimestampMs);
    }

    private static byte[][] EncodeRealTicks(out long spanMinutes)
    {
        var ticks = new TickFile(SharedData.Path("ticks/oanda-fx/eurusd/20140506_quote.zip"), "EURUSD", TickFileFormat.LeanZip,
            new DateOnly(2014, 5, 6), TimeSpan.Zero).Load();
        Assert.True(ticks.Length >= FrameCount, $"need {FrameCount} ticks, the file has {ticks.Length}");
        var writer = new EaMessageWriter();
        var frames = new byte[FrameCount][];
        for (var i = 0; i < FrameCount; i++)
        {
            var t = ticks[i];
            frames[i] = writer.Tick("user-1", "node-7", "EURUSD", t.Bid, t.Ask, Math.Round((t.Ask - t.Bid) * 1e5, 1), t.TimeMs).ToArray();
        }

        spanMinutes = (ticks[FrameCount - 1].TimeMs - ticks[0].TimeMs) / UnixMs.Minute;
        return frames;
    }

    /// <summary>Counts closed candles without storing them: a sink that allocates would spoil the measurement.</summary>
    private sealed class CountingCandleSink : ICandleSink
    {
        public int M1 { get; private set; }

        public int M5 { get; private set; }

        public int M15 { get; private set; }

        public void OnCandleClosed(in Candle candle)
        {
            switch (candle.Timeframe)
            {
                case Timeframe.M1: M1++; break;
                case Timeframe.M5: M5++; break;
                default: M15++; break;
            }
        }
    }
}
