using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Engine.Tracking;

namespace Bitten.Engine.Tests.Tracking;

public sealed class PatternSwitchboardTests
{
    private readonly PatternSwitchboard _board = new();
    private int _next;

    private void Resolve(PatternType pattern, Outcome outcome)
    {
        var id = $"S{++_next}";
        _board.OnSignal(new Signal(id, "EURUSD", new SymbolId(0), Direction.Buy, 1.1, 1.099, 1.1015, 10, 15, 1.5, 80, pattern, 7, "LONDON", 0, 1, 0));
        _board.OnResolved(new SignalOutcome(id, outcome, 1.1, 1, outcome == Outcome.Win ? 15 : -10, 5, 0, 0));
    }

    [Fact]
    public void APatternIsSwitchedOffOnlyAfterTwentyResolvedProveItLoses()
    {
        for (var i = 0; i < 19; i++)
        {
            Resolve(PatternType.BbScalp, Outcome.Loss);
        }

        Assert.False(_board.IsDisabled(PatternType.BbScalp));
        Resolve(PatternType.BbScalp, Outcome.Loss);
        Assert.True(_board.IsDisabled(PatternType.BbScalp));
        Assert.False(_board.IsDisabled(PatternType.KalmanQuickfire));
        Assert.Equal(1, _board.Disabled);
    }

    [Fact]
    public void AWinningRecordStaysOnAndAnAdminCanKeepALoserOn()
    {
        for (var i = 0; i < 30; i++)
        {
            Resolve(PatternType.KalmanQuickfire, i % 2 == 0 ? Outcome.Win : Outcome.Loss);
            Resolve(PatternType.OrderBlockBounce, Outcome.Loss);
        }

        Assert.False(_board.IsDisabled(PatternType.KalmanQuickfire));
        Assert.True(_board.IsDisabled(PatternType.OrderBlockBounce));

        _board.KeepOn(PatternType.OrderBlockBounce, keep: true);
        Assert.False(_board.IsDisabled(PatternType.OrderBlockBounce));
        _board.KeepOn(PatternType.OrderBlockBounce, keep: false);
        Assert.True(_board.IsDisabled(PatternType.OrderBlockBounce));
    }

    [Fact]
    public void OutcomesOfSignalsItNeverSawAreIgnored()
    {
        _board.OnResolved(new SignalOutcome("unknown", Outcome.Loss, 1.1, 1, -10, 5, 0, 0));
        Assert.Equal(0, _board.Disabled);
    }
}
