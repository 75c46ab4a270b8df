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
    private SymbolRegistry _symbols = new();
    private TickValidator _validator = new(new MarketOptions());
    private CandleAggregator _candles = new(new NullSink(), new MarketOptions());
    private int _offset;

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
    }

    [IterationSetup]
    public void Fresh()
    {
        // Candle state must move forward in time, so each iteration starts over on a new slice.
        _validator = new TickValidator(new MarketOptions());
        _candles = new CandleAggregator(new NullSink(), new MarketOptions());
        _offset = (_offset + Ticks) % (_frames.Length - Ticks);
    }

    [Benchmark(OperationsPerInvoke = Ticks)]
    public double Parse()
    {
        double sum = 0;
        for (var i = _offset; i < _offset + Ticks; i++)
        {
            MarketFrameParser.Parse(_frames[i], _scratch, out var frame);
            sum += frame.Bid;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Ticks)]
    public long CandleUpdate()
    {
        for (var i = _offset; i < _offset + Ticks; i++)
        {
            _candles.OnTick(in _ticks[i]);
        }

        return _candles.ClosedM1;
    }

    [Benchmark(OperationsPerInvoke = Ticks)]
    public long ParseValidateCandle()
    {
        for (var i = _offset; i < _offset + Ticks; i++)
        {
            if (MarketFrameParser.Parse(_frames[i], _scratch, out var frame) != RejectReason.None)
            {
                continue;
            }

            var tick = new Tick(_symbols.GetOrAdd(frame.Symbol), frame.Bid, frame.Ask, frame.TimestampMs, frame.TimestampMs);
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
