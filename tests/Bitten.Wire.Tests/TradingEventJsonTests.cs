using System.Text.Json;
using System.Reflection;
using Bitten.Domain.Events;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Domain.Trading;
using Bitten.Wire.Events;
using Bitten.Wire.Signals;

namespace Bitten.Wire.Tests;

/// <summary>
/// The one mapping from typed events to the §7 envelope: every record has one, every envelope passes our own
/// validation, and the wire JSON of the events the desk wrote before it had types is unchanged.
/// </summary>
public sealed class TradingEventJsonTests
{
    private const long T = 1_704_189_600_000;

    private static readonly Signal SampleSignal = new("ELITE_RAPID_BB_SCALP_EURUSD_1704189600000", "EURUSD", new SymbolId(0), Direction.Buy,
        1.1, 1.098, 1.103, 20, 30, 1.5, 85, PatternType.BbScalp, 7, "LONDON", T, T + 1_800_000, T);

    public static TheoryData<string> EveryEventRecord()
    {
        var data = new TheoryData<string>();
        foreach (var type in EventRecords())
        {
            data.Add(type.Name);
        }

        return data;
    }

    private static IEnumerable<Type> EventRecords() => typeof(TradingEvent).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(TradingEvent)) && !t.IsAbstract)
        .OrderBy(t => t.Name, StringComparer.Ordinal);

    [Fact]
    public void TheDomainHasTheEventRecordsTheDesignNames()
    {
        var names = EventRecords().Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var expected in new[] { "SignalRaised", "MissionCreated", "FireSent", "FireFilled", "FireFailed", "PositionClosed", "SlotReleased",
                     "RiskBlocked", "BalanceUpdated", "AdminActed", "XpAwarded", "AchievementUnlocked" })
        {
            Assert.Contains(expected, names);
        }
    }

    [Theory]
    [MemberData(nameof(EveryEventRecord))]
    public void EveryRecordMapsToAnEnvelopeThatPassesValidation(string name)
    {
        var type = EventRecords().Single(t => t.Name == name);
        foreach (var withNulls in new[] { false, true })
        {
            var e = Sample(type, withNulls);
            var envelope = TradingEventJson.ToEnvelope(e);
            Assert.True(EventTypes.IsKnown(envelope.EventType));
            Assert.Equal(e.TimeMs, envelope.TimestampMs);
            var parsed = EventJson.Parse(EventJson.Write(envelope), out var error);
            Assert.True(parsed is not null, $"{name} (nulls: {withNulls}) → {envelope.EventType} {envelope.DataJson}: {error}");
            Assert.Equal(envelope.DataJson, parsed.DataJson);
            Assert.False(string.IsNullOrWhiteSpace(TradingEventJson.Describe(e)));
        }
    }

    [Fact]
    public void AnEventWithoutAMappingIsAnErrorNotADrop()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => TradingEventJson.ToEnvelope(new Unmapped(T)));
        Assert.Contains("TradingEventJson", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheWireJsonIsWhatTheStringEventsWrote()
    {
        AssertWire(new FireSent(T, 7, "F7-9", "M1", "S1", "EA_7", "EURUSD", Direction.Buy, 0.5m, 1.098, 1.103, FireSource.Auto, 1),
            "fire_command", "F7-9", "7",
            """{"fire_id":"F7-9","mission_id":"M1","signal_id":"S1","user_id":"7","symbol":"EURUSD","direction":"BUY","lot_size":0.5,"execution_mode":"AUTO","sl_price":1.098,"tp_price":1.103}""");
        AssertWire(new MissionCreated(T, 7, "M1", "S1", "EURUSD", 85), "mission_created", "M1", "7",
            """{"mission_id":"M1","signal_id":"S1","user_id":"7"}""");
        AssertWire(new FireFailed(T, 7, "M1", "S1", null, "EURUSD", FireRefusal.NoFreeSlot, "All 1 of your slots are in use.", FireSource.Auto),
            "fire_failed", "M1", "7",
            """{"user_id":"7","reason":"no_free_slot","fire_id":null,"message":"auto fire refused: no_free_slot: All 1 of your slots are in use."}""");
        AssertWire(new SlotReleased(T, 7, "F7-9", SlotReleaseReason.MissingFromHeartbeat, 2, 10), "slot_released", "F7-9", "7",
            """{"user_id":"7","reason":"missing_from_heartbeat","fire_id":"F7-9","message":"slot released: missing_from_heartbeat (2/10 used)"}""");
        AssertWire(new PositionClosed(T, 7, "M1", "F7-9", 5001, "EURUSD", Direction.Buy, 0.5m, PositionCloseReason.TakeProfit, 1.103, 30m),
            "position_closed", "F7-9", "7", """{"ticket":5001,"fire_id":"F7-9","mission_id":"M1","reason":"TP"}""");
        AssertWire(new FireFilled(T, 7, "F7-9", "M1", "EURUSD", Direction.Sell, 0.5m, 5001, 1.1001, 1.103, 1.098, FillEvidence.Confirmation),
            "trade_executed", "F7-9", "7",
            """{"fire_id":"F7-9","mission_id":"M1","ticket":5001,"symbol":"EURUSD","direction":"SELL","volume":0.5,"open_price":1.1001,"execution_time":1704189600000,"sl_price":1.103,"tp_price":1.098}""");
        AssertWire(new BalanceUpdated(T, 7, "EA_7", 10_030m, 10_031.5m), "balance_update", null, "7",
            """{"user_id":"7","account_number":"EA_7","balance":10030,"equity":10031.5}""");
        AssertWire(new MissionExpired(T, 7, "M1", "S1"), "signal_expired", "M1", "7", """{"signal_id":"S1","mission_id":"M1"}""");
        AssertWire(new EmergencyStopChanged(T, EmergencyStop.Hard), "system_health", null, null,
            """{"component":"execution","status":"running","message":"emergency stop: HARD"}""");
        AssertWire(new AdminActed(T, 1, AdminActions.PatternKeepOn, "BB_SCALP", "KEEP_ON", "NONE"), "user_action", null, "1",
            """{"user_id":"1","action":"pattern_keep_on","target":"BB_SCALP","value":"KEEP_ON","previous":"NONE"}""");
        AssertWire(new SignalResolved(new SignalOutcome("S1", Outcome.Win, 1.103, T, 30.04, 12.345, 30.04, 2.26)), "signal_resolved", "S1", null,
            """{"signal_id":"S1","outcome":"WIN","pips":30,"exit_price":1.103,"duration_minutes":12.3,"max_favourable_pips":30,"max_adverse_pips":2.3}""");
    }

    [Fact]
    public void AFireClosedWhileTheServerWasAwayIsStoredByItsFireIdWithoutATicket()
    {
        var envelope = TradingEventJson.ToEnvelope(new PositionClosed(T, 7, "M1", "F7-9", 0, "EURUSD", Direction.Buy, 0.5m,
            PositionCloseReason.ClosedAway, null, null));
        Assert.Equal("""{"fire_id":"F7-9","mission_id":"M1","reason":"CLOSED_AWAY"}""", envelope.DataJson);
        Assert.NotNull(EventJson.Parse(EventJson.Write(envelope), out _));
        // Neither a ticket nor a fire id says nothing about which position closed: refused.
        Assert.Null(EventJson.Parse("""{"event_type":"position_closed","timestamp":1704189600000,"source":"x","data":{"reason":"TP"}}"""u8, out var error));
        Assert.Equal("missing:data.fire_id", error);
    }

    private static void AssertWire(TradingEvent e, string type, string? correlation, string? user, string data)
    {
        var envelope = TradingEventJson.ToEnvelope(e);
        Assert.Equal((type, correlation, user, data, TradingEventJson.Source), (envelope.EventType, envelope.CorrelationId, envelope.UserId, envelope.DataJson, envelope.Source));
    }

    /// <summary>One instance of a record with a plausible value for each parameter (or null for every nullable one).</summary>
    private static TradingEvent Sample(Type type, bool withNulls)
    {
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var nullability = new NullabilityInfoContext();
        var args = constructor.GetParameters().Select(p =>
        {
            var nullable = Nullable.GetUnderlyingType(p.ParameterType) is not null
                || (!p.ParameterType.IsValueType && nullability.Create(p).WriteState == NullabilityState.Nullable);
            return withNulls && nullable ? null : Value(Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType, p.Name!);
        }).ToArray();
        return (TradingEvent)constructor.Invoke(args);
    }

    private static object Value(Type type, string name) => type switch
    {
        _ when type == typeof(string) => name.Contains("Symbol", StringComparison.Ordinal) ? "EURUSD" : name.Contains("Fire", StringComparison.Ordinal) ? "F1-2" : "X1",
        _ when type == typeof(long) => name.Contains("Time", StringComparison.Ordinal) ? T : 42L,
        _ when type == typeof(int) => 1,
        _ when type == typeof(double) => 1.1,
        _ when type == typeof(decimal) => 0.5m,
        _ when type == typeof(bool) => true,
        _ when type == typeof(Signal) => SampleSignal,
        _ when type == typeof(SignalOutcome) => new SignalOutcome(SampleSignal.SignalId, Outcome.Loss, 1.098, T, -20, 5, 3, 20),
        _ when type.IsEnum => Enum.GetValues(type).GetValue(Enum.GetValues(type).Length - 1)!,
        _ => throw new InvalidOperationException($"no sample value for {type.Name} {name}: add one"),
    };

    [Fact]
    public void ASignalsScoreIsStoredWithItAndReadsBackWhole()
    {
        var score = new SignalScore(70, 5.5, 3.25, 2, 8, -0.05, 1.3, 8.3, 3.5, 3, 1.3, 0.5);
        var envelope = TradingEventJson.ToEnvelope(new SignalRaised(SampleSignal with { Score = score }));

        Assert.True(EventJson.Parse(EventJson.Write(envelope), out var error) is not null, error);
        using var document = JsonDocument.Parse(envelope.DataJson);
        Assert.Equal(score, SignalScoreJson.Read(document.RootElement.GetProperty("score")));
        Assert.Equal(score.Total, document.RootElement.GetProperty("score").GetProperty("confidence").GetProperty("total").GetDouble());
        using var unscored = JsonDocument.Parse(TradingEventJson.ToEnvelope(new SignalRaised(SampleSignal)).DataJson);
        Assert.False(unscored.RootElement.TryGetProperty("score", out _));
    }

    [Fact]
    public void AnAdminActionIsAUserActionThatPassesTheReferenceRule()
    {
        var envelope = TradingEventJson.ToEnvelope(new AdminActed(T, 1, AdminActions.Threshold, "global", "threshold 72 (70-78)", "threshold 70 (70-78)"));
        var parsed = EventJson.Parse(EventJson.Write(envelope), out var error);

        Assert.True(parsed is not null, error);
        Assert.Equal(EventTypes.UserAction, parsed.EventType);
        Assert.Equal("admin 1: threshold global threshold 70 (70-78) -> threshold 72 (70-78)",
            TradingEventJson.Describe(new AdminActed(T, 1, AdminActions.Threshold, "global", "threshold 72 (70-78)", "threshold 70 (70-78)")));
        // The reference's rule: user_id and action are required.
        Assert.Null(EventJson.Parse("""{"event_type":"user_action","timestamp":1704189600000,"source":"x","data":{"user_id":"1","target":"BB_SCALP"}}"""u8, out var missing));
        Assert.Equal("missing:data.action", missing);
    }

    [Fact]
    public void AwardsAreUserActionsThatPassValidationAndReadBackWhole()
    {
        TradingEvent[] awards =
        [
            new XpAwarded(T, 7, XpCause.WinStreak, 50, "streak3:F7-9", 1_275, 5),
            new AchievementUnlocked(T, 7, Achievement.PatternExplorer, "pattern:F7-9"),
        ];
        AssertWire(awards[0], "user_action", "streak3:F7-9", "7",
            """{"user_id":"7","action":"xp_awarded","cause":"win_streak","xp":50,"cause_key":"streak3:F7-9","total_xp":1275,"level":5}""");
        AssertWire(awards[1], "user_action", "pattern:F7-9", "7",
            """{"user_id":"7","action":"achievement_unlocked","achievement":"pattern_explorer","cause_key":"pattern:F7-9"}""");
        foreach (var award in awards)
        {
            var parsed = EventJson.Parse(EventJson.Write(TradingEventJson.ToEnvelope(award)), out var error);
            Assert.True(parsed is not null, error);
            Assert.Equal(award, ProgressionJson.Read(parsed.TimestampMs, parsed.DataJson));
        }

        Assert.Equal("+50 XP for win_streak (streak3:F7-9): 1275 XP, level 5", TradingEventJson.Describe(awards[0]));
        Assert.Equal("achievement unlocked: pattern_explorer (pattern:F7-9)", TradingEventJson.Describe(awards[1]));
    }

    [Theory]
    [InlineData("""{"user_id":"1","action":"pattern_keep_on","target":"BB_SCALP"}""")]
    [InlineData("""{"user_id":"7","action":"xp_awarded","cause":"luck","xp":50,"cause_key":"k"}""")]
    [InlineData("""{"user_id":"7","action":"xp_awarded","cause":"take_profit","cause_key":"k"}""")]
    [InlineData("""{"user_id":"x","action":"achievement_unlocked","achievement":"first_fire","cause_key":"k"}""")]
    [InlineData("""{"user_id":"7","action":"achievement_unlocked","achievement":"first_million","cause_key":"k"}""")]
    [InlineData("""not json""")]
    [InlineData("""[1]""")]
    public void AnythingButAReadableAwardReadsAsNothing(string data) => Assert.Null(ProgressionJson.Read(T, data));

    private sealed record Unmapped(long TimeMs) : TradingEvent(TimeMs);
}
