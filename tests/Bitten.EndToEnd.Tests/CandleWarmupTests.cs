using System.Globalization;
using System.Text.RegularExpressions;
using Bitten.Testing;

namespace Bitten.EndToEnd.Tests;

/// <summary>
/// Elite Guard's look-back survives a restart: the M5 candles a run closed are stored as they close and read back
/// before the next run's first live candle, so the detectors are not blind for hours after every start.
/// </summary>
public sealed partial class CandleWarmupTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private readonly StoreFile _store = new("bitten-warm-");

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task ARestartWarmsTheDetectorsWithTheCandlesTheLastRunClosed()
    {
        string[] ports = ["--Zmq:MarketInPort=0", "--Zmq:MarketOutPort=0", "--Zmq:SignalPort=0", "--Zmq:CommandPort=0", "--Zmq:ConfirmPort=0", "--Web:Port=0", "--Throne:Port=0"];
        var store = _store.Argument;

        // First run: real EURUSD ticks replayed as fast as the bridge takes them, on their recorded times.
        using (var first = BittenProcess.Start(["run", store, .. ports, "--SimEa:Speed=0", "--SimEa:Timestamps=Original", "--Status:IntervalSeconds=1",
            "--SimEa:Ticks=" + SharedData.Path("ticks/oanda-fx/eurusd")]))
        {
            var deadline = DateTime.UtcNow + Timeout;
            while (StoredCandles() < 100)
            {
                Assert.True(DateTime.UtcNow < deadline, $"only {StoredCandles()} M5 candles stored:\n{first.Output}");
                await first.WaitForLineAsync(Status(), Timeout);
            }

            var code = await first.TerminateAsync(Timeout);
            Assert.True(code == 0, $"exit {code}:\n{first.Output}");
        }

        var stored = StoredCandles();

        // Second run, no feed at all: the history is there before any live tick.
        using var second = BittenProcess.Start(["run", "--no-sim", store, .. ports]);
        var warmed = await second.WaitForLineEverAsync(Warmed(), Timeout);
        var candles = int.Parse(warmed.Groups["candles"].Value, CultureInfo.InvariantCulture);
        // At most the look-back (300 per symbol), at least what the first run had stored (fewer than 300 here).
        Assert.Equal(Math.Min(stored, 300), candles);
        Assert.Equal("1", warmed.Groups["symbols"].Value);
        var exit = await second.TerminateAsync(Timeout);
        Assert.True(exit == 0, $"exit {exit}:\n{second.Output}");
    }

    private long StoredCandles() => _store.Has("candles") ? _store.Scalar("SELECT COUNT(*) FROM candles WHERE timeframe = 5") : 0;

    [GeneratedRegex(@"warmed (?<candles>\d+) M5 candles over (?<symbols>\d+) symbols")]
    private static partial Regex Warmed();

    [GeneratedRegex(@"ticks/s.*\| in \d+ out")]
    private static partial Regex Status();
}
