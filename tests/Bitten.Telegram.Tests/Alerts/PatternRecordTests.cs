using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Telegram.Alerts;

namespace Bitten.Telegram.Tests.Alerts;

public sealed class PatternRecordTests
{
    private static TrackedSignal Tracked(PatternType pattern, Outcome? outcome, int i) => new(
        new Signal($"S{i}", "EURUSD", new SymbolId(0), Direction.Buy, 1.1, 1.09, 1.12, 10, 20, 2, 80, pattern, 5, "LONDON", i, i + 1, i),
        outcome is { } o ? new SignalOutcome($"S{i}", o, 1.1, i + 1, o == Outcome.Win ? 20 : -10, 5, 20, 10) : null);

    [Fact]
    public void ARecordCountsOnlyThePatternsResolvedSignalsWithTheirWilsonInterval()
    {
        var history = new List<TrackedSignal>();
        for (var i = 0; i < 10; i++)
        {
            history.Add(Tracked(PatternType.BbScalp, i < 6 ? Outcome.Win : Outcome.Loss, i));
        }

        history.Add(Tracked(PatternType.BbScalp, null, 20));
        history.Add(Tracked(PatternType.VcbBreakout, Outcome.Win, 21));
        var (lower, upper) = WinRate.Wilson(6, 10);

        var record = PatternRecord.Of(history, PatternType.BbScalp);

        Assert.Equal($"60% of 10 resolved (95%: {Math.Round(lower * 100)}%–{Math.Round(upper * 100)}%)", record);
        Assert.Null(PatternRecord.Of(history, PatternType.KalmanQuickfire));
    }
}
