using Bitten.Domain.Market;
using Bitten.Domain.Primitives;
using Bitten.Engine.Signals;
using Bitten.Engine.Signals.Patterns;
using Bitten.Engine.Tests.Signals.Patterns;

namespace Bitten.Engine.Tests.Signals;

public sealed class IndicatorSetTests
{
    private static Candle[] Real => RapidCandles.RealM5(RapidCandles.EurUsdFeed);

    [Fact]
    public void EachIndicatorIsReadyOnTheBarItsDefinitionNeedsAndReadsZeroBefore()
    {
        var set = new IndicatorSet();
        var readyAt = new Dictionary<IndicatorReadiness, int>();
        for (var i = 0; i < 60; i++)
        {
            set.Add(in Real[i]);
            foreach (var flag in Enum.GetValues<IndicatorReadiness>().Where(f => f != IndicatorReadiness.None))
            {
                if (set.Latest.Has(flag))
                {
                    readyAt.TryAdd(flag, i + 1);
                }
            }
        }

        // Bars fed when each is first ready: ATR(n) after n bars, bands and averages after n closes, RSI after n changes.
        Assert.Equal(14, readyAt[IndicatorReadiness.Atr14]);
        Assert.Equal(19, readyAt[IndicatorReadiness.Atr19]);
        Assert.Equal(20, readyAt[IndicatorReadiness.Bands]);
        Assert.Equal(15, readyAt[IndicatorReadiness.Rsi14]);
        Assert.Equal(50, readyAt[IndicatorReadiness.Sma50]);
        Assert.Equal(20, readyAt[IndicatorReadiness.Ema20]);
        Assert.Equal(0, set.Ago(59 - 48).Sma50);
        Assert.Equal(0, set.Ago(59 - 12).Atr14);
    }

    [Fact]
    public void ValuesAreTheDefinitionsTheDetectorsDocumentWorkedOutByHand()
    {
        const int bars = 120;
        var set = RapidCandles.Indicators(Real.AsSpan(0, bars));
        var v = set.Latest;
        var mids = Real[..bars].Select(c => c.Mid).ToArray();
        var closes = mids.Select(m => m.Close).ToArray();
        var trueRanges = mids.Select((m, i) => i == 0
            ? m.High - m.Low
            : Math.Max(m.High - m.Low, Math.Max(Math.Abs(m.High - closes[i - 1]), Math.Abs(m.Low - closes[i - 1])))).ToArray();

        // Wilder's ATR(14): the mean of the first 14 true ranges (the first bar's is its high − low), then atr + (tr − atr) / 14.
        var wilder = trueRanges.Skip(14).Aggregate(trueRanges.Take(14).Average(), (atr, tr) => (tr / 14) + (atr * (1 - (1.0 / 14))));
        Assert.Equal(wilder, v.Atr14, 1e-12);

        // ATR(19) and RSI(14) by simple means of the last 19 true ranges and of the last 14 gains and losses.
        Assert.Equal(trueRanges[^19..].Average(), v.Atr19, 1e-12);
        var moves = closes.Skip(bars - 15).Zip(closes.Skip(bars - 14), (a, b) => b - a).ToArray();
        var gain = moves.Where(m => m > 0).Sum() / 14;
        var loss = -moves.Where(m => m < 0).Sum() / 14;
        Assert.Equal(100 - (100 / (1 + (gain / loss))), v.Rsi14, 1e-9);

        // Bollinger (20, 2) on the population deviation; SMA(50); EMA(20) seeded by the SMA of the first 20 closes.
        var last20 = closes[^20..];
        var mean = last20.Average();
        var deviation = Math.Sqrt(last20.Select(c => (c - mean) * (c - mean)).Average());
        Assert.Equal(mean, v.BandMiddle, 1e-12);
        Assert.Equal(deviation, v.BandDeviation, 1e-12);
        Assert.Equal(mean + (2 * deviation), v.BandUpper, 1e-12);
        Assert.Equal(4 * deviation, v.BandWidth, 1e-12);
        Assert.Equal(closes[^50..].Average(), v.Sma50, 1e-12);
        var ema = closes.Skip(20).Aggregate(closes.Take(20).Average(), (e, c) => (c * (2.0 / 21)) + (e * (1 - (2.0 / 21))));
        Assert.Equal(ema, v.Ema20, 1e-12);
    }

    [Fact]
    public void KeepsTheValuesOfTheLastTwentyBarsNewestFirst()
    {
        var set = RapidCandles.Indicators(Real.AsSpan(0, 30));
        Assert.Equal(30, set.Bars);
        for (var ago = 0; ago < IndicatorSet.Depth; ago++)
        {
            Assert.Equal(Real[29 - ago].OpenTimeMs, set.Ago(ago).OpenTimeMs);
        }

        Assert.Equal(default, set.Ago(IndicatorSet.Depth));
        Assert.Equal(RapidCandles.Indicators(Real.AsSpan(0, 25)).Latest, set.Ago(5));
    }

    [Fact]
    public void RefusesToBeReadForCandlesItWasNotFedUpTo()
    {
        var set = RapidCandles.Indicators(Real.AsSpan(0, 40));
        Assert.Equal(set.Latest, set.Of(Real.AsSpan(0, 40)));
        Assert.Equal(set.Ago(3), set.Of(Real.AsSpan(0, 40), 3));
        Assert.Throws<ArgumentException>(() => set.Of(Real.AsSpan(0, 39)));
        Assert.Throws<ArgumentException>(() => set.Of(Real.AsSpan(0, 41)));
        var otherSymbol = Real[..40];
        otherSymbol[^1] = otherSymbol[^1] with { Symbol = new SymbolId(5) };
        Assert.Throws<ArgumentException>(() => set.Of(otherSymbol));
        Assert.Throws<ArgumentException>(() => new IndicatorSet().Of(Real.AsSpan(0, 40)));
    }

    [Fact]
    public void ResetForgetsEveryBar()
    {
        var set = RapidCandles.Indicators(Real.AsSpan(0, 60));
        set.Reset();
        Assert.Equal(0, set.Bars);
        Assert.Equal(default, set.Latest);
        foreach (var candle in Real.AsSpan(100, 60))
        {
            set.Add(in candle);
        }

        Assert.Equal(RapidCandles.Indicators(Real.AsSpan(100, 60)).Latest, set.Latest);
    }

    [Theory]
    [InlineData(RapidCandles.EurUsdFeed, "EURUSD")]
    [InlineData(RapidCandles.XauUsdFeed, "XAUUSD")]
    public void ASetRebuiltFromTheWarmUpCandlesReadsWhatASetThatNeverStoppedReads(string feed, string symbol)
    {
        // A restart warms Elite Guard with the newest HistoryCandles (300) stored candles; the set is rebuilt from them.
        var candles = RapidCandles.RealM5(feed);
        var history = new EliteGuardOptions().HistoryCandles;
        var spec = RapidCandles.Spec(symbol);
        IPatternDetector[] detectors = [new BbScalp(), new VcbBreakout(), new KalmanQuickfire()];
        var compared = 0;
        foreach (var restart in new[] { 1_000, 2_000, candles.Length - 500 })
        {
            var never = RapidCandles.Indicators(candles.AsSpan(0, restart));
            var restarted = RapidCandles.Indicators(candles.AsSpan(restart - history, history));
            for (var k = restart; k < restart + 500; k++)
            {
                never.Add(in candles[k]);
                restarted.Add(in candles[k]);
                var a = never.Latest;
                var b = restarted.Latest;

                // The windowed indicators read the same bars (up to a running sum's rounding); the smoothed ones
                // differ by their seed's leftover weight, (13/14)^286 for the ATR(14), (19/21)^280 for the EMA(20).
                Assert.Equal(a.Ready, b.Ready);
                Assert.Equal(a.Atr19, b.Atr19, a.Atr19 * 1e-12);
                Assert.Equal(a.BandDeviation, b.BandDeviation, a.BandDeviation * 1e-12);
                Assert.Equal(a.Rsi14, b.Rsi14, 1e-9);
                Assert.Equal(a.Sma50, b.Sma50, a.Sma50 * 1e-12);
                Assert.Equal(a.Atr14, b.Atr14, a.Atr14 * 1e-9);
                Assert.Equal(a.Ema20, b.Ema20, a.Ema20 * 1e-12);

                var prefix = candles.AsSpan(0, k + 1);
                var session = TradingSessions.At(candles[k].CloseTimeMs);
                foreach (var detector in detectors)
                {
                    var x = detector.Detect(prefix, new DetectorContext(spec, session, never));
                    var y = detector.Detect(prefix, new DetectorContext(spec, session, restarted));
                    Assert.Equal(x.HasValue, y.HasValue);
                    if (x is { } first && y is { } second)
                    {
                        Assert.Equal((first.Pattern, first.Direction, first.EntryPrice), (second.Pattern, second.Direction, second.EntryPrice));
                        Assert.Equal(first.Confidence, second.Confidence, 1e-9);
                        compared++;
                    }
                }
            }
        }

        Assert.True(compared > 0, "no reading was compared");
    }
}
