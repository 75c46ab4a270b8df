using System.Diagnostics;
using System.Globalization;
using System.Text;
using Bitten.Domain.Events;
using Bitten.Persistence;
using Bitten.Persistence.Events;
using Npgsql;
using EventLog = Bitten.Persistence.Events.EventLog;

namespace Bitten.Bench;

/// <summary>
/// The event log's write rate (appended and committed, one writer, batched transactions) and its size on disk per
/// event, for the mix the engine writes (<see cref="MixDescription"/>). Each event is written as the server
/// writes it: with its typed row and the projections it changes, its data keys packed. SQLite in a temporary file;
/// PostgreSQL in a temporary schema of the database a connection string names, dropped afterwards.
/// </summary>
public static class EventLogBenchmark
{
    /// <summary>What <see cref="Mix"/> writes, per 20 events, for the bench's output.</summary>
    public const string MixDescription =
        "per 20 events: 7 mission_created, 2 fire_command (typed trade row, slot and mission projections), 2 trade_executed (typed row, " +
        "position), 2 position_closed, 2 slot_released, 1 signal_generated (typed row, signal), 1 signal_resolved, 1 balance_update, " +
        "1 market_data, 1 system_health (typed row)";

    /// <summary>One provider's run: the text to print, and the figures (events a second, bytes on disk an event).</summary>
    public sealed record Result(string Text, double PerSecond, double BytesPerEvent);

    public static Result Run(string provider, string? connectionString, int events)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(events, 1);
        return provider.ToUpperInvariant() switch
        {
            "SQLITE" => RunSqlite(events),
            "POSTGRES" => RunPostgres(connectionString ?? throw new ArgumentException("PostgreSQL needs a connection string", nameof(connectionString)), events),
            _ => throw new ArgumentException($"provider must be sqlite or postgres, not '{provider}'", nameof(provider)),
        };
    }

    /// <summary>The events the benchmark writes, built before the clock starts.</summary>
    public static IReadOnlyList<EventEnvelope> Mix(int count, long startMs)
    {
        var list = new List<EventEnvelope>(count);
        for (var i = 0; i < count; i++)
        {
            var t = startMs + i * 50L;
            var user = 1000 + (i % 500);
            var signal = $"ELITE_RAPID_EURUSD_{startMs / 1000 + i / 100}";
            var fire = $"F{t:x}{i % 100:D2}";
            var ticket = 50_000_000L + i;
            list.Add((i % 20) switch
            {
                0 => new EventEnvelope(EventTypes.SignalGenerated, t, "elite_guard",
                    $$"""{"signal_id":"{{signal}}","symbol":"EURUSD","direction":"BUY","confidence":84.5,"pattern_type":"LIQUIDITY_SWEEP_REVERSAL","entry_price":1.08412,"stop_pips":10,"target_pips":15,"expires_at":{{t + 1_800_000}}}"""),
                1 => new EventEnvelope(EventTypes.SystemHealth, t, "bridge", """{"component":"bridge","status":"running","uptime":3600}"""),
                2 => new EventEnvelope(EventTypes.MarketData, t, "bridge", $$"""{"symbol":"EURUSD","bid":1.08412,"ask":1.08414,"timestamp":{{t}}}"""),
                3 => new EventEnvelope(EventTypes.BalanceUpdate, t, "ea", $$"""{"user_id":{{user}},"account_number":"8812{{user}}","balance":10250.5,"equity":10190.2}""", UserId: user.ToString(CultureInfo.InvariantCulture)),
                4 or 5 => new EventEnvelope(EventTypes.FireCommand, t, "execution",
                    $$"""{"fire_id":"{{fire}}","signal_id":"{{signal}}","user_id":{{user}},"symbol":"EURUSD","direction":"BUY","lot_size":0.12,"execution_mode":"AUTO","sl_price":1.08312,"tp_price":1.08562}""",
                    UserId: user.ToString(CultureInfo.InvariantCulture)),
                6 or 7 => new EventEnvelope(EventTypes.TradeExecuted, t, "execution",
                    $$"""{"fire_id":"{{fire}}","ticket":{{ticket}},"symbol":"EURUSD","direction":"BUY","volume":0.12,"open_price":1.08414,"execution_time":{{t}}}""",
                    UserId: user.ToString(CultureInfo.InvariantCulture)),
                8 or 9 => new EventEnvelope(EventTypes.PositionClosed, t, "execution", $$"""{"ticket":{{ticket}},"fire_id":"{{fire}}"}"""),
                10 or 11 => new EventEnvelope(EventTypes.SlotReleased, t, "execution", $$"""{"user_id":{{user}},"reason":"closed"}"""),
                12 => new EventEnvelope(EventTypes.SignalResolved, t, "tracker", $$"""{"signal_id":"{{signal}}","outcome":"WIN"}"""),
                _ => new EventEnvelope(EventTypes.MissionCreated, t, "execution", $$"""{"mission_id":"M{{i:x}}","signal_id":"{{signal}}","user_id":{{user}}}"""),
            });
        }

        return list;
    }

    private static Result RunSqlite(int events)
    {
        var folder = Directory.CreateTempSubdirectory("bitten-bench-events-");
        try
        {
            var file = Path.Combine(folder.FullName, "events.db");
            using var database = new SqliteDatabase($"Data Source={file}");
            var before = FileBytes(file);
            var (rate, stats) = Write(database, events);
            using (var connection = database.OpenConnection())
            using (var checkpoint = connection.CreateCommand())
            {
                // Everything into the main file and the WAL cut to nothing, so the size is what the data takes.
                checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
                checkpoint.ExecuteNonQuery();
            }

            var bytes = FileBytes(file) - before;
            return Report("SQLite (WAL, synchronous NORMAL)", events, rate, bytes, stats);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    private static Result RunPostgres(string connectionString, int events)
    {
        using var schema = BenchSchema.Create(connectionString, "events");
        using var database = new PostgresDatabase(schema.ConnectionString);
        var (rate, stats) = Write(database, events);
        using var connection = database.OpenConnection();
        Execute(connection, "VACUUM ANALYZE events");
        using var size = connection.CreateCommand();
        size.CommandText = """
            SELECT pg_total_relation_size('events') + pg_total_relation_size('signal_events')
                 + pg_total_relation_size('trade_events') + pg_total_relation_size('health_events')
            """;
        var bytes = Convert.ToInt64(size.ExecuteScalar(), CultureInfo.InvariantCulture);
        return Report("PostgreSQL (pg_total_relation_size of the four tables)", events, rate, bytes, stats);
    }

    private static (double Rate, string Stats) Write(IDatabase database, int count)
    {
        var mix = Mix(count, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        // Room for every event: the benchmark measures the writer, not the drop policy.
        var log = new EventLog(database, capacity: count + 1);
        var watch = Stopwatch.StartNew();
        foreach (var e in mix)
        {
            log.Append(e);
        }

        log.FlushAsync().GetAwaiter().GetResult();
        watch.Stop();
        log.DisposeAsync().AsTask().GetAwaiter().GetResult();
        long payload = 0;
        foreach (var e in mix)
        {
            payload += Encoding.UTF8.GetByteCount(e.DataJson);
        }

        var stats = $"appended {log.Appended}, committed {log.Committed}, dropped {log.Dropped}, failed {log.Failed}, batches {log.Batches}; " +
            $"data_json averages {(double)payload / count:F0} bytes";
        return (log.Committed / watch.Elapsed.TotalSeconds, stats);
    }

    private static Result Report(string what, int events, double rate, long bytes, string stats)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Event log on {what}: {events:N0} events ({stats})");
        text.AppendLine(CultureInfo.InvariantCulture, $"  write rate      {rate:N0} events/s appended and committed");
        text.AppendLine(CultureInfo.InvariantCulture, $"  size on disk    {bytes:N0} bytes, {(double)bytes / events:F1} bytes/event (events, typed rows, projections, indexes)");
        return new Result(text.ToString(), rate, (double)bytes / events);
    }

    private static long FileBytes(string file)
    {
        long Size(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;
        return Size(file) + Size(file + "-wal");
    }

    private static void Execute(System.Data.Common.DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
