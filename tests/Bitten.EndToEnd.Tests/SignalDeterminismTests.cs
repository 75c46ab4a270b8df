using System.Runtime.CompilerServices;
using Bitten.EndToEnd.Tests.Replays;
using Bitten.Simulation.Replay;
using Bitten.Testing;

namespace Bitten.EndToEnd.Tests;

/// <summary>
/// Determinism as a scenario, pinned: a week of real EURUSD and XAUUSD ticks through the one replay runner (kernel,
/// Elite Guard, outcome tracker, the desk with the backtest's default account on a paper broker) gives exactly the
/// committed transcript — signals as published on 5557, outcomes, fires, fills, closes and the account — on every run,
/// and the same signals and outcomes whether bars close on the replay clock (the backtest) or only on the next tick.
/// </summary>
public sealed class SignalDeterminismTests
{
    /// <summary>
    /// SHA-256 of <c>Replays/eurusd-xauusd-2014-05-05.txt</c>, the transcript of <see cref="Settings"/> over those days.
    /// A change to detectors, gates, lot sizing, the desk or the paper broker changes it on purpose: to re-pin, run
    /// this test, read the first differing line it prints to see that the change is the one intended, copy the
    /// transcript it wrote over the committed file, and paste the hash it printed here.
    /// </summary>
    private const string ExpectedSha256 = "3591075F08A20C7447BCBD2312FA0080FE5B3F114E886EBD2C621EF51DBFB08B";

    private static readonly ReplaySettings Settings = new()
    {
        FromMs = new DateTimeOffset(2014, 5, 5, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(),
        ToMs = new DateTimeOffset(2014, 5, 10, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(),
        Accounts = [new BacktestOptions().ToAccount()],
    };

    private static List<TickFile> Files() =>
    [
        .. new[] { "ticks/oanda-fx/eurusd", "ticks/oanda-cfd/xauusd" }
            .SelectMany(folder => Directory.GetFiles(SharedData.Path(folder)))
            .Select(path => TickFile.Recognise(path))
            .OfType<TickFile>()
            .OrderBy(file => file.Path, StringComparer.Ordinal),
    ];

    private static ReplayTranscript Replay(ReplaySettings settings)
    {
        var transcript = new ReplayTranscript();
        var result = ReplayRunner.Run(Files(), settings, listeners: new ReplayListeners { Signals = transcript, Outcomes = transcript, Accounts = transcript });
        Assert.True(result.Faults == 0, $"{result.Faults} kernel faults, last: {result.LastFault}");
        transcript.End(result);
        return transcript;
    }

    [Fact]
    public void TheReplayGivesThePinnedTranscriptEveryRunAndTheTickOnlyReplayTheSameSignals()
    {
        var first = Replay(Settings);
        var second = Replay(Settings);
        var tickOnly = Replay(new ReplaySettings { FromMs = Settings.FromMs, ToMs = Settings.ToMs, Accounts = Settings.Accounts, ClockMessages = false });

        // A week of two symbols raises signals and fires; an empty transcript would prove nothing.
        Assert.True(first.Lines.Count(l => l.StartsWith("signal ", StringComparison.Ordinal)) >= 10, first.Text);
        Assert.Contains(first.Lines, l => l.StartsWith("fire ", StringComparison.Ordinal) && l.Contains("-> filled", StringComparison.Ordinal));
        Assert.True(first.Text == second.Text, "two runs differ at " + ReplayTranscript.FirstDifference(first.Lines, second.Lines));
        Assert.True(first.SignalLines.SequenceEqual(tickOnly.SignalLines),
            "the tick-only replay's signals differ at " + ReplayTranscript.FirstDifference(first.SignalLines, tickOnly.SignalLines));

        var actual = ReplayTranscript.Sha256(first.Text);
        if (actual != ExpectedSha256)
        {
            var written = Path.Combine(Path.GetTempPath(), $"bitten-replay-{actual[..12]}.txt");
            File.WriteAllText(written, first.Text);
            var committed = File.Exists(CommittedPath()) ? File.ReadAllLines(CommittedPath()) : [];
            Assert.Fail($"the replay's transcript hashes to {actual}, not the pinned {ExpectedSha256}; first difference from the committed " +
                $"transcript at {ReplayTranscript.FirstDifference(committed, first.Lines)}\nThe new transcript is in {written}: if the change is " +
                $"intended, copy it over {CommittedPath()} and pin {actual}.");
        }
    }

    [Fact]
    public void TheCommittedTranscriptIsTheOneThePinnedHashNames()
    {
        Assert.Equal(ExpectedSha256, ReplayTranscript.Sha256(File.ReadAllText(CommittedPath())));
    }

    private static string CommittedPath([CallerFilePath] string source = "") =>
        Path.Combine(Path.GetDirectoryName(source)!, "Replays", "eurusd-xauusd-2014-05-05.txt");
}
