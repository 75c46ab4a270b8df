using Bitten.Domain.Trading;
using Bitten.Engine.Execution;

namespace Bitten.Engine.Tests.Execution;

/// <summary>Lot = money at risk / loss of one lot at the stop, rounded down to the volume step (PRODUCT.md §5).</summary>
public class LotSizerTests
{
    // Whole-number spec: one tick of 1.0 price is worth 1 per lot, so the raw lot is (balance × risk% / 100) / stop.
    private static TradingSpec Unit(decimal step = 0.01m, decimal min = 0.01m, decimal max = 100m) =>
        new("TEST", 0, 1m, 1.0, min, step, max, FromEa: true);

    [Fact]
    public void ATwentyPipEurusdStopAtOnePercentOfTenThousandIsHalfALot()
    {
        // 10,000 × 1% = 100 at risk. 20 pips = 0.0020 = 200 ticks of 0.00001; a tick is worth 100,000 × 0.00001 = 1
        // per lot, so one lot loses 200 at the stop and 100 / 200 = 0.50 lot.
        var spec = TradingSpecs.Fallback("EURUSD");
        Assert.Equal(1m, spec.TickValue);
        Assert.Equal(0.5m, LotSizer.RawLot(10_000m, 1m, 0.0020, spec));
        Assert.Equal(0.50m, LotSizer.Size(10_000m, 1m, 0.0020, spec));
    }

    [Fact]
    public void ALotJustBelowAStepRoundsDownToThePreviousStep()
    {
        // 799.999 × 1% = 7.99999 at risk over a stop of 100 → raw 0.0799999.
        Assert.Equal(0.0799999m, LotSizer.RawLot(799.999m, 1m, 100, Unit()));
        Assert.Equal(0.07m, LotSizer.Size(799.999m, 1m, 100, Unit()));
    }

    [Fact]
    public void ALotExactlyOnAStepStaysOnIt()
    {
        Assert.Equal(0.08m, LotSizer.Size(800m, 1m, 100, Unit()));
    }

    [Theory]
    [InlineData(2_900, 0.29)]  // 0.29 / 0.01 is 28.999999999999996 in double; decimal keeps it whole
    [InlineData(700, 0.07)]
    [InlineData(5_700, 0.57)]
    [InlineData(10_000, 1.00)]
    public void DecimalArithmeticKeepsStepMultiplesExact(int balance, double expected)
    {
        // balance × 1% / 100 = balance / 10,000 lots.
        Assert.Equal((decimal)expected, LotSizer.Size(balance, 1m, 100, Unit()));
    }

    [Fact]
    public void SevenHundredthsOfALotSizedFromARealEurusdStopIsExact()
    {
        // 10,000 × 0.7% = 70 at risk; 100 pips = 1,000 ticks worth 1 each → 70 / 1,000 = 0.07.
        Assert.Equal(0.07m, LotSizer.Size(10_000m, 0.7m, 0.0100, TradingSpecs.Fallback("EURUSD")));
    }

    [Theory]
    [InlineData(2_900, 0.2)]
    [InlineData(3_000, 0.3)]
    [InlineData(7_000, 0.7)]
    [InlineData(9_999, 0.9)]
    [InlineData(1_000, 0.1)]
    public void ACoarserStepOfATenthRoundsDownToTenths(int balance, double expected)
    {
        Assert.Equal((decimal)expected, LotSizer.Size(balance, 1m, 100, Unit(step: 0.1m, min: 0.1m)));
    }

    [Fact]
    public void ALotUnderATenthStepIsRefusedNotRoundedUp()
    {
        Assert.Equal(0m, LotSizer.Size(999m, 1m, 100, Unit(step: 0.1m, min: 0.1m)));
    }

    [Fact]
    public void TheLotIsCappedAtTheVolumeMaximum()
    {
        // 10,000,000 × 5% = 500,000 over a 10-pip EURUSD stop (100 per lot) = 5,000 lots; the broker takes 100.
        Assert.Equal(5_000m, LotSizer.RawLot(10_000_000m, 5m, 0.0010, TradingSpecs.Fallback("EURUSD")));
        Assert.Equal(100m, LotSizer.Size(10_000_000m, 5m, 0.0010, TradingSpecs.Fallback("EURUSD")));
        Assert.Equal(2.5m, LotSizer.Size(10_000m, 1m, 10, Unit(max: 2.5m)));
    }

    [Fact]
    public void ALotBelowTheVolumeMinimumIsZeroRatherThanTheMinimum()
    {
        // 100 × 1% = 1 at risk over a 200-pip stop (2,000 per lot) = 0.0005 lot: 0.01 would risk 20 times the choice.
        var spec = TradingSpecs.Fallback("EURUSD");
        Assert.Equal(0.0005m, LotSizer.RawLot(100m, 1m, 0.0200, spec));
        Assert.Equal(0m, LotSizer.Size(100m, 1m, 0.0200, spec));
    }

    [Fact]
    public void ALotOnAStepButUnderAMinimumOffTheStepGridIsRefused()
    {
        // Step 0.01 but minimum 0.05: a 0.04 lot is a whole step yet still too small.
        Assert.Equal(0m, LotSizer.Size(400m, 1m, 100, Unit(min: 0.05m)));
        Assert.Equal(0.05m, LotSizer.Size(500m, 1m, 100, Unit(min: 0.05m)));
    }

    [Theory]
    [InlineData(0, 1, 0.002)]
    [InlineData(-100, 1, 0.002)]
    [InlineData(10_000, 0, 0.002)]
    [InlineData(10_000, -1, 0.002)]
    [InlineData(10_000, 1, 0)]
    [InlineData(10_000, 1, -0.002)]
    [InlineData(10_000, 1, double.NaN)]
    [InlineData(10_000, 1, double.PositiveInfinity)]
    public void NonPositiveOrNonFiniteInputsSizeNothing(int balance, double riskPercent, double stop)
    {
        var spec = TradingSpecs.Fallback("EURUSD");
        Assert.Equal(0m, LotSizer.RawLot(balance, (decimal)riskPercent, stop, spec));
        Assert.Equal(0m, LotSizer.Size(balance, (decimal)riskPercent, stop, spec));
    }

    [Fact]
    public void ASpecWithoutATickValueSizesNothing()
    {
        var spec = TradingSpecs.Fallback("EURUSD") with { TickValue = 0m };
        Assert.Equal(0m, LotSizer.RawLot(10_000m, 1m, 0.0020, spec));
        Assert.Equal(0m, LotSizer.Size(10_000m, 1m, 0.0020, spec with { TickValue = -1m }));
        Assert.Equal(0m, LotSizer.Size(10_000m, 1m, 0.0020, TradingSpecs.Fallback("EURUSD") with { TickSize = 0 }));
        Assert.Equal(0m, LotSizer.Size(10_000m, 1m, 0.0020, TradingSpecs.Fallback("EURUSD") with { VolumeStep = 0m }));
    }

    [Fact]
    public void AThirtyPipUsdjpyStopAtOneFiftyIsHalfALot()
    {
        // USDJPY at 150: a tick of 0.001 on 100,000 USD is 100 JPY = 100 / 150 = 0.6667 USD per lot. 30 pips = 0.30 =
        // 300 ticks → 200 USD per lot; 10,000 × 1% = 100 → 0.50 lot.
        var spec = TradingSpecs.Fallback("USDJPY", 150);
        Assert.Equal(100m / 150m, spec.TickValue);
        Assert.Equal(0.5m, LotSizer.RawLot(10_000m, 1m, 0.30, spec));
        Assert.Equal(0.50m, LotSizer.Size(10_000m, 1m, 0.30, spec));
    }

    [Fact]
    public void ATickValueDecimalCannotHoldExactlyDoesNotCostAStep()
    {
        // Decimal's 100/150 ends ...6667, a hair high. Over 3 ticks one lot loses 2.0000000000000000000000000001 USD,
        // so 10 at risk is a raw lot of 4.999…98 where the true figure is 5; sizing must give 5.00, not 4.99.
        var spec = TradingSpecs.Fallback("USDJPY", 150);
        var raw = LotSizer.RawLot(1_000m, 1m, 0.003, spec);
        Assert.True(raw < 5m, $"raw {raw}");
        Assert.Equal(5m, Math.Round(raw, 20));
        Assert.Equal(5.00m, LotSizer.Size(1_000m, 1m, 0.003, spec));
    }

    [Fact]
    public void AFiveDollarGoldStopAtOnePercentOfTenThousandIsAFifthOfALot()
    {
        // XAUUSD: 100 oz per lot, quoted to cents; a 0.01 tick is 1 USD per lot. A 5.00 stop = 500 ticks = 500 per lot;
        // 100 at risk → 0.20 lot.
        var spec = TradingSpecs.Fallback("XAUUSD");
        Assert.Equal(0.20m, LotSizer.Size(10_000m, 1m, 5.00, spec));
    }

    [Fact]
    public void AUsdcnhStopIsValuedThroughTheYuanRate()
    {
        // USDCNH at 7.2: a 0.00001 tick on 100,000 USD is 1 CNH = 1 / 7.2 USD. A 0.0360 stop = 3,600 ticks = 3,600 CNH =
        // 500 USD per lot; 100 at risk → 0.20 lot.
        var spec = TradingSpecs.Fallback("USDCNH", 7.2);
        Assert.Equal(0.2m, LotSizer.RawLot(10_000m, 1m, 0.0360, spec));
        Assert.Equal(0.20m, LotSizer.Size(10_000m, 1m, 0.0360, spec));
    }

    [Fact]
    public void TheStopDistanceIsCountedInWholeTicksWithoutDoubleError()
    {
        // In double 0.0020 / 0.00001 is 199.99999999999997; sizing goes through decimal and sees exactly 200 ticks.
        var spec = TradingSpecs.Fallback("EURUSD");
        Assert.Equal(0.3m, LotSizer.RawLot(6_000m, 1m, 0.0020, spec));
        Assert.Equal(0.30m, LotSizer.Size(6_000m, 1m, 0.0020, spec));
    }
}
