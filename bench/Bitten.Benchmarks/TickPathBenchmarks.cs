using BenchmarkDotNet.Attributes;
using Bitten.Domain.Market;
using Bitten.Domain.Primitives;
using Bitten.Engine.Market;
using Bitten.Simulation.Ea;
using Bitten.Simulation.Replay;
using Bitten.Wire.Ea;

namespace Bitten.Benchmarks;

/// <summary>
/// Per-tick cost of the hot path on real ticks (the bundled EURUSD + XAUUSD days): parse a TICK frame, and
/// parse → validate → candle update. Each invocation handles <see cref="Ticks"/> ticks; divide for per tick.
/// </summary>
[MemoryDiagnoser]
public class TickPathBenchmarks
{
    public const int Ticks = 10_000;

    private byte[][] _frames = [];
    private Tick[] _ticks = [];
    private readonly byte[] _scratch = new byte[MarketFrameParser.ScratchBytes];
    private readonly SymbolRegistry _symbols = new();
    private readonly TickValidator _validator = new(new MarketOptions());
    private readonly CandleAggregator _candles = new(new NullSink(), new MarketOptions());
    private int _offset = -Ticks;
    private long _shiftMs;
    private long _spanMs;

    [GlobalSetup]
    public void Setup()
    {
        var root = AppContext.BaseDirectory;
        while (!Directory.Exists(Path.Combine(root, "demo", "ticks")))
        {
            root = Path.GetDirectoryName(root) ?? throw new DirectoryNotFoundException("demo/ticks not found above the benchmark");
        }

        var replay = new TickReplay(TickReplay.Discover([Path.Combine(root, "demo", "ticks")]));
        var writer = new EaMessageWriter();
        var frames = new List<byte[]>();
        var ticks = new List<Tick>();
        foreach (var (symbol, tick) in replay.Read().Take(200_000))
        {
            frames.Add(writer.Tick("BENCH", "NODE", symbol, tick.Bid, tick.Ask, Math.Round((tick.Ask - tick.Bid) / SimulatedEa.PointOf(symbol), 1), tick.TimeMs).ToArray());
            ticks.Add(new Tick(_symbols.GetOrAdd(symbol), tick.Bid, tick.Ask, tick.TimeMs, tick.TimeMs));
        }

        _frames = [.. frames];
        _ticks = [.. ticks];
        _spanMs = _ticks[^1].EventTimeMs - _ticks[0].EventTimeMs + 60_000;
    }

    /// <summary>
    /// Candle state only moves forward in time, so each invocation takes the next slice of ticks and, after the
    /// last slice, replays the data shifted later by its whole span: the same work every time, never "late" ticks.
    /// </summary>
    private long NextSlice()
    {
        _offset += Ticks;
        if (_offset + Ticks > _frames.Length)
        {
            _offset = 0;
            _shiftMs += _spanMs;
        }

        return _shiftMs;
    }

    [Benchmark(OperationsPerInvoke = Ticks)]
    public double Parse()
    {
        NextSlice();
        double sum = 0;
        for (var i = _offset; i < _offset + Ticks; i++)
        {
            MarketFrameParser.Parse(_frames[i], _scratch, out var frame);
            sum += frame.Bid;
        }

        return sum;
    }

    /// <summary>The general Utf8JsonReader path alone, as the baseline for the flat-frame fast path.</summary>
    [Benchmark(OperationsPerInvoke = Ticks, Baseline = true)]
    public double ParseWithReader()
    {
        NextSlice();
        double sum = 0;
        for (var i = _offset; i < _offset + Ticks; i++)
        {
            MarketFrameParser.ParseWithReader(_frames[i], _scratch, out var frame);
            sum += frame.Bid;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Ticks)]
    public long CandleUpdate()
    {
        var shift = NextSlice();
        for (var i = _offset; i < _offset + Ticks; i++)
        {
            var t = _ticks[i];
            _candles.OnTick(t with { EventTimeMs = t.EventTimeMs + shift, ReceivedTimeMs = t.ReceivedTimeMs + shift });
        }

        return _candles.ClosedM1;
    }

    [Benchmark(OperationsPerInvoke = Ticks)]
    public long ParseValidateCandle()
    {
        var shift = NextSlice();
        for (var i = _offset; i < _offset + Ticks; i++)
        {
            if (MarketFrameParser.Parse(_frames[i], _scratch, out var frame) != RejectReason.None)
            {
                continue;
            }

            var tick = new Tick(_symbols.GetOrAdd(frame.Symbol), frame.Bid, frame.Ask, frame.TimestampMs + shift, frame.TimestampMs + shift);
            if (_validator.Validate(in tick) == RejectReason.None)
            {
                _candles.OnTick(in tick);
            }
        }

        return _candles.TicksApplied;
    }

    private sealed class NullSink : ICandleSink
    {
        public void OnCandleClosed(in Candle candle)
        {
        }
    }
}
