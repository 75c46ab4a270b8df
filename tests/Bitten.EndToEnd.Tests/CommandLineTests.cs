namespace Bitten.EndToEnd.Tests;

/// <summary>The command line as a user meets it: help for every command, and a mistake is a sentence and exit 2.</summary>
public sealed class CommandLineTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("--ticks", "backtest", "--help")]
    [InlineData("--telegram-id", "user", "add", "--help")]
    [InlineData("--no-sim", "run", "--help")]
    [InlineData("--users", "bench", "fire", "--help")]
    [InlineData("--sample-seconds", "bench", "soak", "--help")]
    [InlineData("keys generate", "keys", "generate", "--help")]
    [InlineData("curve-keygen", "curve-keygen", "--help")]
    public async Task EveryCommandHasHelpAndExitsZero(string mentions, params string[] args)
    {
        var (exit, output) = await RunAsync(args);

        Assert.Equal(0, exit);
        Assert.Contains("USAGE:", output, StringComparison.Ordinal);
        Assert.Contains(mentions, output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bitten: Unknown command 'frob'", "frob")]
    [InlineData("bitten: Unknown option 'speeed'", "sim-ea", "--speeed", "max")]
    [InlineData("bitten: 'user' needs a command", "user")]
    [InlineData("Checkpoint:IntervalMilliseconds must be 10-60000, not 1", "run", "--Checkpoint:IntervalMilliseconds=1")]
    [InlineData("Users:SyncIntervalSeconds must be 0.1-3600", "user", "list", "--Users:SyncIntervalSeconds=0")]
    [InlineData("no such tick file or folder: /nonexistent", "bench", "replay", "--ticks", "/nonexistent")]
    [InlineData("Zmq:BindHost 0.0.0.0 is not loopback, so the EA ports need CURVE", "run", "--no-sim", "--Zmq:BindHost=0.0.0.0")]
    public async Task AMistakeIsOneSentenceAndExitsTwo(string reason, params string[] args)
    {
        var (exit, output) = await RunAsync(args);

        Assert.Equal(2, exit);
        Assert.Contains(reason, output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Output)> RunAsync(string[] args)
    {
        using var bitten = BittenProcess.Start(args);
        var exit = await bitten.WaitForExitAsync(Timeout);
        // WaitForExit returns once the output pipes close, so Output is complete here.
        return (exit, bitten.Output);
    }
}
