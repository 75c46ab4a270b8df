using System.Text.Json;
using System.Text.RegularExpressions;
using Bitten.Testing;

namespace Bitten.EndToEnd.Tests;

/// <summary><c>bitten backtest</c> as a user runs it: a real process over two weeks of real EURUSD and XAUUSD ticks.</summary>
public sealed partial class BacktestCommandTests(BacktestCommandTests.RealRun run) : IClassFixture<BacktestCommandTests.RealRun>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(180);

    private static readonly string[] Fields =
    [
        "signal_id", "symbol", "direction", "pattern_type", "signal_class", "confidence", "citadel_score", "entry_price", "sl", "tp",
        "timestamp", "outcome", "exit_price", "exit_time", "pips", "duration_minutes",
    ];

    [Fact]
    public void TheRunExitsZeroAndPrintsTheTotalRow()
    {
        Assert.Equal(0, run.Exit);
        Assert.Matches(TotalRow(), run.Output);
    }

    [Fact]
    public void EverySignalHasEveryFieldAndAnOutcomeWhosePipsHaveItsSign()
    {
        var signals = run.Json.RootElement.GetProperty("signals").EnumerateArray().ToList();

        // Two weeks of two symbols raise signals; an empty list would make every check below vacuous.
        Assert.NotEmpty(signals);
        Assert.Contains(signals, s => s.GetProperty("symbol").GetString() == "EURUSD");
        Assert.Contains(signals, s => s.GetProperty("symbol").GetString() == "XAUUSD");
        foreach (var signal in signals)
        {
            var id = signal.GetProperty("signal_id").GetString();
            Assert.All(Fields, f => Assert.True(signal.TryGetProperty(f, out _), $"{id} has no {f}"));
            var outcome = signal.GetProperty("outcome").GetString();
            Assert.Contains(outcome, new[] { "WIN", "LOSS", "OPEN" });
            switch (outcome)
            {
                case "WIN":
                    Assert.True(signal.GetProperty("pips").GetDouble() > 0, $"{id} won {signal.GetProperty("pips")} pips");
                    Assert.True(signal.GetProperty("exit_time").GetInt64() >= signal.GetProperty("timestamp").GetInt64(), $"{id} exits before it starts");
                    break;
                case "LOSS":
                    Assert.True(signal.GetProperty("pips").GetDouble() < 0, $"{id} lost {signal.GetProperty("pips")} pips");
                    break;
                default:
                    Assert.Equal(JsonValueKind.Null, signal.GetProperty("pips").ValueKind);
                    break;
            }
        }
    }

    [Fact]
    public void TheSummaryCountsAddUpToTheSignals()
    {
        var signals = run.Json.RootElement.GetProperty("signals").EnumerateArray().ToList();
        var summary = run.Json.RootElement.GetProperty("summary");
        var total = summary.GetProperty("total");
        var patterns = summary.GetProperty("patterns").EnumerateArray().ToList();

        // A fault is a message the kernel dropped: the counts below would silently miss its signals.
        Assert.Equal(0, summary.GetProperty("kernel_faults").GetInt64());
        Assert.True(summary.GetProperty("ticks").GetInt64() > 1_000_000, $"{summary.GetProperty("ticks")} ticks");
        Assert.Equal(signals.Count, total.GetProperty("signals").GetInt32());
        Assert.Equal(signals.Count(s => s.GetProperty("outcome").GetString() == "WIN"), total.GetProperty("wins").GetInt32());
        Assert.Equal(signals.Count(s => s.GetProperty("outcome").GetString() == "LOSS"), total.GetProperty("losses").GetInt32());
        Assert.Equal(signals.Count(s => s.GetProperty("outcome").GetString() == "OPEN"), total.GetProperty("open").GetInt32());
        foreach (var field in new[] { "signals", "wins", "losses", "open" })
        {
            Assert.Equal(total.GetProperty(field).GetInt32(), patterns.Sum(p => p.GetProperty(field).GetInt32()));
        }

        foreach (var pattern in patterns)
        {
            var name = pattern.GetProperty("pattern_type").GetString();
            Assert.Equal(signals.Count(s => s.GetProperty("pattern_type").GetString() == name), pattern.GetProperty("signals").GetInt32());
        }
    }

    [Fact]
    public async Task RunningTheSameTicksAgainWritesByteIdenticalJson()
    {
        var again = Path.Combine(run.Folder, "again.json");

        var (exit, output) = await RunAsync([.. RealRun.TickArgs, "--json", again]);

        Assert.True(exit == 0, output);
        // Everything but the run's speed, which comes last so the rest can be compared byte for byte.
        Assert.Equal(BeforeFigures(await File.ReadAllTextAsync(run.JsonPath)), BeforeFigures(await File.ReadAllTextAsync(again)));
    }

    [Fact]
    public void TheFiguresCountTheTicksOfTheSummaryUnderTheBenchNames()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(run.JsonPath));
        var figures = doc.RootElement.GetProperty("figures");

        Assert.Equal(doc.RootElement.GetProperty("summary").GetProperty("ticks").GetInt64(), figures.GetProperty("backtest.ticks").GetInt64());
        var seconds = figures.GetProperty("backtest.seconds").GetDouble();
        Assert.True(seconds > 0, $"{seconds} s");
        Assert.Equal(figures.GetProperty("backtest.ticks").GetDouble() / seconds, figures.GetProperty("backtest.ticks_per_second").GetDouble(), 0.01 * figures.GetProperty("backtest.ticks_per_second").GetDouble());
        Assert.InRange(figures.GetProperty("backtest.peak_rss_mb").GetDouble(), 1, 100_000);
        Assert.Equal(0, figures.GetProperty("backtest.skipped_lines").GetInt64());
        Assert.Equal("figures", doc.RootElement.EnumerateObject().Last().Name);
    }

    private static string BeforeFigures(string json)
    {
        var at = json.IndexOf("\"figures\"", StringComparison.Ordinal);
        Assert.True(at > 0, "the report has its figures");
        return json[..at];
    }

    [Fact]
    public void TheHtmlReportIsSelfContainedAndMarksEverySignalOnce()
    {
        var html = File.ReadAllText(run.HtmlPath);
        var signals = run.Json.RootElement.GetProperty("signals").EnumerateArray().ToList();

        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(signals.Count(s => s.GetProperty("direction").GetString() == "BUY"), Regex.Count(html, "class=\"marker buy\""));
        Assert.Equal(signals.Count(s => s.GetProperty("direction").GetString() == "SELL"), Regex.Count(html, "class=\"marker sell\""));
    }

    [Fact]
    public async Task SymbolsAndDatesKeepOnlyThatSymbolsSignalsInsideTheHalfOpenRange()
    {
        var path = Path.Combine(run.Folder, "xau.json");
        var from = new DateTimeOffset(2014, 5, 5, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        var to = new DateTimeOffset(2014, 5, 10, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

        var (exit, output) = await RunAsync([.. RealRun.TickArgs, "--symbols", "xauusd", "--from", "2014-05-05", "--to", "2014-05-10", "--json", path]);

        Assert.True(exit == 0, output);
        using var json = JsonDocument.Parse(await File.ReadAllBytesAsync(path));
        var signals = json.RootElement.GetProperty("signals").EnumerateArray().ToList();
        Assert.NotEmpty(signals);
        Assert.All(signals, s => Assert.Equal("XAUUSD", s.GetProperty("symbol").GetString()));
        Assert.All(signals, s => Assert.InRange(s.GetProperty("timestamp").GetInt64(), from, to - 1));
        var all = run.Json.RootElement.GetProperty("signals").EnumerateArray().Count();
        Assert.True(signals.Count < all, $"{signals.Count} of {all} signals kept");
    }

    [Fact]
    public void TheAccountBlockAddsUpAndTheTextAndHtmlShowIt()
    {
        var account = run.Json.RootElement.GetProperty("account");
        var fires = account.GetProperty("fires").GetInt64();
        var fills = account.GetProperty("fills").GetInt64();
        var refusals = account.GetProperty("refusals").EnumerateObject().ToList();

        // The default account: COMMANDER in AUTO on 10,000. Two weeks of signals in its band fire some and refuse some.
        Assert.Equal(10_000m, account.GetProperty("start_balance").GetDecimal());
        Assert.Equal("COMMANDER", account.GetProperty("tier").GetString());
        Assert.True(fills > 0, account.ToString());
        Assert.InRange(fills, 1, fires);
        Assert.Equal(fills, account.GetProperty("closes").GetInt64() + account.GetProperty("open_positions").GetInt64());
        Assert.NotEqual(account.GetProperty("start_balance").GetDecimal(), account.GetProperty("end_balance").GetDecimal());
        Assert.NotEmpty(refusals);
        Assert.All(refusals, r => Assert.True(r.Value.GetInt64() > 0, r.ToString()));
        Assert.InRange(account.GetProperty("max_drawdown_pct").GetDouble(), 0.01, 100);
        Assert.Matches(@"(?m)^account: balance 10,000\.00 -> [\d,]+\.\d\d .*\d+ fires, \d+ fills", run.Output);
        var html = File.ReadAllText(run.HtmlPath);
        Assert.Contains("<h3>Equity curve</h3>", html, StringComparison.Ordinal);
        Assert.Contains($"{fires} fires, {fills} fills", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AGlobalThresholdOf99GivesFewerSignalsAndWithoutTheTunerNone()
    {
        var tuned = Path.Combine(run.Folder, "t99.json");
        var fixedAt99 = Path.Combine(run.Folder, "t99-fixed.json");

        var (exit, output) = await RunAsync([.. RealRun.TickArgs, "--EliteGuard:GlobalThreshold=99", "--json", tuned]);
        var (exitFixed, outputFixed) = await RunAsync([.. RealRun.TickArgs, "--EliteGuard:GlobalThreshold=99", "--EliteGuard:TuneThreshold=false", "--json", fixedAt99]);

        Assert.True(exit == 0, output);
        Assert.True(exitFixed == 0, outputFixed);
        var all = run.Json.RootElement.GetProperty("signals").GetArrayLength();
        using var json = JsonDocument.Parse(await File.ReadAllBytesAsync(tuned));
        Assert.InRange(json.RootElement.GetProperty("signals").GetArrayLength(), 0, all - 1);
        using var none = JsonDocument.Parse(await File.ReadAllBytesAsync(fixedAt99));
        Assert.Equal(0, none.RootElement.GetProperty("signals").GetArrayLength());
        Assert.Equal(0, none.RootElement.GetProperty("account").GetProperty("fires").GetInt64());
        Assert.Equal(10_000m, none.RootElement.GetProperty("account").GetProperty("end_balance").GetDecimal());
    }

    [Fact]
    public async Task TheBacktestSectionSetsTheAccount()
    {
        var path = Path.Combine(run.Folder, "rich.json");

        var (exit, output) = await RunAsync([.. RealRun.TickArgs, "--from", "2014-05-05", "--to", "2014-05-07", "--Backtest:Balance=50000", "--Backtest:RiskPercent=1", "--json", path]);

        Assert.True(exit == 0, output);
        using var json = JsonDocument.Parse(await File.ReadAllBytesAsync(path));
        Assert.Equal(50_000m, json.RootElement.GetProperty("account").GetProperty("start_balance").GetDecimal());
    }

    [Theory]
    [InlineData("--Backtest:RiskPercent=9", "risk must be 0.1-5 per cent")]
    [InlineData("--Backtest:Tier=GENERAL", "Backtest:Tier must be PRESS_PASS, NIBBLER, FANG or COMMANDER, not 'GENERAL'")]
    [InlineData("--Backtest:Balance=0", "Backtest:Balance must be more than 0")]
    public async Task ABadBacktestOptionExitsTwoWithItsReason(string option, string reason)
    {
        var (exit, output) = await RunAsync([.. RealRun.TickArgs, option]);

        Assert.Equal(2, exit);
        Assert.Contains(reason, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingTicksPathExitsTwoAndNamesIt()
    {
        var missing = Path.Combine(run.Folder, "no-such-folder");

        var (exit, output) = await RunAsync(["--ticks", missing]);

        Assert.Equal(2, exit);
        Assert.Contains($"no such tick file or folder: {missing}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMalformedFromDateExitsTwoAndSaysWhatItTakes()
    {
        var (exit, output) = await RunAsync([.. RealRun.TickArgs, "--from", "2014-13-01"]);

        Assert.Equal(2, exit);
        Assert.Contains("--from takes a UTC date as YYYY-MM-DD, not '2014-13-01'", output, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Output)> RunAsync(string[] args)
    {
        using var bitten = BittenProcess.Start(["backtest", .. args]);
        var exit = await bitten.WaitForExitAsync(Timeout);
        return (exit, bitten.Output);
    }

    [GeneratedRegex(@"^TOTAL\s+\d+\s+\d+\s+\d+\s+\d+\s", RegexOptions.Multiline)]
    private static partial Regex TotalRow();

    /// <summary>One backtest with --json and --html, shared by the tests that read its files (a run takes seconds).</summary>
    public sealed class RealRun : IAsyncLifetime
    {
        public static string[] TickArgs =>
            ["--ticks", SharedData.Path("ticks/oanda-fx/eurusd"), SharedData.Path("ticks/oanda-cfd/xauusd")];

        public string Folder { get; } = Directory.CreateTempSubdirectory("bitten-backtest-").FullName;

        public string JsonPath => Path.Combine(Folder, "out.json");

        public string HtmlPath => Path.Combine(Folder, "report.html");

        public int Exit { get; private set; }

        public string Output { get; private set; } = "";

        public JsonDocument Json { get; private set; } = JsonDocument.Parse("{}");

        public async Task InitializeAsync()
        {
            (Exit, Output) = await RunAsync([.. TickArgs, "--json", JsonPath, "--html", HtmlPath]);
            if (Exit == 0)
            {
                Json = JsonDocument.Parse(await File.ReadAllBytesAsync(JsonPath));
            }
        }

        public Task DisposeAsync()
        {
            Json.Dispose();
            Directory.Delete(Folder, recursive: true);
            return Task.CompletedTask;
        }
    }
}
