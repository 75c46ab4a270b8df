using Bitten.Domain.Primitives;
using Bitten.Domain.Trading;
using Bitten.Engine.Execution;

namespace Bitten.Engine.Tests.Execution;

/// <summary>The documented fallback table for a USD account, and validation of what an EA reports.</summary>
public class TradingSpecsTests
{
    [Fact]
    public void EurusdTicksAreWorthOneDollarPerLot()
    {
        // 100,000 EUR per lot × 0.00001 USD per tick = 1 USD.
        var spec = TradingSpecs.Fallback("EURUSD");
        Assert.Equal("EURUSD", spec.Symbol);
        Assert.Equal(5, spec.Digits);
        Assert.Equal(0.00001, spec.TickSize);
        Assert.Equal(1m, spec.TickValue);
        Assert.Equal(0.01m, spec.VolumeMin);
        Assert.Equal(0.01m, spec.VolumeStep);
        Assert.Equal(100m, spec.VolumeMax);
        Assert.False(spec.FromEa);
    }

    [Fact]
    public void UsdjpyTicksAreValuedAtTheGivenPriceOrAtOneFifty()
    {
        // 100,000 USD per lot × 0.001 JPY per tick = 100 JPY, divided by the JPY per USD.
        var typical = TradingSpecs.Fallback("USDJPY");
        Assert.Equal(3, typical.Digits);
        Assert.Equal(0.001, typical.TickSize);
        Assert.Equal(100m / 150m, typical.TickValue);
        Assert.Equal(100m / 140m, TradingSpecs.Fallback("USDJPY", 140).TickValue);
    }

    [Fact]
    public void EurjpyTicksAreValuedAtTheTypicalYenRateWhateverItsOwnPrice()
    {
        // 100,000 EUR × 0.001 JPY = 100 JPY ≈ 100 / 150 USD; EURJPY's own price (≈160) says nothing about JPY per USD.
        Assert.Equal(100m / 150m, TradingSpecs.Fallback("EURJPY").TickValue);
        Assert.Equal(100m / 150m, TradingSpecs.Fallback("EURJPY", 160).TickValue);
        Assert.Equal(0.001, TradingSpecs.Fallback("EURJPY").TickSize);
    }

    [Fact]
    public void GoldTicksAreACentOnAHundredOunces()
    {
        var spec = TradingSpecs.Fallback("XAUUSD");
        Assert.Equal(2, spec.Digits);
        Assert.Equal(0.01, spec.TickSize);
        Assert.Equal(1m, spec.TickValue);
    }

    [Fact]
    public void UsdcnhTicksAreValuedThroughTheYuanRate()
    {
        // 100,000 USD × 0.00001 CNH = 1 CNH, at 7.2 CNH per USD unless a price is given.
        var spec = TradingSpecs.Fallback("USDCNH");
        Assert.Equal(5, spec.Digits);
        Assert.Equal(0.00001, spec.TickSize);
        Assert.Equal(1m / 7.2m, spec.TickValue);
        Assert.Equal(1m / 7m, TradingSpecs.Fallback("USDCNH", 7.0).TickValue);
    }

    [Theory]
    [InlineData("EURGBP", 1.27)]   // 1 GBP × 1.27 USD per GBP
    [InlineData("EURAUD", 0.66)]   // 1 AUD × 0.66
    [InlineData("AUDNZD", 0.6)]    // 1 NZD × 0.6
    [InlineData("XAGUSD", 5)]      // 5,000 oz × 0.001
    [InlineData("GBPUSD", 1)]
    public void CrossesAndMetalsUseTheQuoteCurrencysTypicalRate(string symbol, double expected)
    {
        Assert.Equal((decimal)expected, TradingSpecs.Fallback(symbol).TickValue);
    }

    [Theory]
    [InlineData("GBPCAD", 1.35)]
    [InlineData("AUDCAD", 1.35)]
    [InlineData("USDCAD", 1.35)]
    [InlineData("USDCHF", 0.9)]
    [InlineData("CHFJPY", 150)]
    public void QuoteCurrenciesQuotedPerDollarDivide(string symbol, double unitsPerUsd)
    {
        var spec = TradingSpecs.Fallback(symbol);
        var quoteValuePerTick = spec.Digits == 3 ? 100m : 1m;
        Assert.Equal(quoteValuePerTick / (decimal)unitsPerUsd, spec.TickValue);
    }

    [Fact]
    public void EveryCatalogueSymbolHasAFallback()
    {
        foreach (var catalogued in SymbolCatalogue.Default.All)
        {
            var spec = TradingSpecs.Fallback(catalogued.Symbol);
            Assert.True(spec.TickValue > 0, catalogued.Symbol);
            Assert.Equal(catalogued.Digits, spec.Digits);
            Assert.Equal(Math.Pow(10, -catalogued.Digits), spec.TickSize, 15);
        }
    }

    [Fact]
    public void SymbolsAreMatchedIgnoringCase()
    {
        Assert.Equal("EURUSD", TradingSpecs.Fallback("eurusd").Symbol);
    }

    [Fact]
    public void AnUnknownSymbolIsRefusedWithItsName()
    {
        var error = Assert.Throws<ArgumentException>(() => TradingSpecs.Fallback("BTCUSD"));
        Assert.Contains("BTCUSD", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-150)]
    [InlineData(double.NaN)]
    public void ANonsensePriceIsRefused(double price)
    {
        Assert.ThrowsAny<ArgumentException>(() => TradingSpecs.Fallback("USDJPY", price));
    }

    [Fact]
    public void AValidReportIsMarkedAsFromTheEa()
    {
        var spec = TradingSpecs.FromReport("eurusd", 5, 0.92m, 0.00001, 0.01m, 0.01m, 50m);
        Assert.NotNull(spec);
        Assert.Equal("EURUSD", spec.Symbol);
        Assert.Equal(0.92m, spec.TickValue);
        Assert.Equal(50m, spec.VolumeMax);
        Assert.True(spec.FromEa);
    }

    [Fact]
    public void AReportWithMinimumEqualToMaximumIsValid()
    {
        Assert.NotNull(TradingSpecs.FromReport("XAUUSD", 2, 1m, 0.01, 1m, 1m, 1m));
    }

    [Theory]
    [InlineData("", 5, 1, 0.00001, 0.01, 0.01, 100)]
    [InlineData("EURUSD", -1, 1, 0.00001, 0.01, 0.01, 100)]
    [InlineData("EURUSD", 5, 0, 0.00001, 0.01, 0.01, 100)]
    [InlineData("EURUSD", 5, -1, 0.00001, 0.01, 0.01, 100)]
    [InlineData("EURUSD", 5, 1, 0, 0.01, 0.01, 100)]
    [InlineData("EURUSD", 5, 1, -0.00001, 0.01, 0.01, 100)]
    [InlineData("EURUSD", 5, 1, double.NaN, 0.01, 0.01, 100)]
    [InlineData("EURUSD", 5, 1, 0.00001, 0, 0.01, 100)]
    [InlineData("EURUSD", 5, 1, 0.00001, 0.01, 0, 100)]
    [InlineData("EURUSD", 5, 1, 0.00001, 0.01, -0.01, 100)]
    [InlineData("EURUSD", 5, 1, 0.00001, 1, 0.01, 0.5)]
    public void AReportThatCannotSizeALotSafelyIsDropped(
        string symbol, int digits, double tickValue, double tickSize, double volumeMin, double volumeStep, double volumeMax)
    {
        Assert.Null(TradingSpecs.FromReport(
            symbol, digits, (decimal)tickValue, tickSize, (decimal)volumeMin, (decimal)volumeStep, (decimal)volumeMax));
    }

    [Fact]
    public void TryFallbackAnswersExactlyWhereFallbackDoes()
    {
        foreach (var symbol in SymbolCatalogue.Default.All.Select(s => s.Symbol).Append("ZZZUSD"))
        {
            foreach (double? price in new double?[] { null, 1.25, 0 })
            {
                TradingSpec? thrown;
                try
                {
                    thrown = TradingSpecs.Fallback(symbol, price);
                }
                catch (ArgumentException)
                {
                    thrown = null;
                }

                Assert.Equal(thrown, TradingSpecs.TryFallback(symbol, price));
            }
        }

        Assert.Null(TradingSpecs.TryFallback("ZZZUSD"));
        Assert.NotNull(TradingSpecs.TryFallback("EURUSD"));
    }
}
