using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using System.Text.Json;
using System.Threading.Channels;
using Bitten.Domain.Events;
using Microsoft.Data.Sqlite;

namespace Bitten.Persistence.Events;

/// <summary>
/// The event log (PRODUCT.md §7, DESIGN.md principle 5): <see cref="Append"/> queues an event; one writer thread
/// commits what is queued in batched transactions (up to <c>maxBatch</c> events each), every event together with its
/// typed row (<c>signal_events</c>, <c>trade_events</c>, <c>health_events</c>) and the projections it changes.
/// <para>
/// A full queue never loses money: a mission, fire, fill, close, slot, balance, signal or user event makes its producer
/// wait for room (back-pressure, counted in <see cref="Waits"/> and <see cref="TimeWaited"/>), since a projection that
/// misses one disagrees with what happened. Only what the next one supersedes — market data, health beats, pattern
/// sightings — is shed instead, counted by type and reported.
/// </para>
/// </summary>
public sealed class EventLog : IEventSink, IAsyncDisposable
{
    public const int DefaultCapacity = 100_000;
    /// <summary>Small enough that work jumping the queue (a fire) waits for at most one such batch to commit.</summary>
    public const int DefaultMaxBatch = 1_000;

    internal const string InsertEvent = """
        INSERT INTO events (type_code, timestamp_ms, source_code, correlation_id, user_id, session_id, data_json, created_at_ms)
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

    /// <summary>The event types a full queue sheds rather than waits for: each is superseded by the next one of its kind.</summary>
    public static IReadOnlyList<string> Sheddable { get; } = [EventTypes.MarketData, EventTypes.SystemHealth, EventTypes.PatternDetected];

    private readonly IDatabase _database;
    private readonly TimeProvider _time;
    private readonly Action<string> _warn;
    private readonly int _maxBatch;
    private readonly Channel<Item> _queue;

    // Work that may jump the queue, each behind a barrier: the number of queued items ahead of which it must not commit.
    private readonly ConcurrentQueue<Item> _urgent = new();
    private long _holds;

    // Guards the count of items queued, so "everything queued before this call" is an exact position in the queue.
    private readonly Lock _order = new();
    private long _enqueued;
    private long _lastBarrier;
    private readonly Thread _thread;
    private long _appended;
    private long _committed;
    private long _dropped;
    private readonly long[] _shed = new long[Sheddable.Count];
    private long _waits;
    private long _waitedTicks;
    private readonly int _capacity;
    private long _batches;
    private long _failed;
    private long _untyped;

    /// <param name="database">The store, migrations applied (0002_events).</param>
    /// <param name="warn">Where shed events, events refused after closing and failed commits are reported (a logger's warning); the counters hold them too.</param>
    /// <param name="capacity">Items queued and not yet taken by the writer before <see cref="Append"/> waits (or sheds).</param>
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
        _capacity = capacity;
        _queue = Channel.CreateBounded<Item>(new BoundedChannelOptions(capacity)
        {
            // The reader is a dedicated thread blocked on the wait: waking it inline is a Set, not a thread-pool hop.
            AllowSynchronousContinuations = true,
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

    /// <summary>Events never queued: the <see cref="Sheddable"/> ones shed for a full queue, and any appended after the log was closed.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Times a producer found the queue full and waited for room (an event that must not be shed, or an after-commit callback).</summary>
    public long Waits => Interlocked.Read(ref _waits);

    /// <summary>How long producers have waited for room, all waits added up.</summary>
    public TimeSpan TimeWaited => TimeSpan.FromTicks(Interlocked.Read(ref _waitedTicks));

    /// <summary>Items queued and not yet taken by the writer.</summary>
    public int QueueDepth => _queue.Reader.Count;

    /// <summary>The most items the queue holds before producers wait (or shed).</summary>
    public int Capacity => _capacity;

    /// <summary>Every event shed so far, summed without building <see cref="ShedByType"/> (for a reader asking often whether anything moved).</summary>
    public long ShedTotal
    {
        get
        {
            long total = 0;
            for (var i = 0; i < _shed.Length; i++)
            {
                total += Interlocked.Read(ref _shed[i]);
            }

            return total;
        }
    }

    /// <summary>How many events of each <see cref="Sheddable"/> type were shed for a full queue (every type listed, zeros included).</summary>
    public IReadOnlyDictionary<string, long> ShedByType()
    {
        var shed = new Dictionary<string, long>(Sheddable.Count, StringComparer.Ordinal);
        for (var i = 0; i < _shed.Length; i++)
        {
            shed[Sheddable[i]] = Interlocked.Read(ref _shed[i]);
        }

        return shed;
    }

    /// <summary>Transactions committed.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Events lost because their batch could not be committed (after one retry).</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Events of a typed kind stored without their typed row because their data lacked its fields.</summary>
    public long Untyped => Interlocked.Read(ref _untyped);

    /// <summary>
    /// Queues the event. With the queue full, a <see cref="Sheddable"/> event is shed (counted by type and reported);
    /// any other waits for room, however long the writer takes. Only a closed log refuses one (counted and reported).
    /// Never call it from an after-commit callback: the writer would be waiting for itself.
    /// </summary>
    public void Append(EventEnvelope e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var item = Item.Of(e);
        if (TryEnqueue(item))
        {
            Interlocked.Increment(ref _appended);
            return;
        }

        var sheddable = IndexOfSheddable(e.EventType);
        if (sheddable < 0 && WaitAndEnqueue(item))
        {
            Interlocked.Increment(ref _appended);
            return;
        }

        if (sheddable >= 0)
        {
            Interlocked.Increment(ref _shed[sheddable]);
        }

        var dropped = Interlocked.Increment(ref _dropped);
        if (dropped <= 10 || dropped % 1000 == 0)
        {
            // The first few in full, then one in a thousand: a flood must not drown the log it is reported to.
            var why = sheddable >= 0 ? "shed: the queue is full" : "refused: the log is closed";
            _warn($"event log: {e.EventType} from {e.Source} {why} ({dropped} not stored so far)");
        }
    }

    /// <summary>
    /// Completes when every event appended before this call is committed; fails if any of them could not be.
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Waits for room rather than dropping: a flush marker must reach the writer behind everything before it.
        await EnqueueAsync(Item.FlushMarker(done), cancellationToken).ConfigureAwait(false);
        await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the writer's connection, in the transaction that commits every event appended
    /// before this call: whatever the work stores is never durable ahead of the events that led to it (a fire is never
    /// committed before its signal). The work runs under a savepoint, so one that throws undoes only itself; the task
    /// then fails with its exception. The task completes once the transaction is committed.
    /// </summary>
    public async Task CommitAsync(Action<DbConnection, DbTransaction> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await EnqueueAsync(Item.Of(work, done), cancellationToken).ConfigureAwait(false);
        await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>How many items have been queued so far: a position to pass to <see cref="CommitSoon"/>.</summary>
    public long Position
    {
        get
        {
            lock (_order)
            {
                return _enqueued;
            }
        }
    }

    /// <summary>
    /// Like <see cref="CommitAsync"/>, but jumping the queue: the work commits as soon as the writer has written the
    /// first <paramref name="after"/> queued items (a <see cref="Position"/> taken earlier; by default everything queued
    /// before this call), ending its batch there. For fires: a burst of a thousand mission events must not hold the
    /// fires back, yet no fire may be durable before the signal it acts on. Blocks until the commit, on an event the
    /// writer sets itself, so no thread-pool hop stands between the commit and the send it gates (the outbox's thread
    /// has nothing else to do meanwhile).
    /// </summary>
    public void CommitSoon(Action<DbConnection, DbTransaction> work, long? after = null)
    {
        ArgumentNullException.ThrowIfNull(work);
        using var committed = new ManualResetEventSlim();
        Exception? failure = null;
        QueueUrgent(Item.Of(work, error =>
        {
            failure = error;
            committed.Set();
        }), after);
        committed.Wait();
        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }
    }

    /// <summary>
    /// <see cref="CommitSoon"/> without the wait: queues the work ahead of everything appended after this call (behind
    /// the first <paramref name="after"/> items) and returns at once, so the kernel thread can queue a signal's fires
    /// before it records that signal's missions, and the outbox thread waits for the commit instead. The task completes
    /// on the writer thread once the transaction is committed, or fails with the work's exception; whoever waits on it
    /// blocks (no continuation runs on the writer).
    /// </summary>
    public Task CommitAhead(Action<DbConnection, DbTransaction> work, long? after = null, Task? thenHoldUntil = null)
    {
        ArgumentNullException.ThrowIfNull(work);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var item = Item.Of(work, error => _ = error is null ? done.TrySetResult() : done.TrySetException(error));
        item.Hold = thenHoldUntil;
        QueueUrgent(item, after);
        return done.Task;
    }

    /// <summary>
    /// The longest the writer pauses after urgent work for its <c>thenHoldUntil</c>: a signal's thousand fires leave
    /// in a few milliseconds, and an outbox that never says so must not stall the log.
    /// </summary>
    public static TimeSpan MaxHold { get; } = TimeSpan.FromMilliseconds(25);

    /// <summary>Times the writer paused behind urgent work until it was told to go on (or <see cref="MaxHold"/> passed).</summary>
    public long Holds => Interlocked.Read(ref _holds);

    private void QueueUrgent(Item item, long? after)
    {
        lock (_order)
        {
            // Barriers stay in order (the urgent queue is read front to back): never earlier than the one before.
            var barrier = Math.Min(after ?? _enqueued, _enqueued);
            if (_urgent.Count > 0 && _lastBarrier > barrier)
            {
                barrier = _lastBarrier;
            }

            _lastBarrier = barrier;
            item.Barrier = barrier;
            _urgent.Enqueue(item);
            // Wakes an idle writer; a busy one looks at the urgent work after every item it takes.
            if (_queue.Writer.TryWrite(Item.Wake))
            {
                _enqueued++;
            }
        }
    }

    /// <summary>
    /// Calls <paramref name="callback"/> on the writer thread once every event appended before this call is committed
    /// (or given up on): what is announced after it is already durable. With the queue full it waits for room, as a
    /// money-path event does (what it waits for is queued, not dropped); with the log closed the callback runs at once.
    /// </summary>
    public void AfterCommit(Action callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var item = Item.Then(callback);
        if (!TryEnqueue(item) && !WaitAndEnqueue(item))
        {
            Safely(callback);
        }
    }

    /// <summary>Completes once everything appended before this call is committed (or given up on, and counted); waits for room without blocking.</summary>
    public async Task WhenCommittedAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await EnqueueAsync(Item.Then(() => done.TrySetResult()), CancellationToken.None).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // Closed: everything appended before was committed by the close, or counted.
            return;
        }

        await done.Task.ConfigureAwait(false);
    }

    /// <summary>Commits what is queued, then stops the writer.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.Run(_thread.Join).ConfigureAwait(false);
    }

    private bool TryEnqueue(Item item)
    {
        lock (_order)
        {
            if (!_queue.Writer.TryWrite(item))
            {
                return false;
            }

            _enqueued++;
            return true;
        }
    }

    private static int IndexOfSheddable(string eventType)
    {
        for (var i = 0; i < Sheddable.Count; i++)
        {
            if (string.Equals(Sheddable[i], eventType, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// Blocks until the item is queued (false once the log is closed), counting the wait and its length: the producer's
    /// thread is held back, never the item dropped. A blocked wait, not a spin: the writer's next read wakes it.
    /// </summary>
    private bool WaitAndEnqueue(Item item)
    {
        if (Thread.CurrentThread == _thread)
        {
            // The writer is the one that makes room: waiting here would hang the log for good.
            throw new InvalidOperationException("event log: an after-commit callback appended to the full queue it is draining");
        }

        var waits = Interlocked.Increment(ref _waits);
        if (waits <= 10 || waits % 1000 == 0)
        {
            // Said before the wait, so whoever reads the log sees why a producer stalled while it still does.
            _warn($"event log: the queue is full ({_capacity} items): {item.Event?.EventType ?? "an after-commit callback"} waits for room ({waits} waits so far)");
        }

        var started = _time.GetTimestamp();
        try
        {
            while (!TryEnqueue(item))
            {
                var room = _queue.Writer.WaitToWriteAsync();
                if (!(room.IsCompleted ? room.Result : room.AsTask().GetAwaiter().GetResult()))
                {
                    return false;
                }
            }

            return true;
        }
        finally
        {
            Interlocked.Add(ref _waitedTicks, _time.GetElapsedTime(started).Ticks);
        }
    }

    private async ValueTask EnqueueAsync(Item item, CancellationToken cancellationToken)
    {
        while (!TryEnqueue(item))
        {
            if (!await _queue.Writer.WaitToWriteAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new ObjectDisposedException(nameof(EventLog), "the event log is closed");
            }
        }
    }

    /// <summary>Moves the urgent work whose barrier the writer has reached (it has written that many items) into the batch.</summary>
    private bool TakeUrgent(List<Item> batch, long written)
    {
        var any = false;
        while (UrgentReady(written) && _urgent.TryDequeue(out var next))
        {
            // Right behind its barrier, not at the end: the events taken after that are not its to wait for.
            var at = batch.Count;
            while (at > 0 && (batch[at - 1].Position > next.Barrier || batch[at - 1].Position == 0 && batch[at - 1].Barrier > next.Barrier))
            {
                at--;
            }

            batch.Insert(at, next);
            any = true;
        }

        return any;
    }

    private bool UrgentReady(long written) => _urgent.TryPeek(out var next) && next.Barrier <= written;

    private void Run()
    {
        var reader = _queue.Reader;
        var batch = new List<Item>(_maxBatch);
        // Items taken from the queue but not yet written: the tail of a batch cut short for urgent work.
        var carried = new List<Item>();
        var failedSinceFlush = 0L;
        long taken = 0;
        long written = 0;
        // SQLite: the WAL copied back on a thread of its own, not on the writer's commits.
        using var checkpointer = _database is SqliteDatabase sqlite ? new WalCheckpointer(sqlite, warn: _warn) : null;
        using var writer = new Writer(_database, _time, checkpointer);
        while (true)
        {
            // Whatever is queued, up to a batch: under load batches fill, when idle each event commits at once. Urgent
            // work goes in as soon as the items ahead of it are in, and ends the batch, so it commits at once.
            var events = 0;
            var next = 0;
            var urgent = TakeUrgent(batch, written);
            while (!urgent && events < _maxBatch)
            {
                Item item;
                if (next < carried.Count)
                {
                    item = carried[next++];
                }
                else if (reader.TryRead(out var read))
                {
                    item = read;
                    item.Position = ++taken;
                }
                else
                {
                    break;
                }

                if (!item.IsWake)
                {
                    batch.Add(item);
                    events += item.Event is null ? 0 : 1;
                }

                urgent = TakeUrgent(batch, item.Position);
            }

            carried.RemoveRange(0, next);
            if (batch.Count == 0)
            {
                if (carried.Count > 0 || !_urgent.IsEmpty || reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
                {
                    continue;
                }

                break;
            }

            // Urgent work that turns ready while this batch is written cuts it short there: the rest waits a moment.
            var (lost, done) = Commit(writer, batch, events, position => UrgentReady(position));
            failedSinceFlush += lost;
            carried.InsertRange(0, batch.Skip(done));
            written = Math.Max(written, batch.Take(done).Select(i => i.Position).DefaultIfEmpty(0).Max());
            for (var i = 0; i < done; i++)
            {
                var item = batch[i];
                if (item.Flush is { } flush)
                {
                    if (failedSinceFlush == 0)
                    {
                        flush.TrySetResult();
                    }
                    else
                    {
                        flush.TrySetException(new InvalidOperationException($"{failedSinceFlush} events could not be committed"));
                    }

                    failedSinceFlush = 0;
                }
                else if (item.Work is not null)
                {
                    if (item.Error is { } error)
                    {
                        // Whoever queued it hears of it too; said here as well, for work queued without waiting.
                        _warn($"event log: a store write failed: {error.Message}");
                    }

                    item.Completed!(item.Error);
                }
                else if (item.After is { } after)
                {
                    Safely(after);
                }
            }

            Task? hold = null;
            for (var i = 0; i < done; i++)
            {
                hold = batch[i].Hold ?? hold;
            }

            batch.Clear();
            if (hold is { IsCompleted: false })
            {
                Interlocked.Increment(ref _holds);
                // A blocked wait: the writer has nothing it may do meanwhile but queue up, and the sends want the core.
                ((IAsyncResult)hold).AsyncWaitHandle.WaitOne(MaxHold);
            }
        }
    }

    private void Safely(Action callback)
    {
        try
        {
            callback();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _warn($"event log: an after-commit callback failed: {e.Message}");
        }
    }

    /// <summary>
    /// Commits the batch in one transaction, or its first part when <paramref name="cut"/> says urgent work is waiting
    /// behind the item just written. If that fails, the whole batch is tried once more on a fresh connection with every
    /// item under its own savepoint, so one bad event or work costs only itself. Returns how many events were lost and
    /// how many items of the batch were dealt with.
    /// </summary>
    private (long Lost, int Done) Commit(Writer writer, List<Item> batch, int events, Func<long, bool> cut)
    {
        if (!batch.Exists(i => i.Event is not null || i.Work is not null))
        {
            return (0, batch.Count);
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var (untyped, lost, done) = writer.Write(batch, isolate: attempt > 1, _warn, attempt > 1 ? null : cut);
                var committed = done == batch.Count ? events : batch.Take(done).Count(i => i.Event is not null);
                Interlocked.Add(ref _committed, committed - lost);
                Interlocked.Increment(ref _batches);
                if (untyped > 0)
                {
                    Interlocked.Add(ref _untyped, untyped);
                    _warn($"event log: {untyped} events stored without their typed row (their data lacked its fields)");
                }

                if (lost > 0)
                {
                    Interlocked.Add(ref _failed, lost);
                }

                return (lost, done);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                writer.Reset();
                if (attempt >= 2)
                {
                    Interlocked.Add(ref _failed, events);
                    foreach (var item in batch)
                    {
                        item.Error ??= item.Work is null ? null : e;
                    }

                    _warn($"event log: {events} events lost, their batch failed twice: {e.Message}");
                    return (events, batch.Count);
                }

                foreach (var item in batch)
                {
                    item.Error = null;
                }

                _warn($"event log: a batch of {events} events failed ({e.Message}); retrying it item by item");
            }
        }
    }

    /// <summary>One queued thing: an event, a flush marker, a work with its completion, or an after-commit callback.</summary>
    private sealed class Item
    {
        public EventEnvelope? Event { get; private init; }

        public TaskCompletionSource? Flush { get; private init; }

        public Action<DbConnection, DbTransaction>? Work { get; private init; }

        /// <summary>Told how the work ended: null when committed, else why not. Called on the writer thread, so it must be brief.</summary>
        public Action<Exception?>? Completed { get; private init; }

        public Action? After { get; private init; }

        /// <summary>For urgent work: how many queued items must be written before it.</summary>
        public long Barrier { get; set; }

        /// <summary>
        /// For urgent work: once it is committed the writer writes nothing more until this completes (at most
        /// <see cref="MaxHold"/>), so what the work made durable (a signal's fires) is sent before the writer takes
        /// the cores back for the events queued behind it (the signal's thousand missions).
        /// </summary>
        public Task? Hold { get; set; }

        /// <summary>Its place in the queue (1 = first ever taken), set by the writer; 0 for urgent work, which is not queued.</summary>
        public long Position { get; set; }

        /// <summary>Carries nothing: wakes an idle writer to look at urgent work.</summary>
        public bool IsWake { get; private init; }

        public static Item Wake { get; } = new() { IsWake = true };

        /// <summary>The work's own failure in the last attempt (its savepoint rolled back).</summary>
        public Exception? Error { get; set; }

        public static Item Of(EventEnvelope e) => new() { Event = e };

        public static Item FlushMarker(TaskCompletionSource done) => new() { Flush = done };

        public static Item Of(Action<DbConnection, DbTransaction> work, TaskCompletionSource done) =>
            Of(work, error => _ = error is null ? done.TrySetResult() : done.TrySetException(error));

        public static Item Of(Action<DbConnection, DbTransaction> work, Action<Exception?> completed) => new() { Work = work, Completed = completed };

        public static Item Then(Action callback) => new() { After = callback };
    }

    /// <summary>The writer thread's connection and prepared commands, opened lazily and rebuilt after a failure.</summary>
    private sealed class Writer(IDatabase database, TimeProvider time, WalCheckpointer? checkpointer) : IDisposable
    {
        private const string Savepoint = "bitten_item";

        private readonly List<Row> _rows = [];
        private DbConnection? _connection;
        private Commands? _commands;
        private readonly PostgresCopy _pending = new();
        private readonly EventCodes _codes = new();

        /// <summary>
        /// One transaction: every event with its typed row and projections, every work under a savepoint, in queue order.
        /// Returns the typed events stored without their typed row, and (when isolating) the events that failed alone.
        /// </summary>
        public (int Untyped, int Lost, int Done) Write(List<Item> batch, bool isolate, Action<string> warn, Func<long, bool>? cut)
        {
            if (_connection is null)
            {
                _connection = database.OpenConnection();
                if (checkpointer is not null)
                {
                    checkpointer.TakeOver(_connection);
                }
            }

            _codes.Cover(_connection, Names(batch));
            using var transaction = _connection.BeginTransaction();
            var batched = _connection.CanCreateBatch;
            _commands ??= batched ? null : new Commands((SqliteConnection)_connection);
            var created = time.GetUtcNow().ToUnixTimeMilliseconds();
            var untyped = 0;
            var lost = 0;
            var done = 0;
            foreach (var item in batch)
            {
                done++;
                if (item.Event is { } e)
                {
                    if (!isolate)
                    {
                        untyped += WriteEvent(_connection, transaction, e, created) ? 0 : 1;
                        if (cut is not null && item.Position > 0 && done < batch.Count && cut(item.Position))
                        {
                            break;
                        }

                        continue;
                    }

                    if (!Isolated(transaction, () => untyped += WriteEvent(_connection, transaction, e, created) ? 0 : 1, out var error))
                    {
                        lost++;
                        warn($"event log: {e.EventType} from {e.Source} at {e.TimestampMs} could not be stored: {error!.Message}");
                    }
                }
                else if (item.Work is { } work)
                {
                    var connection = _connection;
                    Isolated(transaction, () => work(connection, transaction), out var error);
                    item.Error = error;
                    if (cut is not null && item.Position == 0 && done < batch.Count)
                    {
                        // Urgent work (a fire) is committed now; the rest of the batch follows in the next transaction.
                        break;
                    }
                }
            }

            Send(transaction);
            transaction.Commit();
            checkpointer?.Committed(_connection);
            return (untyped, lost, done);
        }

        private static IEnumerable<(string Type, string Source)> Names(List<Item> batch)
        {
            foreach (var item in batch)
            {
                if (item.Event is { } e)
                {
                    yield return (e.EventType, e.Source);
                }
            }
        }

        /// <summary>Runs the action under a savepoint (after what is batched so far): on failure only it is undone.</summary>
        private bool Isolated(DbTransaction transaction, Action action, out Exception? error)
        {
            Send(transaction);
            transaction.Save(Savepoint);
            try
            {
                action();
                Send(transaction);
                transaction.Release(Savepoint);
                error = null;
                return true;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                _pending.Clear();
                transaction.Rollback(Savepoint);
                transaction.Release(Savepoint);
                error = e;
                return false;
            }
        }

        /// <summary>The event, its typed row and its projections; false when it is of a typed kind but its data lacks the fields.</summary>
        private bool WriteEvent(DbConnection connection, DbTransaction transaction, EventEnvelope e, long created)
        {
            var typed = HasTypedRow(e.EventType);
            _rows.Clear();
            TypedTable? table = null;
            object?[]? values = null;
            if (typed || Projections.Changes(e.EventType))
            {
                using var document = Fields.TryParse(e.DataJson);
                if (document is not null)
                {
                    (table, values) = typed ? TypedRow(e.EventType, document.RootElement) : default;
                    Projections.For(e, document.RootElement, _rows);
                }
            }

            if (_commands is { } commands)
            {
                commands.Insert(EventValues(e, created, _codes), table, values);
                foreach (var row in _rows)
                {
                    commands.Run(row);
                }
            }
            else
            {
                // A server database (PostgreSQL): gathered, then sent in one go (a batch of statements, or COPY for a burst).
                _pending.Add(EventValues(e, created, _codes), table, values, _rows);
            }

            return !typed || table is not null;
        }

        /// <summary>Runs what is gathered for the server, if anything.</summary>
        private void Send(DbTransaction transaction)
        {
            if (_pending.Count > 0)
            {
                _pending.Send(_connection!, transaction);
            }
        }

        public void Reset()
        {
            _pending.Clear();
            _codes.Forget();
            _commands?.Dispose();
            _commands = null;
            if (_connection is not null && checkpointer is not null)
            {
                HandBack(_connection);
            }

            _connection?.Dispose();
            _connection = null;
        }

        public void Dispose() => Reset();

        /// <summary>The connection goes back to the pool, where anyone may take it: with SQLite's own checkpoints again.</summary>
        private static void HandBack(DbConnection connection)
        {
            try
            {
                WalCheckpointer.HandBack(connection);
            }
            catch (Exception e) when (e is DbException or InvalidOperationException)
            {
                // A broken connection is not reused as it was; nothing to hand back.
            }
        }
    }

    internal static void AddParameters(DbBatchCommand command, (string Name, DbType Type)[] specs, object?[] values)
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

    internal static (string Name, DbType Type)[] EventParameters { get; } =
    [
        ("@type", DbType.Int32), ("@time", DbType.Int64), ("@source", DbType.Int32), ("@correlation", DbType.String),
        ("@user", DbType.String), ("@session", DbType.String), ("@data", DbType.String), ("@created", DbType.Int64),
    ];

    private static object?[] EventValues(EventEnvelope e, long created, EventCodes codes) =>
        [codes.Type(e.EventType), e.TimestampMs, codes.Source(e.Source), e.CorrelationId, e.UserId, e.SessionId, EventData.Pack(e.DataJson), created];

    private static bool HasTypedRow(string eventType) =>
        eventType is EventTypes.SignalGenerated or EventTypes.SystemHealth or EventTypes.FireCommand or EventTypes.TradeExecuted;

    /// <summary>A typed table: its insert right after the event's, and its insert reading the id from a WITH over the event's.</summary>
    internal sealed class TypedTable
    {
        public TypedTable(string name, (string Column, DbType Type)[] columns)
        {
            var names = string.Join(", ", columns.Select(c => c.Column));
            Name = name;
            ColumnList = names;
            var parameters = string.Join(", ", columns.Select(c => "@" + c.Column));
            Parameters = [.. columns.Select(c => ("@" + c.Column, c.Type))];
            AfterEventSql = $"INSERT INTO {name} (event_id, {names}) VALUES (last_insert_rowid(), {parameters})";
            WithEventSql = $"WITH e AS ({InsertEvent} RETURNING id) INSERT INTO {name} (event_id, {names}) SELECT id, {parameters} FROM e";
        }

        public string Name { get; }

        /// <summary>The columns after event_id, comma-separated, in <see cref="Parameters"/> order.</summary>
        public string ColumnList { get; }

        public (string Name, DbType Type)[] Parameters { get; }

        /// <summary>SQLite's: right after the event's insert on the same connection, keyed by its rowid.</summary>
        public string AfterEventSql { get; }

        public string WithEventSql { get; }
    }

    /// <summary>The typed table and its column values for the event, or (null, null) when its data lacks the fields.</summary>
    private static (TypedTable? Table, object?[]? Values) TypedRow(string eventType, JsonElement data)
    {
        switch (eventType)
        {
            case EventTypes.SignalGenerated:
                if (Fields.Text(data, "signal_id") is not { } signal || Fields.Text(data, "symbol") is not { } symbol
                    || Fields.Text(data, "direction") is not { } direction || Fields.Number(data, "confidence") is not { } confidence
                    || Fields.Text(data, "pattern_type") is not { } pattern)
                {
                    return default;
                }

                return (SignalTable, [signal, symbol, direction, confidence, pattern, Fields.Number(data, "entry_price"),
                    Fields.Number(data, "stop_pips"), Fields.Number(data, "target_pips"), Fields.Time(data, "expires_at")]);
            case EventTypes.SystemHealth:
                if (Fields.Text(data, "component") is not { } component || Fields.Text(data, "status") is not { } status)
                {
                    return default;
                }

                return (HealthTable, [component, status, Fields.Number(data, "uptime"), Fields.Number(data, "memory_usage"),
                    Fields.Number(data, "cpu_usage"), Fields.Text(data, "message")]);
            default:
                if (Fields.Text(data, "symbol") is not { } tradeSymbol || Fields.Text(data, "direction") is not { } tradeDirection)
                {
                    return default;
                }

                var executed = eventType == EventTypes.TradeExecuted;
                return (TradeTable, [Fields.Text(data, "fire_id"), executed ? Fields.Integer(data, "ticket") : null, tradeSymbol, tradeDirection,
                    Fields.Number(data, executed ? "volume" : "lot_size"), executed ? Fields.Number(data, "open_price") : null,
                    Fields.Number(data, "sl_price"), Fields.Number(data, "tp_price"), executed ? Fields.Time(data, "execution_time") : null]);
        }
    }

    /// <summary>SQLite's path: every statement prepared once on the writer's connection's handle and run row by row (in process, microseconds each).</summary>
    private sealed class Commands(SqliteConnection connection) : IDisposable
    {
        private readonly SqliteStatement _event = new(connection, Statement.Of(InsertEvent, EventParameters));
        private readonly Dictionary<TypedTable, SqliteStatement> _typed = new[] { SignalTable, TradeTable, HealthTable }
            .ToDictionary(table => table, table => new SqliteStatement(connection, Statement.Of(table.AfterEventSql, table.Parameters)));
        private readonly Dictionary<Statement, SqliteStatement> _statements = [];

        /// <summary>Inserts the event and, when it has one, its typed row (keyed by last_insert_rowid(): no id read back and bound again).</summary>
        public void Insert(object?[] eventValues, TypedTable? table, object?[]? values)
        {
            _event.Run(eventValues);
            if (table is not null)
            {
                _typed[table].Run(values!);
            }
        }

        public void Run(Row row)
        {
            if (!_statements.TryGetValue(row.Statement, out var statement))
            {
                statement = new SqliteStatement(connection, row.Statement);
                _statements[row.Statement] = statement;
            }

            statement.Run(row.Values);
        }

        public void Dispose()
        {
            _event.Dispose();
            foreach (var statement in _typed.Values.Concat(_statements.Values))
            {
                statement.Dispose();
            }
        }
    }
}
