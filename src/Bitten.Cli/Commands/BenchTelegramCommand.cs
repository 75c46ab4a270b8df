using System.ComponentModel;
using System.Globalization;
using Bitten.Bench;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Bitten.Cli.Commands;

/// <summary><c>bitten bench telegram</c>: one signal fanned out to N users through the outbox, at the flood limit, against a simulated Bot API.</summary>
public sealed class BenchTelegramCommand : AsyncCommand<BenchTelegramCommand.Options>
{
    public sealed class Options : CommandSettings
    {
        [CommandOption("--users <N>")]
        [Description("Users the signal's alert goes to.")]
        [DefaultValue(10_000)]
        public int Users { get; init; } = 10_000;

        [CommandOption("--rate <N>")]
        [Description("Messages per second over all chats (Telegram: 30); a higher test rate scales the floor down.")]
        [DefaultValue(30.0)]
        public double Rate { get; init; } = 30;

        [CommandOption("--json <FILE>")]
        [Description("The figures as JSON.")]
        public string? Json { get; init; }

        public override ValidationResult Validate() => Users < 1 || Rate is <= 0 or > 1000 || double.IsNaN(Rate)
            ? ValidationResult.Error("--users must be at least 1, --rate above 0 and at most 1000")
            : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Options settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bench telegram: {settings.Users:N0} users, {settings.Rate:G} msg/s, outbox on SQLite, Telegram.Bot to a simulated Bot API on loopback. {Environment.ProcessorCount} cores, .NET {Environment.Version}."));
        var result = await TelegramBenchmark.RunAsync(settings.Users, settings.Rate, cancellationToken);
        Console.WriteLine(TelegramBenchmark.Format(result));
        if (settings.Json is { } path)
        {
            // The figures under the same stable names as every bench (telegram.*), the run's record beside them.
            var figures = new BenchFigures("telegram")
                .Set("telegram.users", result.Users)
                .Set("telegram.rate_per_second", result.Rate)
                .Set("telegram.floor_seconds", result.FloorSeconds)
                .Set("telegram.last_handed_over_seconds", result.LastHandedOverSeconds)
                .Set("telegram.above_floor_percent", result.AboveFloorPercent)
                .Set("telegram.achieved_rate_per_second", result.AchievedRate)
                .Set("telegram.enqueue_ms", result.EnqueueMs)
                .Set("telegram.process_cpu_seconds", result.ProcessCpuSeconds)
                .Set("telegram.peak_working_set_mb", result.PeakWorkingSetMb)
                .Set("telegram.delivered", result.Delivered)
                .Set("telegram.each_once", result.EachOnce ? 1 : 0);
            await figures.WriteAsync(path, TimeProvider.System, result, cancellationToken);
        }

        return result.EachOnce ? 0 : 1;
    }
}
