using System.Data;
using System.Data.Common;
using System.Text.Json;
using System.Threading.Channels;
using Bitten.Domain.Events;

namespace Bitten.Persistence.Events;

/// <summary>
/// The event log (PRODUCT.md §7, DESIGN.md principle 5): <see cref="Append"/> queues an event without ever blocking
/// the caller; one writer thread commits what is queued in batched transactions (up to <c>maxBatch</c> events each),
/// every event together with its typed row (<c>signal_events</c>, <c>trade_events</c>, <c>health_events</c>).
/// A full queue drops the event, counts it and says so: never silently.
/// </summary>
public sealed class EventLog : IEventSink, IAsyncDisposable
{
    public const int DefaultCapacity = 100_000;
    public const int DefaultMaxBatch = 5_000;

    private const string InsertEvent = """
        INSERT INTO events (event_type, timestamp_ms, source, correlation_id, user_id, session_id, data_json, created_at_ms)
        VALUES (@type, @time, @source, @correlation, @user, @session, @data, @created)
        """;

    // The typed tables: each column with its parameter and type; event_id comes first, from the event just inserted.
    private static readonly TypedTable SignalTable = new("signal_events",
    [
        ("signal_id", DbType.String), ("symbol", DbType.String), ("direction", DbType.String), ("confidence", DbType.Double),
        ("pattern_type", DbType.String), ("entry_price", DbType.Double), ("stop_pips", DbType.Double), ("target_pips", DbType.Double),
        ("expires_at_ms", DbType.Int64),
    ]);

    private static readonly TypedTable TradeTable = new("trade_events",
    [
        ("fire_id", DbType.String), ("ticket", DbType.Int64), ("symbol", DbType.String), ("direction", DbType.String),
        ("volume", DbType.Double), ("open_price", DbType.Double), ("sl_price", DbType.Double), ("tp_price", DbType.Double),
        ("execution_time_ms", DbType.Int64),
    ]);

    private static readonly TypedTable HealthTable = new("health_events",
    [
        ("component", DbType.String), ("status", DbType.String), ("uptime", DbType.Double), ("memory_usage", DbType.Double),
        ("cpu_usage", DbType.Double), ("message", DbType.String),
    ]);

    private readonly IDatabase _database;
    private readonly TimeProvider _time;
    private readonly Action<string> _warn;
    private readonly int _maxBatch;
    private readonly Channel<Item> _queue;
    private readonly Thread _thread;
    private long _appended;
    private long _committed;
    private long _dropped;
    private long _batches;
    private long _failed;
    private long _untyped;

    /// <param name="database">The store, migrations applied (0002_events).</param>
    /// <param name="warn">Where drops and failed commits are reported (a logger's warning); the counters hold them too.</param>
    /// <param name="capacity">Events queued and not yet committed before <see cref="Append"/> starts dropping.</param>
    /// <param name="maxBatch">The most events one transaction holds.</param>
    public EventLog(IDatabase database, TimeProvider? time = null, Action<string>? warn = null, int capacity = DefaultCapacity,
        int maxBatch = DefaultMaxBatch)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        _database = database;
        _time = time ?? TimeProvider.System;
        _warn = warn ?? (_ => { });
        _maxBatch = maxBatch;
        _queue = Channel.CreateBounded<Item>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _thread = new Thread(Run) { Name = "bitten-event-log", IsBackground = true };
        _thread.Start();
    }

    /// <summary>Events accepted into the queue.</summary>
    public long Appended => Interlocked.Read(ref _appended);

    /// <summary>Events committed, each with its typed row.</summary>
    public long Committed => Interlocked.Read(ref _committed);

    /// <summary>Events refused because the queue was full (or the log was closed).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Transactions committed.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Events lost because their batch could not be committed (after one retry).</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Events of a typed kind stored without their typed row because their data lacked its fields.</summary>
    public long Untyped => Interlocked.Read(ref _untyped);

    /// <summary>Queues the event; never blocks. A full queue drops it, counts it and reports it.</summary>
    public void Append(EventEnvelope e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (_queue.Writer.TryWrite(new Item(e, null)))
        {
            Interlocked.Increment(ref _appended);
            return;
        }

        var dropped = Interlocked.Increment(ref _dropped);
        if (dropped <= 10 || dropped % 1000 == 0)
        {
            // The first few in full, then one in a thousand: a flood must not drown the log it is reported to.
            _warn($"event log: dropped {e.EventType} from {e.Source} ({dropped} dropped so far): the queue is full or the log is closed");
        }
    }

    /// <summary>
    /// Completes when every event appended before this call is committed; fails if any of them could not be.
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Waits for room rather than dropping: a flush marker must reach the writer behind everything before it.
        await _queue.Writer.WriteAsync(new Item(null, done), cancellationToken).ConfigureAwait(false);
        await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Commits what is queued, then stops the writer.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.Run(_thread.Join).ConfigureAwait(false);
    }

    private void Run()
    {
        var reader = _queue.Reader;
        var batch = new List<EventEnvelope>(_maxBatch);
        var flushes = new List<TaskCompletionSource>();
        var failedSinceFlush = 0L;
        using var writer = new Writer(_database, _time);
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            // Whatever is queued, up to a batch: under load batches fill, when idle each event commits at once.
            while (batch.Count < _maxBatch && reader.TryRead(out var item))
            {
                if (item.Event is not null)
                {
                    batch.Add(item.Event);
                }
                else
                {
                    flushes.Add(item.Flush!);
                }
            }

            if (batch.Count > 0)
            {
                failedSinceFlush += Commit(writer, batch);
                batch.Clear();
            }

            if (flushes.Count > 0)
            {
                foreach (var flush in flushes)
                {
                    if (failedSinceFlush == 0)
                    {
                        flush.TrySetResult();
                    }
                    else
                    {
                        flush.TrySetException(new InvalidOperationException($"{failedSinceFlush} events could not be committed"));
                    }
                }

                flushes.Clear();
                failedSinceFlush = 0;
            }
        }
    }

    /// <summary>Commits the batch, retrying once on a fresh connection; returns how many events were lost.</summary>
    private long Commit(Writer writer, List<EventEnvelope> batch)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var untyped = writer.Write(batch);
                Interlocked.Add(ref _committed, batch.Count);
                Interlocked.Increment(ref _batches);
                if (untyped > 0)
                {
                    Interlocked.Add(ref _untyped, untyped);
                    _warn($"event log: {untyped} events stored without their typed row (their data lacked its fields)");
                }

                return 0;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                writer.Reset();
                if (attempt >= 2)
                {
                    Interlocked.Add(ref _failed, batch.Count);
                    _warn($"event log: {batch.Count} events lost, their batch failed twice: {e.Message}");
                    return batch.Count;
                }

                _warn($"event log: a batch of {batch.Count} events failed ({e.Message}); retrying once");
            }
        }
    }

    private readonly record struct Item(EventEnvelope? Event, TaskCompletionSource? Flush);

    /// <summary>The writer thread's connection and prepared commands, opened lazily and rebuilt after a failure.</summary>
    private sealed class Writer(IDatabase database, TimeProvider time) : IDisposable
    {
        private DbConnection? _connection;
        private Commands? _commands;

        /// <summary>One transaction: every event and its typed row. Returns the typed events stored without one.</summary>
        public int Write(List<EventEnvelope> batch)
        {
            _connection ??= database.OpenConnection();
            using var transaction = _connection.BeginTransaction();
            if (_connection.CanCreateBatch)
            {
                var skipped = WriteBatched(_connection, transaction, batch, time.GetUtcNow().ToUnixTimeMilliseconds());
                transaction.Commit();
                return skipped;
            }

            _commands ??= new Commands(_connection);
            _commands.Enlist(transaction);
            var created = time.GetUtcNow().ToUnixTimeMilliseconds();
            var untyped = 0;
            foreach (var e in batch)
            {
                untyped += _commands.Insert(e, created) ? 0 : 1;
            }

            transaction.Commit();
            return untyped;
        }

        /// <summary>
        /// A server database (PostgreSQL): the whole batch in one round trip, each event and its typed row as one
        /// statement (the typed insert reads the new id from a data-modifying WITH). SQLite, in process, has no batches
        /// and needs none: prepared statements one by one cost microseconds there.
        /// </summary>
        private static int WriteBatched(DbConnection connection, DbTransaction transaction, List<EventEnvelope> batch, long created)
        {
            using var dbBatch = connection.CreateBatch();
            dbBatch.Transaction = transaction;
            var untyped = 0;
            foreach (var e in batch)
            {
                var command = dbBatch.CreateBatchCommand();
                var (table, values) = Commands.TypedRow(e);
                if (HasTypedRow(e.EventType) && table is null)
                {
                    untyped++;
                }

                command.CommandText = table is null ? InsertEvent : table.WithEventSql;
                AddParameters(command, EventParameters, EventValues(e, created));
                if (table is not null)
                {
                    AddParameters(command, table.Parameters, values!);
                }

                dbBatch.BatchCommands.Add(command);
            }

            dbBatch.ExecuteNonQuery();
            return untyped;
        }

        private static void AddParameters(DbBatchCommand command, (string Name, DbType Type)[] specs, object?[] values)
        {
            for (var i = 0; i < specs.Length; i++)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = specs[i].Name;
                parameter.DbType = specs[i].Type;
                parameter.Value = values[i] ?? DBNull.Value;
                command.Parameters.Add(parameter);
            }
        }

        public void Reset()
        {
            _commands?.Dispose();
            _commands = null;
            _connection?.Dispose();
            _connection = null;
        }

        public void Dispose() => Reset();
    }

    private static (string Name, DbType Type)[] EventParameters { get; } =
    [
        ("@type", DbType.String), ("@time", DbType.Int64), ("@source", DbType.String), ("@correlation", DbType.String),
        ("@user", DbType.String), ("@session", DbType.String), ("@data", DbType.String), ("@created", DbType.Int64),
    ];

    private static object?[] EventValues(EventEnvelope e, long created) =>
        [e.EventType, e.TimestampMs, e.Source, e.CorrelationId, e.UserId, e.SessionId, e.DataJson, created];

    private static bool HasTypedRow(string eventType) =>
        eventType is EventTypes.SignalGenerated or EventTypes.SystemHealth or EventTypes.FireCommand or EventTypes.TradeExecuted;

    /// <summary>A typed table: its insert after a known event id, and its insert reading the id from a WITH over the event's.</summary>
    private sealed class TypedTable
    {
        public TypedTable(string name, (string Column, DbType Type)[] columns)
        {
            var names = string.Join(", ", columns.Select(c => c.Column));
            var parameters = string.Join(", ", columns.Select(c => "@" + c.Column));
            Parameters = [.. columns.Select(c => ("@" + c.Column, c.Type))];
            Sql = $"INSERT INTO {name} (event_id, {names}) VALUES (@event_id, {parameters})";
            WithEventSql = $"WITH e AS ({InsertEvent} RETURNING id) INSERT INTO {name} (event_id, {names}) SELECT id, {parameters} FROM e";
        }

        public (string Name, DbType Type)[] Parameters { get; }

        public string Sql { get; }

        public string WithEventSql { get; }
    }

    private sealed class Commands : IDisposable
    {
        private readonly DbCommand _event;
        private readonly DbCommand _eventReturningId;
        private readonly Dictionary<TypedTable, DbCommand> _typed = [];

        public Commands(DbConnection connection)
        {
            _event = Create(connection, InsertEvent, EventParameters);
            _eventReturningId = Create(connection, InsertEvent + " RETURNING id", EventParameters);
            foreach (var table in new[] { SignalTable, TradeTable, HealthTable })
            {
                _typed[table] = Create(connection, table.Sql, [("@event_id", DbType.Int64), .. table.Parameters]);
            }
        }

        public void Enlist(DbTransaction transaction)
        {
            _event.Transaction = transaction;
            _eventReturningId.Transaction = transaction;
            foreach (var command in _typed.Values)
            {
                command.Transaction = transaction;
            }
        }

        /// <summary>Inserts the event and its typed row; false when it is of a typed kind but its data lacks the fields.</summary>
        public bool Insert(EventEnvelope e, long created)
        {
            var typed = HasTypedRow(e.EventType);
            var (table, values) = typed ? TypedRow(e) : default;
            var command = table is null ? _event : _eventReturningId;
            var eventValues = EventValues(e, created);
            for (var i = 0; i < eventValues.Length; i++)
            {
                command.Parameters[i].Value = eventValues[i] ?? DBNull.Value;
            }

            if (table is null)
            {
                command.ExecuteNonQuery();
                return !typed;
            }

            var id = Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            var insert = _typed[table];
            insert.Parameters[0].Value = id;
            for (var i = 0; i < values!.Length; i++)
            {
                insert.Parameters[i + 1].Value = values[i] ?? DBNull.Value;
            }

            insert.ExecuteNonQuery();
            return true;
        }

        public void Dispose()
        {
            _event.Dispose();
            _eventReturningId.Dispose();
            foreach (var command in _typed.Values)
            {
                command.Dispose();
            }
        }

        /// <summary>The typed table and its column values for the event, or (null, null) when it has none or its data lacks the fields.</summary>
        public static (TypedTable? Table, object?[]? Values) TypedRow(EventEnvelope e)
        {
            if (!HasTypedRow(e.EventType))
            {
                return default;
            }

            using var document = TryParse(e.DataJson);
            if (document is null || document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return default;
            }

            var data = document.RootElement;
            switch (e.EventType)
            {
                case EventTypes.SignalGenerated:
                    if (Text(data, "signal_id") is not { } signal || Text(data, "symbol") is not { } symbol || Text(data, "direction") is not { } direction
                        || Number(data, "confidence") is not { } confidence || Text(data, "pattern_type") is not { } pattern)
                    {
                        return default;
                    }

                    return (SignalTable, [signal, symbol, direction, confidence, pattern, Number(data, "entry_price"), Number(data, "stop_pips"),
                        Number(data, "target_pips"), Time(data, "expires_at")]);
                case EventTypes.SystemHealth:
                    if (Text(data, "component") is not { } component || Text(data, "status") is not { } status)
                    {
                        return default;
                    }

                    return (HealthTable, [component, status, Number(data, "uptime"), Number(data, "memory_usage"), Number(data, "cpu_usage"),
                        Text(data, "message")]);
                default:
                    if (Text(data, "symbol") is not { } tradeSymbol || Text(data, "direction") is not { } tradeDirection)
                    {
                        return default;
                    }

                    var executed = e.EventType == EventTypes.TradeExecuted;
                    return (TradeTable, [Text(data, "fire_id"), executed ? Integer(data, "ticket") : null, tradeSymbol, tradeDirection,
                        Number(data, executed ? "volume" : "lot_size"), executed ? Number(data, "open_price") : null,
                        Number(data, "sl_price"), Number(data, "tp_price"), executed ? Time(data, "execution_time") : null]);
            }
        }

        private static DbCommand Create(DbConnection connection, string sql, (string Name, DbType Type)[] parameters)
        {
            var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, type) in parameters)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.DbType = type;
                command.Parameters.Add(parameter);
            }

            return command;
        }

        private static JsonDocument? TryParse(string json)
        {
            try
            {
                return JsonDocument.Parse(json);
            }
            catch (JsonException)
            {
                return null;
            }
        }

        private static string? Text(JsonElement data, string name) =>
            data.TryGetProperty(name, out var v) ? v.ValueKind switch
            {
                JsonValueKind.String => v.GetString(),
                JsonValueKind.Number => v.GetRawText(),
                _ => null,
            } : null;

        private static double? Number(JsonElement data, string name) =>
            data.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && double.IsFinite(d) ? d : null;

        private static long? Integer(JsonElement data, string name) =>
            data.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var l) ? l : null;

        /// <summary>Unix ms from ms or the original's epoch seconds, the same rule as the bus's validation.</summary>
        private static long? Time(JsonElement data, string name) =>
            Number(data, name) is { } t && t > 0 ? (long)Math.Round(t < 1e11 ? t * 1000 : t, MidpointRounding.AwayFromZero) : null;
    }
}
