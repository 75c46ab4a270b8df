using System.Text;
using Bitten.Domain.Primitives;

namespace Bitten.Domain.Tests.Primitives;

public sealed class SymbolRegistryTests
{
    [Theory]
    [InlineData("EURUSD")]
    [InlineData("eurusd")]
    [InlineData("EURUSD.m")]
    [InlineData("XAUUSD#")]
    [InlineData("US30-ECN")]
    [InlineData("GER_40")]
    [InlineData("A")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345")]
    public void NamesOfLettersDigitsAndBrokerSuffixMarksAreSymbols(string symbol)
    {
        Assert.True(SymbolRegistry.IsValidName(symbol));
        Assert.True(SymbolRegistry.IsValidName(Encoding.UTF8.GetBytes(symbol)));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" URUSD")]
    [InlineData("$URUSD")]
    [InlineData("EUR USD")]
    [InlineData("EUR/USD")]
    [InlineData("US500+")]
    [InlineData("DAXé")]
    [InlineData("EUR\u0000")]
    [InlineData("EUR\u007f")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456")]
    public void AnythingElseIsNoSymbol(string symbol)
    {
        Assert.False(SymbolRegistry.IsValidName(symbol));
        Assert.False(SymbolRegistry.IsValidName(Encoding.UTF8.GetBytes(symbol)));
    }

    [Fact]
    public void AdmitsNewSymbolsUpToTheAllowanceThenRefusesThemButKeepsTheKnownOnes()
    {
        var registry = new SymbolRegistry();

        Assert.Equal(RejectReason.None, registry.Admit("AAA1", 2, out var first));
        Assert.Equal(RejectReason.None, registry.Admit("AAA2", 2, out var second));
        Assert.Equal(RejectReason.TooManySymbols, registry.Admit("AAA3", 2, out var third));

        Assert.True(third.IsNone);
        Assert.Equal(2, registry.Count);
        Assert.Equal(RejectReason.None, registry.Admit("aaa1", 2, out var again));
        Assert.Equal(first, again);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void CatalogueSymbolsAreAdmittedWhenTheAllowanceIsSpent()
    {
        var registry = new SymbolRegistry();
        Assert.Equal(RejectReason.None, registry.Admit("MADEUP", 1, out _));
        Assert.Equal(RejectReason.TooManySymbols, registry.Admit("MADEUP2", 1, out _));

        foreach (var spec in SymbolCatalogue.Default.All)
        {
            Assert.Equal(RejectReason.None, registry.Admit(spec.Symbol.ToLowerInvariant(), 1, out var id));
            Assert.Equal(spec.Symbol, registry.NameOf(id));
        }

        Assert.Equal(1 + SymbolCatalogue.Default.All.Count, registry.Count);
    }

    [Fact]
    public void TrustedSymbolsAreAddedWhateverTheAllowance()
    {
        var registry = new SymbolRegistry();
        registry.Admit("MADEUP", 1, out _);

        var declared = registry.GetOrAdd("US30-ECN");

        Assert.False(declared.IsNone);
        Assert.Equal(RejectReason.None, registry.Admit("us30-ecn", 1, out var admitted));
        Assert.Equal(declared, admitted);
    }

    [Theory]
    [InlineData(" URUSD", RejectReason.BadSymbol)]
    [InlineData("", RejectReason.BadSymbol)]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456", RejectReason.SymbolTooLong)]
    public void RefusesNamesThatAreNoSymbolsWithoutAddingThem(string symbol, RejectReason expected)
    {
        var registry = new SymbolRegistry();

        Assert.Equal(expected, registry.Admit(symbol, 256, out var id));

        Assert.True(id.IsNone);
        Assert.Equal(0, registry.Count);
    }

    [Fact]
    public void AFloodOfMadeUpSymbolsNeverGrowsTheRegistryPastTheAllowance()
    {
        var registry = new SymbolRegistry();
        var refused = 0;
        Span<byte> name = stackalloc byte[12];
        for (var i = 0; i < 100_000; i++)
        {
            "ZZ"u8.CopyTo(name);
            i.TryFormat(name[2..], out var written, "D8", System.Globalization.CultureInfo.InvariantCulture);
            if (registry.Admit(name[..(2 + written)], 256, out _) == RejectReason.TooManySymbols)
            {
                refused++;
            }

            Assert.True(registry.Count <= 256);
        }

        Assert.Equal(256, registry.Count);
        Assert.Equal(100_000 - 256, refused);
    }

    [Fact]
    public void AdmittingAKnownSymbolAllocatesNothing()
    {
        var registry = new SymbolRegistry();
        registry.Admit("EURUSD.m"u8, 256, out var expected);
        var frameBytes = "eurusd.m"u8.ToArray();

        registry.Admit(frameBytes, 256, out _);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            registry.Admit(frameBytes, 256, out var id);
            if (id != expected)
            {
                Assert.Fail($"got {id}, expected {expected}");
            }
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void RacingAdmissionsNeverOvershootTheAllowance()
    {
        var registry = new SymbolRegistry();
        Parallel.For(0, 4, worker =>
        {
            for (var i = 0; i < 2_000; i++)
            {
                registry.Admit($"W{worker}S{i}", 100, out _);
            }
        });

        Assert.Equal(100, registry.Count);
    }
}
