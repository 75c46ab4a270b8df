using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Serialization;
using Bitten.Domain.Events;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Domain.Trading;
using Bitten.Host.Execution;
using Bitten.Persistence;
using Bitten.Simulation.Telegram;
using Bitten.Telegram;
using Bitten.Telegram.Alerts;
using Bitten.Telegram.Outbox;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bitten.Bench;

/// <summary>One fan-out's figures; JSON names are stable for comparing runs.</summary>
public sealed record TelegramBenchResult(
    [property: JsonPropertyName("users")] int Users,
    [property: JsonPropertyName("rate_per_second")] double Rate,
    [property: JsonPropertyName("burst")] int Burst,
    [property: JsonPropertyName("floor_seconds")] double FloorSeconds,
    [property: JsonPropertyName("last_handed_over_seconds")] double LastHandedOverSeconds,
    [property: JsonPropertyName("above_floor_percent")] double AboveFloorPercent,
    [property: JsonPropertyName("achieved_rate_per_second")] double AchievedRate,
    [property: JsonPropertyName("enqueue_ms")] double EnqueueMs,
    [property: JsonPropertyName("process_cpu_seconds")] double ProcessCpuSeconds,
    [property: JsonPropertyName("peak_working_set_mb")] double PeakWorkingSetMb,
    [property: JsonPropertyName("delivered")] int Delivered,
    [property: JsonPropertyName("each_once")] bool EachOnce);

/// <summary>
/// One signal's alert fanned out to N users through the real outbox: <see cref="BotOutbox"/> storing into SQLite
/// (<see cref="OutboxStore"/>), one <see cref="OutboxSender"/> at the flood limit, Telegram.Bot over HTTP to the
/// <see cref="SimulatedBotApi"/> in this process. Measured: from the moment the signal's messages are enqueued to the
/// moment the simulator has the last one, against the floor the rate sets ((N − burst) / rate: 333 s for 10,000 at 30/s).
/// </summary>
public static class TelegramBenchmark
{
    public static async Task<TelegramBenchResult> RunAsync(int users, double rate, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(users, 1);
        var folder = Directory.CreateTempSubdirectory("bitten-bench-telegram-");
        try
        {
            return await RunAsync(users, rate, folder.FullName, cancellationToken);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    public static string Format(TelegramBenchResult r) => string.Create(CultureInfo.InvariantCulture,
        $"""
        {r.Users:N0} users at {r.Rate:G} msg/s (burst {r.Burst}): last message handed over after {r.LastHandedOverSeconds:F2} s, floor {r.FloorSeconds:F2} s ({r.AboveFloorPercent:+0.00;-0.00} %)
          achieved {r.AchievedRate:F2} msg/s; enqueue of {r.Users:N0} in {r.EnqueueMs:F1} ms; process CPU {r.ProcessCpuSeconds:F2} s; peak working set {r.PeakWorkingSetMb:F0} MB
          delivered {r.Delivered:N0}, each once: {(r.EachOnce ? "yes" : "NO")}
        """);

    private static async Task<TelegramBenchResult> RunAsync(int users, double rate, string folder, CancellationToken cancellationToken)
    {
        var clock = TimeProvider.System;
        using var database = new SqliteDatabase($"Data Source={Path.Combine(folder, "bench.db")}", clock);
        await using var api = await SimulatedBotApi.StartAsync(clock: clock);
        var options = new TelegramOptions { BotToken = api.Token, ApiBaseUrl = api.BaseUrl, MessagesPerSecond = rate };
        using var http = new HttpClient();
        var outbox = new BotOutbox(new StoreOutbox(new OutboxStore(database)), clock);
        var gate = FloodGate.From(options);
        var sender = new OutboxSender(outbox, new TelegramBotApi(TelegramBotApi.CreateClient(options, http)), gate, clock);
        var alerts = new MissionAlerts(outbox, new AlertButtons("https://bitten.example"), null,
            userId => new BotRecipient(10_000 + userId, MissionAlerts: true), _ => "62% of 40 resolved (95%: 47–75%)", () => SymbolCatalogue.Default,
            NullLogger.Instance);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = Task.Run(() => sender.RunAsync(stop.Token), CancellationToken.None);
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var start = clock.GetUtcNow();
        var enqueue = Stopwatch.StartNew();
        // The real path: the kernel hands the signal and its missions to the alerts, whose loop stores them in bursts.
        var alerting = alerts.RunAsync(CancellationToken.None);
        alerts.OnEvent(new SignalRaised(Signal));
        for (var user = 0; user < users; user++)
        {
            alerts.OnEvent(new MissionCreated(Signal.TimestampMs, user, MissionStatuses.MissionId(Signal.SignalId, user), Signal.SignalId, Signal.Symbol, Signal.Confidence));
        }

        alerts.Complete();
        await alerting;
        enqueue.Stop();

        var floor = (users - Math.Min(users, gate.Burst)) / rate;
        var messages = await api.WaitForMessagesAsync(users, TimeSpan.FromSeconds((floor * 2) + 60)).WaitAsync(cancellationToken);
        await stop.CancelAsync();
        await running;
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;

        var last = (messages[^1].At - start).TotalSeconds;
        var spread = (messages[^1].At - messages[0].At).TotalSeconds;
        return new TelegramBenchResult(users, rate, gate.Burst, floor, last, floor > 0 ? (last - floor) / floor * 100 : 0,
            spread > 0 ? (messages.Count - 1) / spread : double.NaN, enqueue.Elapsed.TotalMilliseconds, cpu,
            process.PeakWorkingSet64 / 1024.0 / 1024.0, messages.Count,
            messages.Select(m => m.ChatId).Distinct().Count() == users && messages.Count == users);
    }

    /// <summary>The one signal every user gets a mission of.</summary>
    private static readonly Signal Signal = new("ELITE_RAPID_EURUSD_BENCH", "EURUSD", new SymbolId(0), Direction.Buy, 1.08420, 1.08270, 1.08720, 15, 30, 2,
        82, PatternType.KalmanQuickfire, 6.5, "LONDON", 1_767_340_800_000, 1_767_342_600_000, 1_767_340_800_050);
}
