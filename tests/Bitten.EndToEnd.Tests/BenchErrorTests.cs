namespace Bitten.EndToEnd.Tests;

/// <summary>A mistake on a bench command line is a sentence and exit code 2, never a stack trace.</summary>
public sealed class BenchErrorTests
{
    [Theory]
    [InlineData("no such tick file or folder: /nonexistent", "bench", "replay", "--ticks", "/nonexistent")]
    [InlineData("--passes must be a whole number, not 'many'", "bench", "replay", "--passes", "many")]
    [InlineData("--runs must be a whole number, not 'x'", "bench", "ingest", "--runs", "x")]
    [InlineData("--users must be a whole number, not '1e3'", "bench", "fire", "--users", "1e3")]
    [InlineData("--events must be at least 1000", "bench", "events", "--events", "5")]
    [InlineData("Unknown option 'tick'", "bench", "replay", "--tick", "/tmp")]
    [InlineData("--minutes 1-1440", "bench", "soak", "--minutes", "0")]
    [InlineData("no such tick file or folder: /nonexistent", "bench", "soak", "--minutes", "1", "--ticks", "/nonexistent")]
    public async Task ABadBenchCommandLineExitsTwoWithASentence(string sentence, params string[] args)
    {
        using var bitten = BittenProcess.Start(args);

        var exit = await bitten.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, exit);
        Assert.Contains("bitten: ", bitten.Output, StringComparison.Ordinal);
        Assert.Contains(sentence, bitten.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", bitten.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", bitten.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFolderWithoutTicksIsNamed()
    {
        var folder = Directory.CreateTempSubdirectory("bitten-bench-empty-");
        try
        {
            using var bitten = BittenProcess.Start(["bench", "replay", "--ticks", folder.FullName]);

            Assert.Equal(2, await bitten.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains($"no tick files (*_quote.zip or *.csv) in {folder.FullName}", bitten.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", bitten.Output, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
