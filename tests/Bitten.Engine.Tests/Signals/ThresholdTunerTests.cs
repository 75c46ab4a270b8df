using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Engine.Signals;

namespace Bitten.Engine.Tests.Signals;

public sealed class ThresholdTunerTests
{
    private const double Target = 6.5; // 65 a day over 10 symbols
    private const long Hour = 3_600_000;
    private const long M5 = 300_000;

    // Monday 6 January 2025 00:00 UTC.
    private const long Start = 1_736_121_600_000;

    private static TuneDecision Decide(double current, double perSymbolDay, int resolved = 0, int wins = 0, double rr = 1.5) =>
        ThresholdTuner.Decide(current, new TunerInputs(perSymbolDay, resolved, wins, rr), Target, 70, 78, 1);

    [Theory]
    [InlineData(6.5, 74, TuneReason.OnTarget)]
    [InlineData(8.1, 74, TuneReason.OnTarget)]   // inside the 25 % band: no hunting
    [InlineData(4.9, 74, TuneReason.OnTarget)]
    [InlineData(8.2, 75, TuneReason.TooMany)]
    [InlineData(4.8, 73, TuneReason.TooFew)]
    [InlineData(0, 73, TuneReason.TooFew)]
    public void VolumeMovesTheThresholdOneStepTowardTheTarget(double perSymbolDay, double expected, TuneReason reason)
    {
        Assert.Equal(new TuneDecision(expected, reason), Decide(74, perSymbolDay));
    }

    [Fact]
    public void AMeasuredLosingEdgeRaisesTheBarWhateverTheVolume()
    {
        // 5 wins in 20 at 1.5R: the Wilson upper bound (≈47 %) is above break-even (40 %) — not proven to lose.
        Assert.Equal(TuneReason.TooFew, Decide(74, 1, resolved: 20, wins: 5).Reason);
        // 3 wins in 20: upper bound ≈36 % < 40 %: losing, so fewer signals, never more.
        Assert.Equal(new TuneDecision(75, TuneReason.LosingEdge), Decide(74, 1, resolved: 20, wins: 3));
        // The same rate over 19 outcomes is not enough evidence.
        Assert.Equal(TuneReason.TooFew, Decide(74, 1, resolved: 19, wins: 0).Reason);
        // At 3R break-even is 25 %, so 3 in 20 (upper ≈36 %) is not proven to lose.
        Assert.Equal(TuneReason.TooFew, Decide(74, 1, resolved: 20, wins: 3, rr: 3).Reason);
    }

    [Theory]
    [InlineData(78, 20, 78)]
    [InlineData(70, 0, 70)]
    [InlineData(90, 6.5, 78)]
    [InlineData(60, 6.5, 70)]
    public void TheThresholdNeverLeavesItsRange(double current, double perSymbolDay, double expected)
    {
        Assert.Equal(expected, Decide(current, perSymbolDay).Threshold);
    }

    [Fact]
    public void RetunesHourlyAfterAFullDayOfCandles()
    {
        var tuner = new ThresholdTuner(new EliteGuardOptions { GlobalThreshold = 74 });
        var closes = 0;
        void CloseAll(long time)
        {
            for (var s = 0; s < 10; s++)
            {
                tuner.OnClose(new SymbolId(s), time);
            }

            closes++;
        }

        // A quiet first day: no signals at all, but no judgement before 24 hours have been seen.
        for (var t = Start; t < Start + (24 * Hour); t += M5)
        {
            CloseAll(t);
        }

        Assert.Equal(74, tuner.Threshold);
        Assert.Equal(0, tuner.Moves);

        CloseAll(Start + (24 * Hour));
        Assert.Equal(73, tuner.Threshold);
        Assert.Equal(TuneReason.TooFew, tuner.LastDecision.Reason);

        // Once an hour, not once a candle.
        for (var t = Start + (24 * Hour) + M5; t < Start + (25 * Hour); t += M5)
        {
            CloseAll(t);
        }

        Assert.Equal(73, tuner.Threshold);
        CloseAll(Start + (25 * Hour));
        Assert.Equal(72, tuner.Threshold);
        Assert.Equal(2, tuner.Moves);
    }

    [Fact]
    public void SignalsAndOutcomesFeedTheDecision()
    {
        var tuner = new ThresholdTuner(new EliteGuardOptions { GlobalThreshold = 74 });
        var symbol = new SymbolId(0);
        tuner.OnClose(symbol, Start);

        // One symbol, 20 signals over the day: far above 6.5 a day.
        for (var i = 0; i < 20; i++)
        {
            var time = Start + (i * Hour);
            tuner.OnClose(symbol, time);
            tuner.OnSignal(TestSignal(time));
        }

        tuner.OnClose(symbol, Start + (24 * Hour));
        Assert.Equal(new TuneDecision(75, TuneReason.TooMany), tuner.LastDecision);

        // The signals age out of the trailing day; 20 straight losses then keep raising the bar.
        for (var i = 0; i < 20; i++)
        {
            tuner.OnResolved(new SignalOutcome($"S{i}", Outcome.Loss, 1.1, Start, -10, 5, 0, 10));
        }

        tuner.OnClose(symbol, Start + (48 * Hour));
        Assert.Equal(new TuneDecision(76, TuneReason.LosingEdge), tuner.LastDecision);
    }

    [Fact]
    public void SwitchedOffItNeverMoves()
    {
        var tuner = new ThresholdTuner(new EliteGuardOptions { GlobalThreshold = 74, TuneThreshold = false });
        for (var t = Start; t < Start + (72 * Hour); t += Hour)
        {
            tuner.OnClose(new SymbolId(0), t);
        }

        Assert.Equal(74, tuner.Threshold);
        Assert.Equal(0, tuner.Moves);
    }

    [Fact]
    public void ARestoredTunerCarriesOnExactlyAsTheOneThatWasCheckpointed()
    {
        var options = new EliteGuardOptions { GlobalThreshold = 74, TunerOutcomeWindow = 30 };
        var names = new[] { "EURUSD", "GBPUSD", "XAUUSD" };
        var original = new ThresholdTuner(options);
        // The threshold after every hour fed: the path, not just where it ends.
        List<double> Feed(ThresholdTuner tuner, Func<string, SymbolId> idOf, long from, long to, int seed)
        {
            var random = new Random(seed);
            var path = new List<double>();
            for (var t = from; t < to; t += M5)
            {
                if (t % Hour == 0)
                {
                    path.Add(tuner.Threshold);
                }

                foreach (var name in names)
                {
                    tuner.OnClose(idOf(name), t);
                    if (random.Next(40) == 0)
                    {
                        tuner.OnSignal(TestSignal(t));
                    }

                    if (random.Next(30) == 0)
                    {
                        tuner.OnResolved(new SignalOutcome($"S{t}", random.Next(4) == 0 ? Outcome.Win : Outcome.Loss, 1.1, t, -10, 5, 0, 10));
                    }
                }
            }

            return path;
        }

        // Two days in, it has moved; then a checkpoint, with symbol ids that differ in the next run.
        Feed(original, n => new SymbolId(Array.IndexOf(names, n)), Start, Start + (48 * Hour), seed: 1);
        Assert.True(original.Moves > 0);
        var state = original.Snapshot(id => names[id.Value]);
        var reordered = new[] { "XAUUSD", "EURUSD", "GBPUSD" };
        var restored = new ThresholdTuner(options);
        restored.Restore(state, n => new SymbolId(Array.IndexOf(reordered, n)));
        Assert.Equal(original.Threshold, restored.Threshold);
        Assert.Equal(original.Moves, restored.Moves);

        // The next two days, fed the same to both, move both the same way at every retune.
        var originalPath = Feed(original, n => new SymbolId(Array.IndexOf(names, n)), Start + (48 * Hour), Start + (96 * Hour), seed: 2);
        var restoredPath = Feed(restored, n => new SymbolId(Array.IndexOf(reordered, n)), Start + (48 * Hour), Start + (96 * Hour), seed: 2);
        Assert.Equal(originalPath, restoredPath);
        Assert.Equal(original.Threshold, restored.Threshold);
        Assert.Equal(original.Moves, restored.Moves);
        Assert.Equal(original.LastDecision, restored.LastDecision);

        // A fresh tuner fed only the last two days would not be where they are: the state mattered.
        var fresh = new ThresholdTuner(options);
        Assert.NotEqual(originalPath, Feed(fresh, n => new SymbolId(Array.IndexOf(names, n)), Start + (48 * Hour), Start + (96 * Hour), seed: 2));
    }

    [Theory]
    [InlineData(101.0, null, null, "0-100")]
    [InlineData(null, -1.0, null, "0-100")]
    [InlineData(null, 79.0, null, "above max")]
    [InlineData(null, 75.0, null, "outside the range 75-78")]
    [InlineData(69.0, null, null, "outside the range 70-78")]
    [InlineData(double.NaN, null, null, "0-100")]
    public void AnAdminsSettingOutsideItsRangeIsRefusedWhole(double? threshold, double? min, double? max, string why)
    {
        var tuner = new ThresholdTuner(new EliteGuardOptions { GlobalThreshold = 72 });

        Assert.Contains(why, tuner.Problem(threshold, min, max), StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => tuner.Set(threshold, min, max));
        Assert.Equal(new ThresholdView(72, 70, 78, true, 0, TuneReason.OnTarget), tuner.View);
    }

    [Fact]
    public void AnAdminsRangeBoundsTheRetunesAndSurvivesACheckpointRoundTrip()
    {
        var options = new EliteGuardOptions { GlobalThreshold = 74 };
        var tuner = new ThresholdTuner(options);
        tuner.Set(82, 80, 85);
        Assert.Equal(new ThresholdView(82, 80, 85, true, 0, TuneReason.OnTarget), tuner.View);

        // A quiet day asks for a lower bar, step by step: never under the admin's 80.
        for (var t = Start; t <= Start + (30 * Hour); t += M5)
        {
            tuner.OnClose(new SymbolId(0), t);
        }

        Assert.Equal(80, tuner.Threshold);
        Assert.Equal(TuneReason.TooFew, tuner.LastDecision.Reason);

        // As the checkpointer stores it: JSON, and back.
        var json = System.Text.Json.JsonSerializer.Serialize(tuner.Snapshot(_ => "EURUSD"));
        var restored = new ThresholdTuner(options);
        restored.Restore(System.Text.Json.JsonSerializer.Deserialize<TunerState>(json)!, _ => new SymbolId(0));
        Assert.Equal(tuner.View, restored.View);

        // A range the operator configured (no admin setting) is not frozen into the checkpoint: the options decide it.
        var configured = new ThresholdTuner(options).Snapshot(_ => "EURUSD");
        Assert.Equal((null, null), (configured.Min, configured.Max));
        var moved = new ThresholdTuner(new EliteGuardOptions { GlobalThreshold = 74, ThresholdMin = 72, ThresholdMax = 76 });
        moved.Restore(configured, _ => new SymbolId(0));
        Assert.Equal((72, 76), (moved.Min, moved.Max));
    }

    private static Signal TestSignal(long time) => new(
        SignalIds.Create(SignalClass.Rapid, PatternType.BbScalp, "EURUSD", time), "EURUSD", new SymbolId(0), Direction.Buy,
        1.1, 1.099, 1.1015, 10, 15, 1.5, 86, PatternType.BbScalp, 7, "LONDON", time, time + 1_800_000, time);
}
