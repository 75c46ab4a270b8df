using System.Text.Json;
using Bitten.Domain.Signals;
using Bitten.Engine.Tracking;

namespace Bitten.Engine.Tests.Tracking;

public sealed class TrackingJournalTests
{
    // 2025-09-16T03:28:10.776Z, the seed's example instant.
    private const long SignalMs = 1_757_993_290_776;

    [Fact]
    public void ALineHasTheSeedFieldsInOrderThenOursRoundedToAPipette()
    {
        var signal = Signal("ELITE_RAPID_KALMAN_QUICKFIRE_USDCNH_1757993290776", PatternType.KalmanQuickfire, Direction.Buy, 73.4, 7.25);
        var outcome = new SignalOutcome(signal.SignalId, Outcome.Win, 7.13245, SignalMs + 11_376_000, 18.999999999, 189.6000001, 21.04, 3.96);

        var line = TrackingJournal.Line(signal, outcome);

        Assert.Equal(
            """{"signal_id":"ELITE_RAPID_KALMAN_QUICKFIRE_USDCNH_1757993290776","symbol":"USDCNH","direction":"BUY","pattern_type":"KALMAN_QUICKFIRE","confidence":73.4,"outcome":"WIN","pips_result":19,"timestamp":1757993290,"datetime":"2025-09-16T03:28:10.776Z","trade_duration_minutes":189.6,"exit_price":7.13245,"max_favourable_pips":21,"max_adverse_pips":4,"citadel_score":7.3}""",
            line);
    }

    [Fact]
    public void ALossKeepsItsSignAndASellItsDirection()
    {
        var signal = Signal("ELITE_SNIPER_ORDER_BLOCK_BOUNCE_USDCNH_1", PatternType.OrderBlockBounce, Direction.Sell, 81, 4);
        var outcome = new SignalOutcome(signal.SignalId, Outcome.Loss, 7.2, SignalMs + 60_000, -12.35, 1, 0, 12.35);

        using var json = JsonDocument.Parse(TrackingJournal.Line(signal, outcome));
        var root = json.RootElement;

        Assert.Equal("SELL", root.GetProperty("direction").GetString());
        Assert.Equal("ORDER_BLOCK_BOUNCE", root.GetProperty("pattern_type").GetString());
        Assert.Equal("LOSS", root.GetProperty("outcome").GetString());
        Assert.Equal(-12.4, root.GetProperty("pips_result").GetDouble());
        Assert.Equal(12.4, root.GetProperty("max_adverse_pips").GetDouble());
        Assert.Equal(81, root.GetProperty("confidence").GetDouble());
        Assert.Equal(1, root.GetProperty("trade_duration_minutes").GetDouble());
    }

    [Fact]
    public void ALineIsOneLineOfJson()
    {
        var signal = Signal("ELITE_RAPID_BB_SCALP_USDCNH_1", PatternType.BbScalp, Direction.Buy, 75, 5);

        var line = TrackingJournal.Line(signal, new SignalOutcome(signal.SignalId, Outcome.Win, 7.1, SignalMs, 10, 5, 10, 0));

        Assert.DoesNotContain("\n", line, StringComparison.Ordinal);
        Assert.DoesNotContain("\r", line, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOutcomeOfAnotherSignalIsRefused()
    {
        var signal = Signal("A", PatternType.BbScalp, Direction.Buy, 75, 5);

        Assert.Throws<ArgumentException>(() => TrackingJournal.Line(signal, new SignalOutcome("B", Outcome.Win, 7.1, SignalMs, 10, 5, 10, 0)));
    }

    private static Signal Signal(string id, PatternType pattern, Direction direction, double confidence, double citadel) =>
        new(id, "USDCNH", default, direction, 7.12, 7.11, 7.14, 10, 20, 2, confidence, pattern, citadel, "ASIAN", SignalMs, SignalMs + 1_800_000, SignalMs);
}
