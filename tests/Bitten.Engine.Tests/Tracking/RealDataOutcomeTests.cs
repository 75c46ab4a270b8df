using Bitten.Domain.Market;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Engine.Tracking;
using Bitten.Simulation.Replay;
using Bitten.Testing;

namespace Bitten.Engine.Tests.Tracking;

/// <summary>
/// The tracker on a real day of OANDA EURUSD ticks: a BUY at the ask and a SELL at the bid every hour, 10-pip stop,
/// 15-pip target. Every outcome is checked against a plain scan of the ticks written here, independently of the
/// tracker's per-symbol bookkeeping.
/// </summary>
public class RealDataOutcomeTests
{
    private const double Pip = 0.0001;
    private const double StopPips = 10;
    private const double TargetPips = 15;

    /// <summary>
    /// Signals open on the first day only; the following days are there so that the quiet ones resolve too
    /// (5 May 2014 alone leaves two thirds of them open), which also shows every signal reaching an outcome.
    /// </summary>
    private const int FollowDays = 5;

    private static readonly SymbolId Symbol = new(3);

    [Fact]
    public void EveryOutcomeOnADayOfEurUsdMatchesAScanOfTheTicks()
    {
        var day = new DateOnly(2014, 5, 5);
        var ticks = LoadDays(day, FollowDays);
        Assert.True(ticks.Length > 10_000, $"only {ticks.Length} ticks");

        // Open at the first tick of each hour.
        var dayStart = new DateTimeOffset(day, TimeOnly.MinValue, TimeSpan.Zero).ToUnixTimeMilliseconds();
        var opens = new List<(int TickIndex, Signal Signal)>();
        for (var hour = 0; hour < 24; hour++)
        {
            var index = Array.FindIndex(ticks, t => t.TimeMs >= dayStart + (hour * 3_600_000L));
            if (index < 0)
            {
                break;
            }

            var t = ticks[index];
            opens.Add((index, Make(Direction.Buy, t.Ask, t.TimeMs)));
            opens.Add((index, Make(Direction.Sell, t.Bid, t.TimeMs)));
        }

        Assert.True(opens.Count >= 40, $"only {opens.Count} signals opened");

        var sink = new RecordingOutcomeSink();
        var tracker = new OutcomeTracker(sink);
        var next = 0;
        for (var i = 0; i < ticks.Length; i++)
        {
            while (next < opens.Count && opens[next].TickIndex == i)
            {
                tracker.Track(opens[next++].Signal, Pip);
            }

            tracker.OnTick(new Tick(Symbol, ticks[i].Bid, ticks[i].Ask, ticks[i].TimeMs, ticks[i].TimeMs));
        }

        var actual = sink.Outcomes.ToDictionary(o => o.SignalId, StringComparer.Ordinal);
        Assert.Equal(sink.Outcomes.Count, actual.Count);
        var expectedResolved = 0;
        foreach (var (index, signal) in opens)
        {
            var expected = Scan(ticks, index, signal);
            if (expected is null)
            {
                Assert.True(tracker.IsOpen(signal.SignalId), $"{signal.SignalId} never reached a level but was resolved");
                Assert.False(actual.ContainsKey(signal.SignalId));
                continue;
            }

            expectedResolved++;
            Assert.True(actual.TryGetValue(signal.SignalId, out var outcome), $"{signal.SignalId} reached a level but is still open");
            var e = expected.Value;
            Assert.Equal((signal.SignalId, e.Outcome, e.ExitPrice, e.ExitTimeMs), (outcome.SignalId, outcome.Outcome, outcome.ExitPrice, outcome.ExitTimeMs));
            Assert.Equal(e.Pips, outcome.Pips, 9);
            Assert.Equal(e.MaxFavourablePips, outcome.MaxFavourablePips, 9);
            Assert.Equal(e.MaxAdversePips, outcome.MaxAdversePips, 9);
            Assert.Equal(e.DurationMinutes, outcome.DurationMinutes, 9);
        }

        Assert.Equal(expectedResolved, sink.Outcomes.Count);
        Assert.Equal(opens.Count - expectedResolved, tracker.OpenCount);
        Assert.True(expectedResolved == opens.Count, $"{opens.Count - expectedResolved} of {opens.Count} signals never reached a level in {FollowDays} days");
        // Enough of both kinds that the comparison exercised both branches.
        Assert.True(sink.Outcomes.Count(o => o.Outcome == Outcome.Win) >= 5, "too few wins to mean anything");
        Assert.True(sink.Outcomes.Count(o => o.Outcome == Outcome.Loss) >= 5, "too few losses to mean anything");
    }

    private static RecordedTick[] LoadDays(DateOnly first, int days)
    {
        var all = new List<RecordedTick>();
        for (var d = first; d < first.AddDays(days); d = d.AddDays(1))
        {
            var name = $"ticks/oanda-fx/eurusd/{d:yyyyMMdd}_quote.zip";
            var ticks = new TickFile(SharedData.Path(name), "EURUSD", TickFileFormat.LeanZip, d, TimeSpan.Zero).Load(out var skipped);
            Assert.True(skipped == 0, $"{name}: {skipped} unreadable lines");
            Assert.True(all.Count == 0 || ticks.Length == 0 || ticks[0].TimeMs >= all[^1].TimeMs, $"{name} starts before the previous file ends");
            all.AddRange(ticks);
        }

        return [.. all];
    }

    /// <summary>The rule written out plainly: the first tick from entry on whose exit side reaches a level.</summary>
    private static SignalOutcome? Scan(RecordedTick[] ticks, int from, Signal signal)
    {
        var buy = signal.Direction == Direction.Buy;
        double favourable = 0, adverse = 0;
        for (var i = from; i < ticks.Length; i++)
        {
            var price = buy ? ticks[i].Bid : ticks[i].Ask;
            var pips = (buy ? price - signal.EntryPrice : signal.EntryPrice - price) / Pip;
            favourable = Math.Max(favourable, pips);
            adverse = Math.Max(adverse, -pips);
            var stop = buy ? price <= signal.StopLoss : price >= signal.StopLoss;
            var target = buy ? price >= signal.TakeProfit : price <= signal.TakeProfit;
            if (stop || target)
            {
                return new SignalOutcome(signal.SignalId, stop ? Outcome.Loss : Outcome.Win, price, ticks[i].TimeMs, pips,
                    (ticks[i].TimeMs - signal.TimestampMs) / 60_000.0, favourable, adverse);
            }
        }

        return null;
    }

    private static Signal Make(Direction direction, double entry, long atMs)
    {
        var sign = direction.Sign();
        var pattern = PatternType.VcbBreakout;
        return new Signal(SignalIds.Create(pattern.Class(), pattern, "EURUSD", atMs) + "_" + direction.WireName(), "EURUSD", Symbol, direction,
            entry, entry - (sign * StopPips * Pip), entry + (sign * TargetPips * Pip), StopPips, TargetPips, TargetPips / StopPips,
            Confidence: 75, pattern, CitadelScore: 5, Session: "TEST", TimestampMs: atMs, ExpiresAtMs: atMs + (30 * UnixMs.Minute), ReceivedTimeMs: atMs);
    }
}
