using Bitten.Domain.Market;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Engine.Market;
using Bitten.Engine.Signals.Patterns;

namespace Bitten.Engine.Signals;

/// <summary>Receives each raised signal, on the kernel thread.</summary>
public interface ISignalSink
{
    void OnSignal(Signal signal);
}

/// <summary>Elite Guard's thresholds (section <c>EliteGuard</c>).</summary>
public sealed class EliteGuardOptions
{
    public const string Section = "EliteGuard";

    /// <summary>The global confidence threshold on top of each pattern's floor (the tuner moves it later).</summary>
    public double GlobalThreshold { get; set; } = 70;

    /// <summary>How long a RAPID signal's missions stay fireable.</summary>
    public int RapidExpiryMinutes { get; set; } = 30;

    /// <summary>How long a SNIPER signal's missions stay fireable.</summary>
    public int SniperExpiryMinutes { get; set; } = 30;

    /// <summary>Closed M5 candles kept per symbol for the detectors.</summary>
    public int HistoryCandles { get; set; } = 300;
}

/// <summary>
/// The signal engine. On every M5 close of a symbol it runs the detectors over that symbol's closed candles, keeps
/// the most confident reading that clears its pattern's floor and the global threshold, applies the symbol's pacing
/// (cooldown, hourly cap), sets SL/TP from the M5 ATR and raises a <see cref="Signal"/>. Everything is a function of
/// candle (event) time, so a replay raises exactly the signals the live run did.
/// </summary>
/// <remarks>CITADEL (zones, sweeps, shield score) is not applied yet: signals carry a CITADEL score of 0.</remarks>
public sealed class EliteGuard : ICandleSink
{
    private const int AtrPeriod = 14;

    private readonly SymbolRegistry _symbols;
    private readonly SymbolCatalogue _catalogue;
    private readonly IReadOnlyList<IPatternDetector> _detectors;
    private readonly SignalRules _rules;
    private readonly SignalGate _gate;
    private readonly EliteGuardOptions _options;
    private readonly ISignalSink _sink;
    private readonly CandleHistory _history;

    public EliteGuard(SymbolRegistry symbols, SymbolCatalogue catalogue, IReadOnlyList<IPatternDetector> detectors, SignalRules rules,
        SignalGate gate, EliteGuardOptions options, ISignalSink sink)
    {
        _symbols = symbols;
        _catalogue = catalogue;
        _detectors = detectors;
        _rules = rules;
        _gate = gate;
        _options = options;
        _sink = sink;
        _history = new CandleHistory(Timeframe.M5, options.HistoryCandles);
    }

    /// <summary>Elite Guard with the six detectors, the default SL/TP table, the default pacing and the built-in catalogue.</summary>
    public static EliteGuard WithDefaults(SymbolRegistry symbols, EliteGuardOptions options, ISignalSink sink) =>
        new(symbols, SymbolCatalogue.Default, PatternDetectors.All(), SignalRules.Default, SignalGate.Default(), options, sink);

    public long Evaluations { get; private set; }

    public long Raised { get; private set; }

    /// <summary>Readings dropped, by why: a pattern floor, the global threshold, pacing, an unknown symbol.</summary>
    public long BelowFloor { get; private set; }

    public long BelowThreshold { get; private set; }

    public long Paced { get; private set; }

    public long UnknownSymbol { get; private set; }

    public void OnCandleClosed(in Candle candle)
    {
        if (!_history.Add(in candle))
        {
            return;
        }

        var name = _symbols.NameOf(candle.Symbol);
        if (!_catalogue.TryGet(name, out var spec))
        {
            UnknownSymbol++;
            return;
        }

        Evaluations++;
        var closed = _history.Of(candle.Symbol);
        var context = new DetectorContext(spec, TradingSessions.At(candle.CloseTimeMs));
        PatternReading? best = null;
        for (var i = 0; i < _detectors.Count; i++)
        {
            var detector = _detectors[i];
            if (closed.Length < detector.MinimumCandles || detector.Detect(closed, in context) is not { } reading)
            {
                continue;
            }

            if (reading.Confidence < _rules.For(reading.Pattern).MinimumConfidence)
            {
                BelowFloor++;
                continue;
            }

            // Ties keep the earlier detector: the order of the list is the documented preference.
            if (best is null || reading.Confidence > best.Value.Confidence)
            {
                best = reading;
            }
        }

        if (best is not { } chosen)
        {
            return;
        }

        if (chosen.Confidence < _options.GlobalThreshold)
        {
            BelowThreshold++;
            return;
        }

        var time = candle.CloseTimeMs;
        if (!_gate.Allows(candle.Symbol, time, out _))
        {
            Paced++;
            return;
        }

        var atr = AverageTrueRange(closed);
        if (!(atr > 0))
        {
            return;
        }

        var levels = _rules.StopAndTargetFor(chosen.Pattern, chosen.Direction, chosen.EntryPrice, atr, spec);
        var expiry = chosen.Pattern.Class() == SignalClass.Rapid ? _options.RapidExpiryMinutes : _options.SniperExpiryMinutes;
        var signal = new Signal(
            SignalIds.Create(chosen.Pattern.Class(), chosen.Pattern, name, time),
            name,
            candle.Symbol,
            chosen.Direction,
            Math.Round(chosen.EntryPrice, spec.Digits, MidpointRounding.AwayFromZero),
            levels.StopLoss,
            levels.TakeProfit,
            levels.StopPips,
            levels.TargetPips,
            levels.RiskReward,
            Math.Round(chosen.Confidence, 1),
            chosen.Pattern,
            CitadelScore: 0,
            context.Session.WireName(),
            time,
            time + (expiry * 60_000L),
            time);
        _gate.Record(candle.Symbol, time);
        Raised++;
        _sink.OnSignal(signal);
    }

    /// <summary>Wilder ATR(14) of the mid prices over the window: seeded by the mean of the first 14 true ranges.</summary>
    public static double AverageTrueRange(ReadOnlySpan<Candle> closed)
    {
        if (closed.Length < AtrPeriod + 1)
        {
            return 0;
        }

        double atr = 0;
        for (var i = 1; i < closed.Length; i++)
        {
            var trueRange = CandleMath.TrueRange(closed, i);
            atr = i <= AtrPeriod ? atr + (trueRange / AtrPeriod) : atr + ((trueRange - atr) / AtrPeriod);
        }

        return atr;
    }
}
