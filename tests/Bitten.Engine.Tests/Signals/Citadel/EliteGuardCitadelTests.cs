using Bitten.Domain.Market;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Engine.Signals;
using Bitten.Engine.Signals.Patterns;
using static Bitten.Engine.Tests.Signals.Citadel.ZoneCandles;

namespace Bitten.Engine.Tests.Signals.Citadel;

/// <summary>CITADEL inside Elite Guard: a BUY right under a revisited high is held, then released or dropped.</summary>
public sealed class EliteGuardCitadelTests
{
    private readonly SymbolRegistry _symbols = new();
    private readonly List<Signal> _raised = [];
    private readonly EliteGuard _guard;

    public EliteGuardCitadelTests()
    {
        Assert.Equal(0, _symbols.GetOrAdd("EURUSD").Value);
        _guard = new EliteGuard(_symbols, SymbolCatalogue.Default, [new BuyAt(20)], SignalRules.Default, SignalGate.Default(),
            new EliteGuardOptions(), new Collect(_raised));
    }

    /// <summary>Flat candles with a swing high at +8 pips (index 10) revisited at index 15, then the BUY candle closing at +4.</summary>
    private static IEnumerable<Candle> UnderTheHigh()
    {
        for (var i = 0; i < 20; i++)
        {
            yield return i is 10 or 15 ? Bar(i, 8, -5, 0) : Bar(i, 5, -5, 0);
        }

        yield return Bar(20, 5, -5, 4);
    }

    private void Feed(IEnumerable<Candle> candles)
    {
        foreach (var candle in candles)
        {
            _guard.OnCandleClosed(candle);
        }
    }

    [Fact]
    public void ABuyUnderOpposingLiquidityIsHeldAndReleasedWhenPriceClosesThroughIt()
    {
        Feed(UnderTheHigh());
        Assert.Empty(_raised);
        Assert.Equal(1, _guard.Held);

        Feed([Bar(21, 13, 3, 12)]);

        var signal = Assert.Single(_raised);
        Assert.Equal(1, _guard.Released);
        Assert.Equal(Direction.Buy, signal.Direction);
        Assert.Equal(Price(12), signal.EntryPrice, 10);
        Assert.Equal(StartMs + (22 * M5Ms), signal.TimestampMs);
        Assert.Equal($"ELITE_RAPID_KALMAN_QUICKFIRE_EURUSD_{signal.TimestampMs}", signal.SignalId);
        // Released above a broken zone: clear air again, so the shield is back to about neutral.
        Assert.InRange(signal.CitadelScore, 6, 8);
        Assert.Equal(signal.EntryPrice - (signal.StopPips * Pip), signal.StopLoss, 10);
    }

    [Fact]
    public void AHoldThatIsNotClearedWithinTenMinutesIsDropped()
    {
        Feed(UnderTheHigh());
        Feed([Bar(21, 5, -5, 0), Bar(22, 5, -5, 0), Bar(23, 5, -5, 0), Bar(24, 13, 3, 12)]);

        Assert.Empty(_raised);
        Assert.Equal(1, _guard.Held);
        Assert.Equal(1, _guard.HoldsExpired);
        Assert.Equal(0, _guard.Released);
    }

    [Fact]
    public void WithoutTheRevisitTheHighIsNoLiquidityAndTheBuyGoesAtOnce()
    {
        Feed(UnderTheHigh().Select(c => c.OpenTimeMs == StartMs + (15 * M5Ms) ? Bar(15, 5, -5, 0) : c));

        var signal = Assert.Single(_raised);
        Assert.Equal(0, _guard.Held);
        Assert.Equal(Price(4), signal.EntryPrice, 10);
    }

    private sealed class Collect(List<Signal> raised) : ISignalSink
    {
        public void OnSignal(Signal signal) => raised.Add(signal);
    }

    private sealed class BuyAt(int index) : IPatternDetector
    {
        public PatternType Pattern => PatternType.KalmanQuickfire;

        public int MinimumCandles => 1;

        public PatternReading? Detect(ReadOnlySpan<Candle> closed, in DetectorContext context) =>
            (closed[^1].OpenTimeMs - StartMs) / M5Ms == index
                ? new PatternReading(Pattern, Direction.Buy, closed[^1].Mid.Close, 85, new ConfidenceComponents(85, 0, 0, 0, 0))
                : null;
    }
}
