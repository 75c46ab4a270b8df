using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Bitten.Host.Execution;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Domain.Users;
using Bitten.Engine.Execution;
using Bitten.Engine.Kernel;
using Bitten.Engine.Market;
using Bitten.Gateway;
using Bitten.Gateway.Execution;
using Bitten.Persistence;
using Bitten.Persistence.Events;
using EventLog = Bitten.Persistence.Events.EventLog;
using Bitten.Wire.Ea;
using Bitten.Zmq;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bitten.Bench;

/// <summary>
/// Signal → fire at the EA for many AUTO users, and fire → confirmation round trips, through the real path: kernel,
/// desk, FireDecision, the outbox committing each signal's fires to SQLite as one batch before sending, the ROUTER, and
/// one DEALER per user in separate processes (<see cref="SwarmProcesses"/>) that confirm every fire at once. All times
/// on the monotonic clock, which every process on the machine shares.
/// </summary>
public static class FireBenchmark
{
    /// <param name="postgres">A PostgreSQL server to store on (in a schema of the run's own), instead of a temporary SQLite file.</param>
    public static async Task<(string Text, BenchFigures Figures)> RunAsync(int users, int signals, string? postgres = null)
    {
        if (postgres is not null)
        {
            using var schema = BenchSchema.Create(postgres, "fire");
            using var server = new PostgresDatabase(schema.ConnectionString, TimeProvider.System);
            return await RunAsync(users, signals, server, "PostgreSQL");
        }

        var folder = Directory.CreateTempSubdirectory("bitten-bench-fire-");
        try
        {
            using var file = new SqliteDatabase($"Data Source={Path.Combine(folder.FullName, "bench.db")}", TimeProvider.System);
            return await RunAsync(users, signals, file, "SQLite");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    private static async Task<(string Text, BenchFigures Figures)> RunAsync(int userCount, int signalCount, IDatabase database, string storeName)
    {
        var clock = TimeProvider.System;
        var store = new UserStore(database, clock);
        var users = new List<User>(userCount);
        for (var i = 0; i < userCount; i++)
        {
            var (user, _) = store.Add(10_000 + i, Tier.Commander, Role.User, FireMode.Auto, Bitten.Simulation.Ea.EaSwarmOptions.Uuid("BENCH_EA_", i));
            users.Add(store.Update(user.TelegramId, null, null, AutoFireSettings.Default with { MaxSlots = 100, RiskPercent = 1m }, null));
        }

        var alone = DeskAlone(users);
        var zmq = new ZmqOptions { CommandPort = 0, ConfirmPort = 0 };
        await using var kernel = new TradingKernel(clock, new MarketOptions(), new KernelOptions());
        var timing = new Timing();
        // As in `bitten run`: every execution event recorded, fires committed through the event log's writer behind them.
        await using var eventLog = new EventLog(database, clock);
        var recorder = new EventRecorder(eventLog, timing);
        var positions = new SignalPositions(eventLog);
        await using var outbox = new CommandOutbox(new TimedJournal(new StoreFireJournal(new FireStore(database, clock), eventLog, positions), timing), NullLogger.Instance);
        var desk = new ExecutionDesk(clock, new ExecutionOptions(), outbox, recorder);
        foreach (var user in users)
        {
            desk.UpsertUser(user);
        }

        kernel.Start();
        await using var gateway = new EaGateway(zmq, kernel, desk, null, NullLogger.Instance);
        gateway.Start();
        outbox.Start(gateway);

        // The EAs in processes of their own: they only stamp arrivals for the first signals, so the fan-out is measured
        // without confirmations competing for the two cores, then confirm at once, for the round trip.
        using var eas = new SwarmProcesses(userCount, "127.0.0.1", gateway.CommandPort, gateway.ConfirmPort, confirmAfterEach: signalCount);
        var deadline = Stopwatch.StartNew();
        while ((await kernel.AskAsync(() => desk.Counts)).EasAlive < userCount)
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(120))
            {
                throw new TimeoutException($"the bench EAs did not all check in: {gateway.Stats.CheckIns} check-ins, {gateway.Stats.Impostors} impostors, {gateway.Stats.Rejected} rejected, {gateway.Stats.UnknownEas} unknown");
            }

            await Task.Delay(10);
        }

        var timeout = TimeSpan.FromSeconds(60 + (userCount / 100));
        var toEa = new List<double>();
        var lastPerSignal = new List<double>();
        var firstPerSignal = new List<double>();
        var deskMs = new ConcurrentBag<double>();
        for (var s = 0; s < 2 * signalCount; s++)
        {
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds() + s;
            var signal = BenchSignal(now);
            var raisedAt = Stopwatch.GetTimestamp();
            timing.SignalRaised(raisedAt, stamped: s < signalCount);
            kernel.Post(() =>
            {
                var started = Stopwatch.GetTimestamp();
                recorder.OnSignal(signal);
                positions.OnSignal(signal);
                desk.Accept(signal);
                deskMs.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            });
            await eas.WaitForFires((long)(s + 1) * userCount, timeout);
            if (s < signalCount)
            {
                var arrivals = eas.ArrivalsSince(s * userCount);
                toEa.AddRange(arrivals.Select(a => Stopwatch.GetElapsedTime(raisedAt, a).TotalMilliseconds));
                lastPerSignal.Add(Stopwatch.GetElapsedTime(raisedAt, arrivals.Max()).TotalMilliseconds);
                firstPerSignal.Add(Stopwatch.GetElapsedTime(raisedAt, arrivals.Min()).TotalMilliseconds);
            }
            else
            {
                await timing.WaitForFills((s + 1 - signalCount) * userCount, timeout);
            }

            // Signals come minutes apart: each one meets a writer that has finished the last burst's events.
            await eventLog.WhenCommittedAsync();
        }

        // The floor under it, in the same process run: the same fan-out with nothing decided and nothing stored.
        var floor = await TransportFloorAsync(userCount, signalCount, timeout);
        var roundTrips = timing.RoundTripsMs();
        var commits = timing.CommitsMs();
        commits.Sort();
        toEa.Sort();
        roundTrips.Sort();
        lastPerSignal.Sort();
        firstPerSignal.Sort();
        List<double> kernelMs = [.. deskMs.Order()];
        var counts = await kernel.AskAsync(() => desk.Counts);
        var figures = new BenchFigures("fire")
            .Set("fire.users", userCount)
            .Set("fire.p50_ms", Pct(toEa, 0.50))
            .Set("fire.p99_ms", Pct(toEa, 0.99))
            .Set("fire.max_ms", toEa[^1])
            .Set("fire.first_median_ms", Pct(firstPerSignal, 0.50))
            .Set("fire.last_median_ms", Pct(lastPerSignal, 0.50))
            .Set("commit.p50_ms", Pct(commits, 0.50))
            .Set("commit.p99_ms", Pct(commits, 0.99))
            .Set("confirm.p50_ms", Pct(roundTrips, 0.50))
            .Set("confirm.p99_ms", Pct(roundTrips, 0.99))
            .Set("desk.kernel_median_ms", Pct(kernelMs, 0.50))
            .Set("desk.alone_median_ms", alone.MedianMs)
            .Set("desk.alone_cpu_ms", alone.CpuMs)
            .Set("stage.left_desk_median_ms", Medians.Of(timing.ToLeft))
            .Set("stage.committed_median_ms", Medians.Of(timing.ToCommitted))
            .Set("stage.all_sent_median_ms", Medians.Of(timing.ToAllSent))
            .Set("floor.p50_ms", Pct(floor.All, 0.50))
            .Set("floor.p99_ms", Pct(floor.All, 0.99))
            .Set("floor.first_median_ms", Pct(floor.First, 0.50))
            .Set("floor.last_median_ms", Pct(floor.Last, 0.50))
            .Set("events.committed", eventLog.Committed)
            .Set("events.failed", eventLog.Failed);
        var text = string.Create(CultureInfo.InvariantCulture,
            $"bench fire: {userCount:N0} AUTO users, their EAs in {Math.Ceiling(userCount / (double)SwarmProcesses.PerProcess):N0} process(es) of their own (`sim-ea --many`), one DEALER each on loopback; " +
            $"{signalCount} signals only stamped, then {signalCount} confirmed, each into a quiet event log; every signal's fires committed to {storeName} as one batch before the first is sent\n" +
            $"  signal → fire at the EA:        p50 {Pct(toEa, 0.50):F2} ms  p99 {Pct(toEa, 0.99):F2} ms  max {toEa[^1]:F2} ms  ({toEa.Count:N0} fires)\n" +
            $"  signal → first user's fire:      median {Pct(firstPerSignal, 0.50):F2} ms; last user's: median {Pct(lastPerSignal, 0.50):F2} ms  max {lastPerSignal[^1]:F2} ms\n" +
            $"  stages from the signal (medians): batch leaves the desk {Medians.Of(timing.ToLeft):F2} ms, committed {Medians.Of(timing.ToCommitted):F2} ms, all handed to the ROUTER {Medians.Of(timing.ToAllSent):F2} ms\n" +
            $"  floor, a bare ROUTER sending each of the {userCount:N0} EAs one fire (new swarm processes, nothing decided or stored): p50 {Pct(floor.All, 0.50):F2} ms  p99 {Pct(floor.All, 0.99):F2} ms; first median {Pct(floor.First, 0.50):F2} ms, last median {Pct(floor.Last, 0.50):F2} ms\n" +
            $"  fires leave the desk → committed (gates the send): p50 {Pct(commits, 0.50):F2} ms  p99 {Pct(commits, 0.99):F2} ms  ({commits.Count:N0})\n" +
            $"  fire leaves the desk → confirmation heard: p50 {Pct(roundTrips, 0.50):F2} ms  p99 {Pct(roundTrips, 0.99):F2} ms  ({roundTrips.Count:N0})\n" +
            $"  desk (missions + decisions + orders + every event told, on the kernel thread): median {Pct(kernelMs, 0.50):F2} ms per signal\n" +
            $"  desk alone (no sockets, no store, no other threads): median {alone.MedianMs:F2} ms per signal, CPU {alone.CpuMs:F2} ms, {alone.Bytes / 1024.0:N0} KiB allocated ({users.Count:N0} users)\n" +
            $"  desk: {counts.FiresSent:N0} fires, {counts.Filled:N0} filled, {counts.Refused:N0} refused; outbox stored {gateway.Stats.FiresStored:N0}\n" +
            $"  event log: {eventLog.Committed:N0} events committed in {eventLog.Batches:N0} transactions, {eventLog.Failed:N0} failed, {eventLog.Dropped:N0} dropped");
        return (text, figures);
    }

    /// <summary>Arrival times of a fan-out, from its start: every fire's, and each round's first and last.</summary>
    private sealed record Floor(List<double> All, List<double> First, List<double> Last);

    /// <summary>
    /// The floor under signal → fire: a bare ROUTER on loopback sends one fire command (the gateway's own writer, the
    /// same bytes) to each of N EAs in <c>sim-ea --many</c> processes, as fast as it can, <paramref name="rounds"/>
    /// times. No desk, no store, no event log: what the sends and the EAs' receives cost on this machine by themselves.
    /// </summary>
    private static async Task<Floor> TransportFloorAsync(int users, int rounds, TimeSpan timeout)
    {
        using var context = new ZmqContext();
        using var router = context.CreateSocket(ZmqSocketType.Router);
        router.Linger = 0;
        router.ReceiveTimeout = (int)timeout.TotalMilliseconds;
        router.Bind("tcp://127.0.0.1:*");
        using var confirmations = context.CreateSocket(ZmqSocketType.Pull);
        confirmations.Linger = 0;
        confirmations.Bind("tcp://127.0.0.1:*");
        // They never confirm: only arrivals are stamped.
        using var eas = new SwarmProcesses(users, "127.0.0.1", router.BoundPort, confirmations.BoundPort, confirmAfterEach: 1_000_000);
        // Each EA's HELLO says it is connected; a ROUTER drops what it is given for an identity it has not heard from.
        var identities = new List<byte[]>(users);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (identities.Count < users)
        {
            var frames = router.ReceiveMultipart();
            if (seen.Add(Encoding.UTF8.GetString(frames[0])))
            {
                identities.Add(frames[0]);
            }
        }

        var writer = new EaCommandWriter();
        var commands = identities.Select((id, i) => writer.Write(new FireCommand(Encoding.UTF8.GetString(id), $"F{i:x8}-FLOOR-0001", "EURUSD",
            Direction.Buy, 1.08312, 1.08562, 0.12m)).ToArray()).ToArray();
        var (all, first, last) = (new List<double>(), new List<double>(), new List<double>());
        for (var r = 0; r < rounds; r++)
        {
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < identities.Count; i++)
            {
                router.Send(identities[i], more: true);
                router.Send(commands[i]);
            }

            await eas.WaitForFires((long)(r + 1) * users, timeout);
            var arrivals = eas.ArrivalsSince(r * users).Select(a => Stopwatch.GetElapsedTime(start, a).TotalMilliseconds).ToList();
            all.AddRange(arrivals);
            first.Add(arrivals.Min());
            last.Add(arrivals.Max());
        }

        all.Sort();
        first.Sort();
        last.Sort();
        return new Floor(all, first, last);
    }

    /// <summary>The desk's own cost for one signal, on this thread with nothing else running: the floor under the figures above.</summary>
    /// <summary>Only the desk-alone figure, for users made in memory (no store): quick to repeat while tuning the desk.</summary>
    public static string DeskOnly(int userCount)
    {
        var users = new List<User>(userCount);
        for (var i = 0; i < userCount; i++)
        {
            users.Add(new User(i + 1, 10_000 + i, Tier.Commander, Role.User, FireMode.Auto,
                AutoFireSettings.Default with { MaxSlots = 100, RiskPercent = 1m }, $"BENCH_EA_{i:D4}", 0));
        }

        var runs = Enumerable.Range(0, 5).Select(_ => DeskAlone(users)).OrderBy(r => r.CpuMs).ToList();
        var median = runs[runs.Count / 2];
        return string.Create(CultureInfo.InvariantCulture,
            $"bench fire --desk-only: {userCount:N0} AUTO users, 30 signals a run, 5 runs (median run by CPU)\n" +
            $"  desk alone: median {median.MedianMs:F2} ms per signal (runs {string.Join(", ", runs.Select(r => r.MedianMs.ToString("F2", CultureInfo.InvariantCulture)))}), " +
            $"CPU {median.CpuMs:F2} ms per signal, {median.Bytes / 1024.0:N0} KiB allocated per signal, {median.Fires:N0} fires");
    }

    /// <summary>
    /// The desk by itself, on this thread: each signal makes a mission, a decision and an order for every user. Wall time
    /// per signal (median), and this process's CPU time and allocations per signal, which a loaded machine disturbs less.
    /// </summary>
    public static DeskFigures DeskAlone(IReadOnlyList<User> users, int signalCount = 30)
    {
        var clock = TimeProvider.System;
        var outbox = new NullOutbox();
        var desk = new ExecutionDesk(clock, new ExecutionOptions(), outbox);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (var user in users)
        {
            desk.UpsertUser(user);
            desk.OnCheckIn(new Bitten.Domain.Trading.EaCheckIn(user.EaUuid!, true, new Bitten.Domain.Trading.AccountSnapshot(100_000m, 100_000m, 100_000m, "USD"), null, []));
        }

        // Three to warm the JIT, not counted.
        for (var s = 0; s < 3; s++)
        {
            desk.Accept(BenchSignal(now - 10 + s));
        }

        var samples = new List<double>();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var bytes = GC.GetAllocatedBytesForCurrentThread();
        for (var s = 0; s < signalCount; s++)
        {
            var signal = BenchSignal(now + s);
            var started = Stopwatch.GetTimestamp();
            desk.Accept(signal);
            samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / signalCount;
        var allocated = (GC.GetAllocatedBytesForCurrentThread() - bytes) / signalCount;
        samples.Sort();
        return new DeskFigures(Pct(samples, 0.5), cpuMs, allocated, desk.Counts.FiresSent);
    }

    /// <summary>The desk alone, per signal: median wall ms, CPU ms, bytes allocated; and the fires it sent in all.</summary>
    public readonly record struct DeskFigures(double MedianMs, double CpuMs, long Bytes, long Fires);

    private sealed class NullOutbox : IExecutionOutbox
    {
        public void Send(EaOrder order)
        {
        }

        public void Completed(string fireId, bool filled, long? ticket, double? price, string? message)
        {
        }
    }

    /// <summary>A BUY EURUSD BB_SCALP at 85 % with a 20-pip stop: inside every bench user's band, one slot per user.</summary>
    private static Signal BenchSignal(long now) =>
        new(SignalIds.Create(SignalClass.Rapid, PatternType.BbScalp, "EURUSD", now), "EURUSD", new SymbolId(0), Direction.Buy,
            1.10000, 1.09800, 1.10300, 20, 30, 1.5, 85, PatternType.BbScalp, 7, "LONDON", now, now + 1_800_000, now);

    private static double Pct(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];

    /// <summary>Stamps each batch of fires when its commit has finished.</summary>
    private sealed class TimedJournal(IFireJournal inner, Timing timing) : IFireJournal
    {
        public Task<IReadOnlyCollection<string>> Record(IReadOnlyList<FireOrder> newFires, Task sent)
        {
            // Decided now (the batch leaves the desk); committed when the task completes, stamped by a continuation
            // off the path the outbox waits on (so a little late: an upper bound).
            var decided = Stopwatch.GetTimestamp();
            timing.Left(newFires, decided);
            var stored = inner.Record(newFires, sent);
            stored.ContinueWith(_ => timing.Committed(newFires.Count, decided, Stopwatch.GetTimestamp()), TaskContinuationOptions.ExecuteSynchronously);
            return stored;
        }

        public void Sent(IReadOnlyList<FireOrder> newFires)
        {
            timing.AllSent(Stopwatch.GetTimestamp());
            inner.Sent(newFires);
        }

        public void MarkSent(FireOrder fire) => inner.MarkSent(fire);

        public void Complete(IReadOnlyList<FireCompletion> completions) => inner.Complete(completions);
    }

    /// <summary>When each fire left the desk, was committed, and when its fill came back, on one Stopwatch.</summary>
    private sealed class Timing : IExecutionObserver
    {
        private readonly Dictionary<string, long> _sent = new(StringComparer.Ordinal);
        private readonly List<double> _roundTrips = [];
        private readonly List<double> _commits = [];
        private readonly Lock _lock = new();
        private TaskCompletionSource? _done;
        private int _want;

        public void OnEvent(Bitten.Domain.Events.TradingEvent e)
        {
            var now = Stopwatch.GetTimestamp();
            lock (_lock)
            {
                if (e is Bitten.Domain.Events.FireFilled filled && _sent.Remove(filled.FireId, out var at))
                {
                    _roundTrips.Add(Stopwatch.GetElapsedTime(at, now).TotalMilliseconds);
                    if (_roundTrips.Count >= _want)
                    {
                        _done?.TrySetResult();
                    }
                }
            }
        }

        public Task WaitForFills(int count, TimeSpan timeout)
        {
            lock (_lock)
            {
                _want = count;
                _done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                if (_roundTrips.Count >= count)
                {
                    _done.TrySetResult();
                }

                return _done.Task.WaitAsync(timeout);
            }
        }

        /// <summary>The fires leave the desk (their batch is handed to the outbox).</summary>
        private long _raisedAt;
        private bool _stamped;

        /// <summary>Milliseconds from the signal to each stage of its batch (the stamped signals only): left the desk, committed, all handed to the ROUTER.</summary>
        public List<double> ToLeft { get; } = [];

        public List<double> ToCommitted { get; } = [];

        public List<double> ToAllSent { get; } = [];

        public void SignalRaised(long at, bool stamped)
        {
            lock (_lock)
            {
                (_raisedAt, _stamped) = (at, stamped);
            }
        }

        public void AllSent(long at)
        {
            lock (_lock)
            {
                if (_stamped)
                {
                    ToAllSent.Add(Stopwatch.GetElapsedTime(_raisedAt, at).TotalMilliseconds);
                }
            }
        }

        public void Left(IReadOnlyList<FireOrder> fires, long at)
        {
            lock (_lock)
            {
                foreach (var fire in fires)
                {
                    _sent[fire.FireId] = at;
                }

                if (_stamped)
                {
                    ToLeft.Add(Stopwatch.GetElapsedTime(_raisedAt, at).TotalMilliseconds);
                }
            }
        }

        public void Committed(int fires, long decided, long at)
        {
            lock (_lock)
            {
                var ms = Stopwatch.GetElapsedTime(decided, at).TotalMilliseconds;
                if (_stamped)
                {
                    ToCommitted.Add(Stopwatch.GetElapsedTime(_raisedAt, at).TotalMilliseconds);
                }

                for (var i = 0; i < fires; i++)
                {
                    _commits.Add(ms);
                }
            }
        }

        public List<double> CommitsMs()
        {
            lock (_lock)
            {
                return [.. _commits];
            }
        }

        public List<double> RoundTripsMs()
        {
            lock (_lock)
            {
                return [.. _roundTrips];
            }
        }
    }
}
