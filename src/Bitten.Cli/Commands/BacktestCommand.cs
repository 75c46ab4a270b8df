using System.ComponentModel;
using System.Globalization;
using Bitten.Cli.Backtest;
using Bitten.Cli.Hosting;
using Bitten.Cli.Printing;
using Bitten.Host.Configuration;
using Spectre.Console.Cli;

namespace Bitten.Cli.Commands;

/// <summary><c>bitten backtest</c>: the live kernel on a manual clock over recorded ticks, with a per-pattern report.</summary>
public sealed class BacktestCommand : Command<BacktestCommand.Options>
{
    public sealed class Options : CommandSettings
    {
        [CommandOption("--ticks <PATH>")]
        [Description("Tick files (*_quote.zip, *.csv) or folders of them; several may follow one --ticks.")]
        public string[] Ticks { get; init; } = [];

        [CommandOption("--symbols <SYMBOLS>")]
        [Description("Only these symbols, comma-separated (e.g. EURUSD,XAUUSD).")]
        public string[] Symbols { get; init; } = [];

        [CommandOption("--from <YYYY-MM-DD>")]
        [Description("First UTC day.")]
        public string? From { get; init; }

        [CommandOption("--to <YYYY-MM-DD>")]
        [Description("UTC day after the last.")]
        public string? To { get; init; }

        [CommandOption("--tz-offset <HOURS>")]
        [Description("The recording's offset from UTC in hours (e.g. -5).")]
        public string? TzOffset { get; init; }

        [CommandOption("--json <FILE>")]
        [Description("Write every signal, its outcome and the statistics as JSON.")]
        public string? Json { get; init; }

        [CommandOption("--html <FILE>")]
        [Description("Write a self-contained HTML report with the price chart and the signals on it.")]
        public string? Html { get; init; }
    }

    public override int Execute(CommandContext context, Options settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var paths = settings.Ticks;
        var symbols = settings.Symbols
            .SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(s => s.ToUpperInvariant())
            .ToHashSet(StringComparer.Ordinal);
        var from = Date(settings.From, "from");
        var to = Date(settings.To, "to");
        var offset = TickFiles.Offset(settings.TzOffset);
        var jsonPath = settings.Json;
        var htmlPath = settings.Html;
        if (paths.Length == 0)
        {
            throw new UsageException("backtest needs --ticks <files or folders>");
        }

        if (from is { } f && to is { } t && t <= f)
        {
            throw new UsageException($"--to {t:yyyy-MM-dd} must be after --from {f:yyyy-MM-dd}");
        }

        var files = TickFiles.Discover(paths, offset: offset);
        if (symbols.Count > 0 && symbols.FirstOrDefault(s => files.All(file => file.Symbol != s)) is { } missing)
        {
            throw new UsageException($"no ticks for {missing}: the files hold {string.Join(", ", files.Select(x => x.Symbol).Distinct())}");
        }

        var replay = Backtester.SettingsFrom(Settings.Load(Overrides.Of(context).Args), symbols.Count > 0 ? symbols : null, UnixMs(from), UnixMs(to),
            Console.Error);
        var result = ProgressDisplay.Run("backtest", progress => Backtester.Run(files, replay, progress));
        var rows = PatternReport.Build(result.Trades);
        Tables.Write(PatternReport.Format(rows));
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
