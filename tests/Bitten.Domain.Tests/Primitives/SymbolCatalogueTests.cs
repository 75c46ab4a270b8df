using Bitten.Domain.Primitives;

namespace Bitten.Domain.Tests.Primitives;

public sealed class SymbolCatalogueTests
{
    // The original's 19 (reference §2.2) plus the two it had traded and then dropped.
    private static readonly string[] Expected =
    [
        "EURUSD", "GBPUSD", "USDCHF", "USDJPY", "AUDUSD", "NZDUSD", "EURJPY", "GBPJPY", "EURGBP", "EURAUD",
        "GBPCAD", "AUDJPY", "NZDJPY", "CHFJPY", "CADJPY", "AUDCAD", "USDCNH", "AUDNZD", "XAUUSD", "USDCAD", "XAGUSD",
    ];

    private static readonly SymbolCatalogue Catalogue = SymbolCatalogue.Default;

    [Fact]
    public void EverySymbolOfTheOriginalPlusUsdcadAndXagusdIsPresentExactlyOnce()
    {
        var symbols = Catalogue.All.Select(s => s.Symbol).ToList();
        Assert.Equal(Expected.Order(), symbols.Order());
        Assert.Equal(symbols.Count, symbols.Distinct().Count());
        Assert.All(Expected, s => Assert.True(Catalogue.TryGet(s, out _), s));
    }

    [Fact]
    public void LookupIgnoresCase()
    {
        Assert.True(Catalogue.TryGet("eurusd", out var spec));
        Assert.Equal("EURUSD", spec.Symbol);
    }

    [Fact]
    public void AnUnknownSymbolIsNotFoundAndGetSaysWhich()
    {
        Assert.False(Catalogue.TryGet("USDMXN", out _));
        var error = Assert.Throws<KeyNotFoundException>(() => Catalogue.Get("USDMXN"));
        Assert.Contains("'USDMXN'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("EURUSD", "EUR", "USD")]
    [InlineData("XAUUSD", "XAU", "USD")]
    [InlineData("USDCNH", "USD", "CNH")]
    [InlineData("CHFJPY", "CHF", "JPY")]
    public void BaseAndQuoteCurrenciesAreTheSymbolsHalves(string symbol, string baseCurrency, string quote)
    {
        var spec = Catalogue.Get(symbol);
        Assert.Equal(baseCurrency, spec.BaseCurrency);
        Assert.Equal(quote, spec.QuoteCurrency);
    }

    [Fact]
    public void JpyQuotedPairsHaveAOneCentPipAndThreeDigits()
    {
        var jpy = Catalogue.All.Where(s => s.QuoteCurrency == "JPY").ToList();
        Assert.Equal(7, jpy.Count);
        Assert.All(jpy, s =>
        {
            Assert.Equal(0.01, s.PipSize);
            Assert.Equal(3, s.Digits);
            Assert.Equal(100_000, s.ContractSize);
        });
    }

    [Fact]
    public void GoldHasATenCentPipTwoDigitsAndAHundredOunceContract()
    {
        var gold = Catalogue.Get("XAUUSD");
        Assert.Equal(0.1, gold.PipSize);
        Assert.Equal(2, gold.Digits);
        Assert.Equal(100, gold.ContractSize);
    }

    [Fact]
    public void SilverHasAOneCentPipThreeDigitsAndAFiveThousandOunceContract()
    {
        var silver = Catalogue.Get("XAGUSD");
        Assert.Equal(0.01, silver.PipSize);
        Assert.Equal(3, silver.Digits);
        Assert.Equal(5_000, silver.ContractSize);
    }

    [Theory]
    [InlineData("EURUSD")]
    [InlineData("GBPCAD")]
    [InlineData("AUDNZD")]
    [InlineData("USDCNH")]
    [InlineData("USDCAD")]
    public void OtherPairsHaveAFourthDecimalPipAndFiveDigits(string symbol)
    {
        var spec = Catalogue.Get(symbol);
        Assert.Equal(0.0001, spec.PipSize);
        Assert.Equal(5, spec.Digits);
        Assert.Equal(100_000, spec.ContractSize);
    }

    [Fact]
    public void VolumesDefaultToOneHundredthUpToAHundredLots()
    {
        Assert.All(Catalogue.All, s =>
        {
            Assert.Equal(0.01m, s.VolumeMin);
            Assert.Equal(0.01m, s.VolumeStep);
            Assert.Equal(100m, s.VolumeMax);
        });
    }

    [Theory]
    [InlineData("USDCNH", 30)]
    [InlineData("XAUUSD", 30)]
    [InlineData("XAGUSD", 25)]
    [InlineData("USDJPY", 15)]
    [InlineData("EURJPY", 18)]
    [InlineData("GBPJPY", 20)]
    [InlineData("AUDJPY", 15)]
    [InlineData("NZDJPY", 15)]
    public void MinimumStopsComeFromTheOriginalsBrokerTable(string symbol, double pips)
    {
        Assert.Equal(pips, Catalogue.Get(symbol).MinStopPips);
    }

    [Fact]
    public void SymbolsOutsideTheBrokerTableGetTheDefaultMinimumStop()
    {
        string[] inTable = ["USDCNH", "XAUUSD", "XAGUSD", "USDJPY", "EURJPY", "GBPJPY", "AUDJPY", "NZDJPY"];
        var others = Catalogue.All.Where(s => !inTable.Contains(s.Symbol)).ToList();
        Assert.Equal(13, others.Count);
        Assert.All(others, s => Assert.Equal(SymbolCatalogue.DefaultMinStopPips, s.MinStopPips));
        Assert.Equal(10, SymbolCatalogue.DefaultMinStopPips);
    }

    [Theory]
    [InlineData("EURUSD", 0.0012, 12)]
    [InlineData("EURUSD", -0.0005, -5)]
    [InlineData("USDJPY", 0.15, 15)]
    [InlineData("GBPJPY", 1.234, 123.4)]
    [InlineData("XAUUSD", 1.5, 15)]
    [InlineData("XAUUSD", 30, 300)]
    [InlineData("XAGUSD", 0.25, 25)]
    public void ToPipsDividesByTheSymbolsPipSize(string symbol, double distance, double pips)
    {
        Assert.Equal(pips, Catalogue.ToPips(symbol, distance), 9);
    }

    [Theory]
    [InlineData("EURUSD", 1.1234567, 1.12346)]
    [InlineData("EURUSD", 1.123455, 1.12346)]
    [InlineData("EURUSD", 1.123454, 1.12345)]
    [InlineData("USDJPY", 147.12345, 147.123)]
    [InlineData("USDJPY", 147.1235, 147.124)]
    [InlineData("XAUUSD", 2345.675, 2345.68)]
    [InlineData("XAUUSD", 2345.674, 2345.67)]
    [InlineData("XAGUSD", 29.1235, 29.124)]
    [InlineData("EURUSD", -0.000005, -0.00001)]
    public void RoundPriceRoundsToTheSymbolsDigitsWithMidpointsAwayFromZero(string symbol, double price, double rounded)
    {
        Assert.Equal(rounded, Catalogue.RoundPrice(symbol, price));
    }

    [Fact]
    public void RoundPriceRefusesANonFinitePrice()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Catalogue.RoundPrice("EURUSD", double.NaN));
    }

    [Fact]
    public void AnOverrideReplacesOnlyItsSymbolAndLeavesTheOriginalCatalogueUnchanged()
    {
        var builtInGold = Catalogue.Get("XAUUSD");
        var reported = builtInGold with { Digits = 3, MinStopPips = 50, VolumeStep = 0.1m };

        var overridden = Catalogue.WithOverride(reported);

        Assert.Equal(reported, overridden.Get("XAUUSD"));
        Assert.Equal(builtInGold, Catalogue.Get("XAUUSD"));
        Assert.Equal(Catalogue.All.Count, overridden.All.Count);
        Assert.Equal(
            Catalogue.All.Where(s => s.Symbol != "XAUUSD"),
            overridden.All.Where(s => s.Symbol != "XAUUSD"));
        Assert.Equal(2345.676, overridden.RoundPrice("xauusd", 2345.6755));
    }

    [Fact]
    public void AnOverrideKeepsTheSymbolsPlaceInTheTable()
    {
        var index = Catalogue.All.Select(s => s.Symbol).ToList().IndexOf("EURJPY");
        var overridden = Catalogue.WithOverride(Catalogue.Get("EURJPY") with { MinStopPips = 25 });
        Assert.Equal(25, overridden.All[index].MinStopPips);
    }

    [Fact]
    public void AnOverrideInLowerCaseReplacesRatherThanDuplicates()
    {
        var overridden = Catalogue.WithOverride(Catalogue.Get("EURUSD") with { Symbol = "eurusd", MinStopPips = 3 });
        Assert.Single(overridden.All, s => s.Symbol == "EURUSD");
        Assert.Equal(3, overridden.Get("EURUSD").MinStopPips);
    }

    [Fact]
    public void AReportedSymbolTheTableLacksIsAdded()
    {
        var mxn = new SymbolSpec("USDMXN", "USD", "MXN", 5, 0.0001, 60, 100_000);
        var extended = Catalogue.WithOverride(mxn);
        Assert.Equal(mxn, extended.Get("USDMXN"));
        Assert.Equal(Catalogue.All.Count + 1, extended.All.Count);
        Assert.False(Catalogue.TryGet("USDMXN", out _));
    }

    [Fact]
    public void AnOverrideWithANonPositivePipSizeIsRefused()
    {
        var broken = Catalogue.Get("EURUSD") with { PipSize = 0 };
        Assert.Throws<ArgumentOutOfRangeException>(() => Catalogue.WithOverride(broken));
    }
}
