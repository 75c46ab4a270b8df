using Bitten.Domain.Market;
using Bitten.Domain.Primitives;
using Bitten.Indicators;
using Bitten.Indicators.Averages;
using Bitten.Indicators.Momentum;
using Bitten.Indicators.Volatility;

namespace Bitten.Engine.Signals;

/// <summary>
/// One symbol's indicators from <c>Bitten.Indicators</c> (the library tested against the LEAN and StockCharts files),
/// updated once per closed M5 bar from its mid prices and read by Elite Guard and every detector, so each indicator
/// is computed once however many detectors use it. The values of the last <see cref="Depth"/> bars are kept, for the
/// detectors that compare a squeeze with the bands of earlier bars.
/// </summary>
/// <remarks>
/// Streaming indicators remember every bar they have seen, so a restarted engine rebuilds its sets from the candles it
/// warms its look-back with (<see cref="EliteGuard.Warm"/>). The windowed indicators (bands, ATR(19), RSI(14), SMA(50))
/// are then functions of the same last bars as in a run that never stopped (up to the rounding of a running sum); the
/// two smoothed ones (Wilder's ATR(14), the EMA(20)) still carry their seed's error at a weight of (13/14)^286 ≈ 6e-10
/// and (19/21)^280 ≈ 7e-13 after a warm-up of 300 bars, far below the tenth of a pip a stop is rounded to.
/// </remarks>
public sealed class IndicatorSet
{
    /// <summary>Bars of values kept; VCB reads the bands 16 bars back.</summary>
    public const int Depth = 20;

    public const double BandDeviations = 2;

    private readonly AverageTrueRange _atr14 = new(14);
    private readonly AverageTrueRange _atr19 = new(19, MovingAverageType.Simple);
    private readonly BollingerBands _bands = new(20, BandDeviations);
    private readonly RelativeStrengthIndex _rsi14 = new(14, MovingAverageType.Simple);
    private readonly SimpleMovingAverage _sma50 = new(50);
    private readonly ExponentialMovingAverage _ema20 = new(20);
    private readonly RollingWindow<IndicatorValues> _values = new(Depth);
    private SymbolId _symbol;

    /// <summary>Closed bars fed since construction or the last <see cref="Reset"/>.</summary>
    public int Bars => _atr14.Samples;

    /// <summary>The values of the newest bar; default (nothing ready) before the first.</summary>
    public IndicatorValues Latest => _values.Count > 0 ? _values.Newest : default;

    /// <summary>Feeds the next closed candle of this set's symbol (oldest first).</summary>
    public void Add(in Candle candle)
    {
        var mid = candle.Mid;
        var bar = new Bar(candle.OpenTimeMs, mid.Open, mid.High, mid.Low, mid.Close);
        _atr14.Update(in bar);
        _atr19.Update(in bar);
        _bands.Update(mid.Close);
        _rsi14.Update(mid.Close);
        _sma50.Update(mid.Close);
        _ema20.Update(mid.Close);
        var ready = (_atr14.IsReady ? IndicatorReadiness.Atr14 : 0)
            | (_atr19.IsReady ? IndicatorReadiness.Atr19 : 0)
            | (_bands.IsReady ? IndicatorReadiness.Bands : 0)
            | (_rsi14.IsReady ? IndicatorReadiness.Rsi14 : 0)
            | (_sma50.IsReady ? IndicatorReadiness.Sma50 : 0)
            | (_ema20.IsReady ? IndicatorReadiness.Ema20 : 0);
        _symbol = candle.Symbol;
        _values.Add(new IndicatorValues(candle.OpenTimeMs, _atr14.Current, _atr19.Current, _bands.Middle, _bands.StandardDeviation,
            _rsi14.Current, _sma50.Current, _ema20.Current, ready));
    }

    /// <summary>The values of the bar <paramref name="ago"/> bars before the newest (0 = newest); default if not kept.</summary>
    public IndicatorValues Ago(int ago) => (uint)ago < (uint)_values.Count ? _values[ago] : default;

    /// <summary>
    /// The values of the bar <paramref name="ago"/> bars before the last of <paramref name="closed"/>, after checking
    /// that this set's newest bar is that last candle: values and candles of different bars would be a wiring bug, and
    /// a silent one, so it throws.
    /// </summary>
    public IndicatorValues Of(ReadOnlySpan<Candle> closed, int ago = 0)
    {
        if (closed.IsEmpty || _values.Count == 0 || _values.Newest.OpenTimeMs != closed[^1].OpenTimeMs || _symbol != closed[^1].Symbol)
        {
            throw new ArgumentException("the indicator set was not fed the last of these candles", nameof(closed));
        }

        return Ago(ago);
    }

    /// <summary>Back to a set that has seen nothing; the storage is kept.</summary>
    public void Reset()
    {
        _atr14.Reset();
        _atr19.Reset();
        _bands.Reset();
        _rsi14.Reset();
        _sma50.Reset();
        _ema20.Reset();
        _values.Clear();
        _symbol = default;
    }
}
