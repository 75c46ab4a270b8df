using System.Text.RegularExpressions;

namespace Bitten.EndToEnd.Tests;

/// <summary>
/// One engine per store, as an operator meets it: a second <c>bitten run</c> on a store a live engine holds exits 1
/// naming that engine; once the first is killed (no release: a crash), a restart on this host takes the store at once.
/// </summary>
public sealed partial class EngineLeaseTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ASecondEngineOnALiveStoreIsRefusedAndARestartAfterACrashTakesOver()
    {
        var directory = Directory.CreateTempSubdirectory("bitten-lease-");
        try
        {
            var store = $"--Storage:ConnectionString=Data Source={Path.Combine(directory.FullName, "bitten.db")}";
            string[] run = ["run", "--no-sim", "--Zmq:MarketInPort=0", "--Zmq:MarketOutPort=0", "--Zmq:SignalPort=0", store];
            using var first = BittenProcess.Start(run);
            await first.WaitForLineAsync(Holds(), Timeout);

            using (var second = BittenProcess.Start(run))
            {
                Assert.Equal(1, await second.WaitForExitAsync(Timeout));
                Assert.Matches(Refused(), second.Output);
                Assert.DoesNotContain("   at ", second.Output, StringComparison.Ordinal);
            }

            await first.KillAsync(Timeout);
            using var restarted = BittenProcess.Start(run);
            await restarted.WaitForLineEverAsync(TookOver(), Timeout);
            await restarted.WaitForLineEverAsync(Running(), Timeout);
            Assert.Equal(0, await restarted.TerminateAsync(Timeout));

            // A clean stop gives the store up: the next start claims it without a takeover.
            using var next = BittenProcess.Start(run);
            await next.WaitForLineEverAsync(Holds(), Timeout);
            Assert.DoesNotMatch(TookOver(), next.Output);
            Assert.Equal(0, await next.TerminateAsync(Timeout));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [GeneratedRegex(@"^BITTEN running\.")]
    private static partial Regex Running();

    [GeneratedRegex(@"Engine [0-9a-f]{8} holds the store")]
    private static partial Regex Holds();

    [GeneratedRegex(@"Another engine holds this store: engine [0-9a-f]{8} on \S+ \(pid \d+\), last heartbeat \d+\.\d s ago\. One engine per store")]
    private static partial Regex Refused();

    [GeneratedRegex(@"Took the store over from engine [0-9a-f]{8} on \S+ \(pid \d+\).*: that process is gone")]
    private static partial Regex TookOver();
}
