using System.Globalization;
using Bitten.Testing;

namespace Bitten.EndToEnd.Tests;

/// <summary><c>bitten indicators</c> as a user runs it: a real process reading a CSV and writing CSV.</summary>
public sealed class IndicatorsCommandTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("bitten-indicators-");

    // The reference files carry their own indicator columns next to the bars: the command must ignore them and
    // reproduce them. Their printed precision (4–5 decimals) sets the 1e-4 tolerance.
    [Theory]
    [InlineData("indicators/lean/spy_bollinger_bands.txt", "bb", "20,2", "upper", "Bollinger Bands® 20 2 Top")]
    [InlineData("indicators/lean/spy_bollinger_bands.txt", "BB", "20,2", "lower", "Bollinger Bands® 20 2 Bottom")]
    [InlineData("indicators/lean/spy_ema.csv", "EMA", "14", "ema", "EMA14")]
    [InlineData("indicators/lean/spy_atr_wilder.txt", "Atr", "14", "atr", "Average True Range 14")]
    public async Task OutputMatchesTheReferenceColumnOnEveryRowAndIsBlankExactlyDuringWarmUp(
        string file, string name, string parameters, string column, string referenceColumn)
    {
        var path = SharedData.Path(file);
        var (exit, output) = await RunAsync("indicators", "--input", path, "--name", name, "--params", parameters);

        Assert.Equal(0, exit);
        var ours = ReadCsv(output.Split('\n'));
        var reference = ReadCsv(File.ReadAllLines(path));
        Assert.Equal(reference.Rows.Count, ours.Rows.Count);
        var dateColumn = reference.Header.FindIndex(h => h is "Date" or "time");
        var ourColumn = ours.Header.IndexOf(column);
        var referenceIndex = reference.Header.IndexOf(referenceColumn);
        Assert.True(ourColumn > 0, $"no column {column} in {string.Join(',', ours.Header)}");
        var compared = 0;
        for (var i = 0; i < ours.Rows.Count; i++)
        {
            Assert.Equal(reference.Rows[i][dateColumn], ours.Rows[i][0]);
            var expected = reference.Rows[i][referenceIndex];
            var actual = ours.Rows[i][ourColumn];
            if (expected is "" or "NaN")
            {
                Assert.True(actual.Length == 0, $"row {i + 1}: '{actual}' during warm-up");
                continue;
            }

            Assert.True(
                Math.Abs(Parse(expected) - Parse(actual)) <= 1e-4,
                $"row {i + 1} ({ours.Rows[i][0]}): {column} {actual}, reference {expected}");
            compared++;
        }

        // Guards against a file whose reference column is blank throughout, which would compare nothing.
        Assert.True(compared > ours.Rows.Count / 2, $"only {compared} rows compared");
    }

    [Fact]
    public async Task EveryIndicatorWritesItsDocumentedHeader()
    {
        var path = SharedData.Path("indicators/lean/spy_bollinger_bands.txt");
        var expected = new Dictionary<string, string>
        {
            ["BB"] = "date,middle,upper,lower,bandwidth,percent_b",
            ["EMA"] = "date,ema",
            ["RSI"] = "date,rsi",
            ["ATR"] = "date,atr",
            ["KELTNER"] = "date,middle,upper,lower",
            ["KALMAN"] = "date,estimate,gain",
        };
        foreach (var (name, header) in expected)
        {
            var (exit, output) = await RunAsync("indicators", "--input", path, "--name", name);
            Assert.Equal(0, exit);
            Assert.Equal(header, output.Split('\n')[0]);
        }
    }

    [Fact]
    public async Task ATabSeparatedFileWithColumnsInAnyOrderIsReadAndAMalformedRowIsReportedAndSkipped()
    {
        var input = Write(
            "bars.tsv",
            "Close\tTimestamp\tlow\tHIGH\topen",
            "1.1000\t2024-01-02 10:00\t1.0990\t1.1010\t1.0995",
            "1.1010\t2024-01-02 10:05\t1.0995\t1.1020\t1.1000",
            "oops\t2024-01-02 10:10\t1.0995\t1.1020\t1.1000",
            "1.1020\t2024-01-02 10:15\t1.1000\t1.1030\t1.1010");

        var (exit, output) = await RunAsync("indicators", "--input", input, "--name", "kalman", "--params", "0.0001,0.01");

        Assert.Equal(0, exit);
        Assert.Contains("bars.tsv:4: skipped: close 'oops' is not a finite number", output, StringComparison.Ordinal);
        var rows = output.Split('\n').Where(l => l.StartsWith("2024-", StringComparison.Ordinal)).ToList();
        Assert.Equal(["2024-01-02 10:00", "2024-01-02 10:05", "2024-01-02 10:15"], rows.Select(r => r.Split(',')[0]));

        // Starting at the first close with variance R, the first update leaves the estimate on that close and
        // weighs it by (R + Q) / (2R + Q).
        var first = rows[0].Split(',');
        Assert.Equal(1.1, Parse(first[1]));
        Assert.Equal((0.01 + 0.0001) / (0.02 + 0.0001), Parse(first[2]), 15);
    }

    [Fact]
    public async Task AnUnknownIndicatorExitsTwoAndListsTheKnownOnes()
    {
        var path = SharedData.Path("indicators/lean/spy_ema.csv");
        var (exit, output) = await RunAsync("indicators", "--input", path, "--name", "MACD");

        Assert.Equal(2, exit);
        Assert.Contains("unknown indicator 'MACD': known are BB, EMA, RSI, ATR, KELTNER, KALMAN", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingColumnExitsTwoAndNamesIt()
    {
        // A close-only file is enough for EMA but not for ATR, which needs each bar's high and low.
        var path = SharedData.Path("indicators/lean/spy_ema.csv");
        var (exit, output) = await RunAsync("indicators", "--input", path, "--name", "ATR");

        Assert.Equal(2, exit);
        Assert.Contains("missing column(s) high, low", output, StringComparison.Ordinal);
        Assert.DoesNotContain("date,atr", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("BB", "20", "BB takes period,k: e.g. 20,2")]
    [InlineData("BB", "20,-1", "BB takes period,k: e.g. 20,2")]
    [InlineData("EMA", "0", "EMA takes period: e.g. 14")]
    [InlineData("ATR", "14,HMA", "ATR takes period[,SMA|EMA|RMA]: e.g. 14")]
    [InlineData("KALMAN", "0.0001,0", "KALMAN takes Q,R: e.g. 0.0001,0.01")]
    public async Task BadParametersExitTwoWithAnExample(string name, string parameters, string message)
    {
        var path = SharedData.Path("indicators/lean/spy_bollinger_bands.txt");
        var (exit, output) = await RunAsync("indicators", "--input", path, "--name", name, "--params", parameters);

        Assert.Equal(2, exit);
        Assert.Contains(message, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingFileExitsTwoAndNamesIt()
    {
        var missing = Path.Combine(_temp.FullName, "nope.csv");
        var (exit, output) = await RunAsync("indicators", "--input", missing, "--name", "EMA");

        Assert.Equal(2, exit);
        Assert.Contains($"input file '{missing}' not found", output, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Delete(recursive: true);

    private static async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        using var bitten = BittenProcess.Start(args);
        var exit = await bitten.WaitForExitAsync(Timeout);
        // WaitForExit returns once the output pipes close, so Output is complete here.
        return (exit, bitten.Output);
    }

    private static double Parse(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    // The reference files and our output hold no quoted fields, so a plain split reads them.
    private static (List<string> Header, List<string[]> Rows) ReadCsv(IEnumerable<string> lines)
    {
        var nonEmpty = lines.Where(l => l.Length > 0).ToList();
        return ([.. nonEmpty[0].Split(',')], [.. nonEmpty.Skip(1).Select(l => l.Split(','))]);
    }

    private string Write(string name, params string[] lines)
    {
        var path = Path.Combine(_temp.FullName, name);
        File.WriteAllLines(path, lines);
        return path;
    }
}
