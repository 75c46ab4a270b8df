using Bitten.Domain.Market;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Engine.Market;
using Bitten.Engine.Signals.Citadel;
using Bitten.Engine.Tracking;
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

    /// <summary>The global confidence threshold on top of each pattern's floor, where the tuner starts.</summary>
    public double GlobalThreshold { get; set; } = 70;

    /// <summary>Whether the tuner moves the global threshold toward the target volume and away from a losing edge.</summary>
    public bool TuneThreshold { get; set; } = true;

    /// <summary>Seed 002: 65 signals a day over 10 pairs; the tuner aims at the per-symbol share of it.</summary>
    public double TargetSignalsPerDay { get; set; } = 65;

    public int TargetSymbols { get; set; } = 10;

    /// <summary>Seed 002: the tuned threshold stays within 70–78.</summary>
    public double ThresholdMin { get; set; } = 70;

    public double ThresholdMax { get; set; } = 78;

    /// <summary>Confidence points per retune.</summary>
    public double TuneStep { get; set; } = 1;

    /// <summary>The most recent outcomes the tuner weighs for the edge.</summary>
    public int TunerOutcomeWindow { get; set; } = 50;

    /// <summary>How long CITADEL may hold a signal near opposing liquidity before it is dropped (original: 10).</summary>
    public int CitadelHoldMinutes { get; set; } = 10;

    /// <summary>How long a RAPID signal's missions stay fireable.</summary>
    public int RapidExpiryMinutes { get; set; } = 30;

    /// <summary>How long a SNIPER signal's missions stay fireable.</summary>
    public int SniperExpiryMinutes { get; set; } = 30;

    /// <summary>Closed M5 candles kept per symbol for the detectors.</summary>
    public int HistoryCandles { get; set; } = 300;

    public IEnumerable<string> Validate()
    {
        if (!(GlobalThreshold is >= 0 and <= 100) || !(ThresholdMin >= 0) || !(ThresholdMax <= 100) || !(ThresholdMin <= ThresholdMax))
        {
            yield return "EliteGuard: GlobalThreshold must be 0-100 and ThresholdMin <= ThresholdMax within 0-100";
        }

        if (!(TargetSignalsPerDay > 0) || TargetSymbols < 1 || !(TuneStep > 0) || TunerOutcomeWindow < 1)
        {
            yield return "EliteGuard: TargetSignalsPerDay, TargetSymbols, TuneStep and TunerOutcomeWindow must be positive";
        }

        if (CitadelHoldMinutes < 0 || RapidExpiryMinutes < 1 || SniperExpiryMinutes < 1)
        {
            yield return "EliteGuard: CitadelHoldMinutes must not be negative and the expiries must be at least a minute";
        }

        if (HistoryCandles < 50)
        {
            yield return "EliteGuard:HistoryCandles must be at least 50 (the detectors and CITADEL read that far back)";
        }
    }
}

/// <summary>What Elite Guard did with its M5 closes: readings dropped and why, CITADEL holds, and the tuned threshold.</summary>
public readonly record struct EliteGuardCounts(
    long Evaluations,
    long Raised,
    long BelowFloor,
    long BelowThreshold,
    long Paced,
    long Held,
    long Released,
    long HoldsExpired,
    double Threshold,
    int ThresholdMoves);

/// <summary>
/// The signal engine. On every M5 close of a symbol it runs the detectors over that symbol's closed candles and keeps
/// the most confident reading that clears its pattern's floor. The indicators the detectors read are computed once per
/// close, per symbol, by an <see cref="IndicatorSet"/>. It sets SL/TP from the M5 ATR(14), asks CITADEL for the
/// shield score (which adjusts confidence, or holds the signal while opposing liquidity sits right in front of it),
/// applies the tuned global threshold and the symbol's pacing (cooldown, hourly cap), and raises a
/// <see cref="Signal"/>. Everything is a function of candle (event) time, so a replay raises exactly the signals the
/// live run did.
/// </summary>
public sealed class EliteGuard : ICandleSink
{
    private readonly SymbolRegistry _symbols;
    private readonly SymbolCatalogue _catalogue;
    private readonly IReadOnlyList<IPatternDetector> _detectors;
    private readonly SignalRules _rules;
    private readonly SignalGate _gate;
    private readonly EliteGuardOptions _options;
    private readonly ISignalSink _sink;
    private readonly CandleHistory _history;
    private readonly PatternSwitchboard? _switchboard;
    private HeldReading?[] _held = [];
    private IndicatorSet?[] _indicators = [];

    public EliteGuard(SymbolRegistry symbols, SymbolCatalogue catalogue, IReadOnlyList<IPatternDetector> detectors, SignalRules rules,
        SignalGate gate, EliteGuardOptions options, ISignalSink sink, ThresholdTuner? tuner = null, PatternSwitchboard? switchboard = null)
    {
        _switchboard = switchboard;
        _symbols = symbols;
        _catalogue = catalogue;
        _detectors = detectors;
        _rules = rules;
        _gate = gate;
        _options = options;
        _sink = sink;
        Tuner = tuner ?? new ThresholdTuner(options);
        _history = new CandleHistory(Timeframe.M5, options.HistoryCandles);
    }

    /// <summary>The tuner owning the global threshold; feed it outcomes so the edge can count.</summary>
    public ThresholdTuner Tuner { get; }

    /// <summary>The symbol's closed M5 candles, oldest first, as the detectors see them (kernel thread only: copy before handing out).</summary>
    public ReadOnlySpan<Candle> M5History(SymbolId symbol) => _history.Of(symbol);

    public long Evaluations { get; private set; }

    public long Raised { get; private set; }

    /// <summary>Readings dropped, by why: a pattern floor, the global threshold, pacing, an unknown symbol.</summary>
    public long BelowFloor { get; private set; }

    public long BelowThreshold { get; private set; }

    public long Paced { get; private set; }

    public long UnknownSymbol { get; private set; }

    /// <summary>CITADEL holds: signals held near opposing liquidity, released when it cleared, dropped when it did not.</summary>
    public long Held { get; private set; }

    public long Released { get; private set; }

    public long HoldsExpired { get; private set; }

    /// <summary>The counters above and the tuner's state, in one value for reports and status lines.</summary>
    public EliteGuardCounts Counts => new(Evaluations, Raised, BelowFloor, BelowThreshold, Paced, Held, Released, HoldsExpired,
        Tuner.Threshold, Tuner.Moves);

    /// <summary>
    /// Fills the detectors' look-back with candles that closed before this start (oldest first, per symbol), without
    /// evaluating them: the history and the indicators built from it are what they read, so the next live close is
    /// judged as if the run had never stopped.
    /// </summary>
    public int Warm(IEnumerable<Candle> closed)
    {
        ArgumentNullException.ThrowIfNull(closed);
        var added = 0;
        foreach (var candle in closed)
        {
            added += Fill(in candle) ? 1 : 0;
        }

        return added;
    }

    /// <summary>History bars that filled a free slot of the look-back, and those dropped (slot taken, or older than a full window).</summary>
    public long HistoryBarsWarmed { get; private set; }

    public long HistoryBarsDropped { get; private set; }

    /// <summary>The symbol's look-back as the detectors read it, oldest first.</summary>
    public ReadOnlySpan<Candle> HistoryOf(SymbolId symbol) => _history.Of(symbol);

    /// <summary>
    /// An EA's history bar: fills its slot of the look-back if free, and is never evaluated, so a reconnecting EA's
    /// history cannot raise (again) the signals of bars already past.
    /// </summary>
    public void OnHistoryBar(in Candle bar)
    {
        if (bar.Timeframe != Timeframe.M5)
        {
            return;
        }

        if (Fill(in bar))
        {
            HistoryBarsWarmed++;
        }
        else
        {
            HistoryBarsDropped++;
        }
    }

    public void OnCandleClosed(in Candle candle)
    {
        var placed = _history.Place(in candle, replace: true);
        if (placed == CandlePlacement.OtherTimeframe)
        {
            return;
        }

        Index(in candle, placed);
        if (placed != CandlePlacement.Appended && _history.Of(candle.Symbol)[^1].OpenTimeMs != candle.OpenTimeMs)
        {
            // A late close behind a newer history bar: it corrects the look-back, but its moment has passed.
            return;
        }

        var name = _symbols.NameOf(candle.Symbol);
        if (!_catalogue.TryGet(name, out var spec))
        {
            UnknownSymbol++;
            return;
        }

        Evaluations++;
        var time = candle.CloseTimeMs;
        Tuner.OnClose(candle.Symbol, time);
        var closed = _history.Of(candle.Symbol);
        var indicators = _indicators[candle.Symbol.Value]!;
        var context = new DetectorContext(spec, TradingSessions.At(time), indicators);
        // No stop without a warmed-up ATR(14): until then nothing is raised or released.
        var latest = indicators.Latest;
        var atr = latest.Has(IndicatorReadiness.Atr14) ? latest.Atr14 : 0;
        if (atr > 0 && HeldFor(candle.Symbol) is { } held)
        {
            Recheck(held, closed, in context, atr, time);
        }

        PatternReading? best = null;
        for (var i = 0; i < _detectors.Count; i++)
        {
            var detector = _detectors[i];
            if (_switchboard?.IsDisabled(detector.Pattern) == true)
            {
                continue;
            }

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

        if (best is { } chosen && atr > 0)
        {
            Consider(chosen, chosen.EntryPrice, closed, in context, atr, time, heldSince: time);
        }
    }

    /// <summary>
    /// Takes a reading the rest of the way: levels, CITADEL, threshold, pacing. A held reading comes back here with
    /// the release candle's close as its entry and keeps the time it was first held, so a hold never outlives its limit.
    /// </summary>
    private void Consider(in PatternReading reading, double entry, ReadOnlySpan<Candle> closed, in DetectorContext context, double atr,
        long time, long heldSince)
    {
        var spec = context.Spec;
        var symbol = closed[^1].Symbol;
        var levels = _rules.StopAndTargetFor(reading.Pattern, reading.Direction, entry, atr, spec);
        var shield = CitadelShield.Assess(closed, reading.Direction, entry, levels.TargetPips * spec.PipSize, atr, spec.PipSize);
        if (shield.Verdict == CitadelVerdict.Hold)
        {
            // A new hold replaces an older one: the newest reading is the one the market is offering now.
            Hold(symbol, new HeldReading(reading, shield.OpposingLevel, heldSince));
            Held++;
            return;
        }

        var confidence = Math.Clamp(Math.Round(reading.Confidence + shield.ConfidenceAdjustment, 1), 0, 100);
        if (confidence < Tuner.Threshold)
        {
            BelowThreshold++;
            return;
        }

        if (!_gate.Allows(symbol, time, out _))
        {
            Paced++;
            return;
        }

        var expiry = reading.Pattern.Class() == SignalClass.Rapid ? _options.RapidExpiryMinutes : _options.SniperExpiryMinutes;
        var name = spec.Symbol;
        var signal = new Signal(
            SignalIds.Create(reading.Pattern.Class(), reading.Pattern, name, time),
            name,
            symbol,
            reading.Direction,
            Math.Round(entry, spec.Digits, MidpointRounding.AwayFromZero),
            levels.StopLoss,
            levels.TakeProfit,
            levels.StopPips,
            levels.TargetPips,
            levels.RiskReward,
            confidence,
            reading.Pattern,
            shield.Score,
            context.Session.WireName(),
            time,
            time + (expiry * 60_000L),
            time,
            ScoreOf(reading.Components, in shield, confidence));
        _gate.Record(symbol, time);
        Hold(symbol, null);
        Raised++;
        Tuner.OnSignal(signal);
        _sink.OnSignal(signal);
    }

    /// <summary>
    /// A held signal goes once the last close has cleared the zone that held it, entering at that close; it is dropped
    /// once the hold limit has passed without that.
    /// </summary>
    private void Recheck(HeldReading held, ReadOnlySpan<Candle> closed, in DetectorContext context, double atr, long time)
    {
        var symbol = closed[^1].Symbol;
        if (time - held.Since > _options.CitadelHoldMinutes * 60_000L)
        {
            Hold(symbol, null);
            HoldsExpired++;
            return;
        }

        if (CitadelShield.Cleared(in closed[^1], held.Reading.Direction, held.Level, atr, context.Spec.PipSize))
        {
            Hold(symbol, null);
            Released++;
            Consider(held.Reading, closed[^1].Mid.Close, closed, in context, atr, time, held.Since);
        }
    }

    /// <summary>
    /// The detector's terms, CITADEL's adjustment and whatever the pattern's range, the clamp and the rounding changed
    /// (the remainder), so the parts sum to the confidence raised.
    /// </summary>
    private static SignalScore ScoreOf(in ConfidenceComponents parts, in CitadelAssessment shield, double confidence) => new(
        parts.Base,
        parts.Strength,
        parts.Quality,
        parts.Volume,
        parts.Session,
        confidence - (parts.Total + shield.ConfidenceAdjustment),
        shield.ConfidenceAdjustment,
        shield.Score,
        shield.Liquidity,
        shield.Sweep,
        shield.Volatility,
        shield.Spread);

    private HeldReading? HeldFor(SymbolId symbol) => symbol.Value < _held.Length ? _held[symbol.Value] : null;

    private void Hold(SymbolId symbol, HeldReading? held)
    {
        if (symbol.Value >= _held.Length)
        {
            if (held is null)
            {
                return;
            }

            Array.Resize(ref _held, Math.Max(symbol.Value + 1, Math.Max(8, _held.Length * 2)));
        }

        _held[symbol.Value] = held;
    }

    /// <summary>Puts a history candle in a free slot of its symbol's look-back (never over one held) and updates the indicators.</summary>
    private bool Fill(in Candle candle)
    {
        var placed = _history.Place(in candle, replace: false);
        if (placed is not (CandlePlacement.Appended or CandlePlacement.Inserted))
        {
            return false;
        }

        Index(in candle, placed);
        return true;
    }

    /// <summary>
    /// Keeps the symbol's indicators those of its look-back: a candle appended is fed on; one placed among older
    /// candles changes the past the streaming indicators have summed, so they are fed the whole window again.
    /// </summary>
    private void Index(in Candle candle, CandlePlacement placed)
    {
        var index = candle.Symbol.Value;
        if (index >= _indicators.Length)
        {
            Array.Resize(ref _indicators, Math.Max(index + 1, Math.Max(8, _indicators.Length * 2)));
        }

        var indicators = _indicators[index] ??= new IndicatorSet();
        if (placed == CandlePlacement.Appended)
        {
            indicators.Add(in candle);
            return;
        }

        indicators.Reset();
        foreach (ref readonly var held in _history.Of(candle.Symbol))
        {
            indicators.Add(in held);
        }
    }

    /// <summary>A reading CITADEL is holding, the opposing level it waits on, and when it was first held.</summary>
    private sealed record HeldReading(PatternReading Reading, double Level, long Since);
}
