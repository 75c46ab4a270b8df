using System.Globalization;
using Bitten.Cli.Backtest;
using Bitten.Cli.Hosting;
using Bitten.Simulation.Replay;

namespace Bitten.Cli.Commands;

/// <summary><c>bitten backtest</c>: the live kernel on a manual clock over recorded ticks, with a per-pattern report.</summary>
public static class BacktestCommand
{
    public static int Run(string[] args)
    {
        var commandLine = new CommandLine(args);
        var paths = commandLine.Values("ticks");
        var symbols = commandLine.Values("symbols")
            .SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(s => s.ToUpperInvariant())
            .ToHashSet(StringComparer.Ordinal);
        var from = Date(commandLine.Value("from"), "from");
        var to = Date(commandLine.Value("to"), "to");
        var offset = commandLine.Value("tz-offset") is { } tz
            ? double.TryParse(tz, CultureInfo.InvariantCulture, out var hours) && Math.Abs(hours) <= 14 ? TimeSpan.FromHours(hours)
                : throw new UsageException($"--tz-offset takes hours from UTC (e.g. -5), not '{tz}'")
            : TimeSpan.Zero;
        var jsonPath = commandLine.Value("json");
        var htmlPath = commandLine.Value("html");
        commandLine.RejectUnknown();
        if (paths.Count == 0)
        {
            throw new UsageException("backtest needs --ticks <files or folders>");
        }

        if (from is { } f && to is { } t && t <= f)
        {
            throw new UsageException($"--to {t:yyyy-MM-dd} must be after --from {f:yyyy-MM-dd}");
        }

        IReadOnlyList<TickFile> files;
        try
        {
            files = TickReplay.Discover(paths, utcOffset: offset);
        }
        catch (FileNotFoundException e)
        {
            throw new UsageException(e.Message);
        }

        if (files.Count == 0)
        {
            throw new UsageException($"no tick files (*_quote.zip or *.csv) in {string.Join(", ", paths)}");
        }

        if (symbols.Count > 0 && symbols.FirstOrDefault(s => files.All(file => file.Symbol != s)) is { } missing)
        {
            throw new UsageException($"no ticks for {missing}: the files hold {string.Join(", ", files.Select(x => x.Symbol).Distinct())}");
        }

        var replay = Backtester.SettingsFrom(Settings.Load(commandLine.ConfigArgs), symbols.Count > 0 ? symbols : null, UnixMs(from), UnixMs(to), Console.Error);
        var result = Backtester.Run(files, replay, Console.Error);
        var rows = PatternReport.Build(result.Trades);
        Console.Write(PatternReport.Format(rows));
        var engine = result.Engine;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"engine: {engine.Evaluations:N0} M5 closes; readings dropped: {engine.BelowFloor} below pattern floor, {engine.BelowThreshold} below threshold, {engine.Paced} paced; CITADEL: {engine.Held} held, {engine.Released} released, {engine.HoldsExpired} expired; threshold {engine.Threshold:F0} after {engine.ThresholdMoves} moves"));
        if (result.Account is { Result: var a })
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"account: balance {a.StartBalance:N2} -> {a.EndBalance:N2} (equity {a.EndEquity:N2}); {a.Fires} fires, {a.Fills} fills, {a.Refusals.Values.Sum()} refused; max drawdown {a.MaxDrawdownPercent:F2}%"));
        }

        if (jsonPath is not null)
        {
            using var stream = File.Create(jsonPath);
            BacktestJson.Write(stream, result, rows);
            Console.Error.WriteLine($"backtest: wrote {jsonPath}");
        }

        if (htmlPath is not null)
        {
            File.WriteAllText(htmlPath, BacktestHtml.Render(result, rows));
            Console.Error.WriteLine($"backtest: wrote {htmlPath}");
        }

        return 0;
    }

    private static DateOnly? Date(string? text, string flag) =>
        text is null ? null
        : DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date
        : throw new UsageException($"--{flag} takes a UTC date as YYYY-MM-DD, not '{text}'");

    private static long? UnixMs(DateOnly? date) =>
        date is { } d ? new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds() : null;
}
