using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Bitten.Wire.Ea;
using Bitten.Zmq;

namespace Bitten.Simulation.Ea;

/// <summary>
/// What a swarm is: how many EAs, their names, where the server is, and whether (and when) they confirm; with
/// <see cref="CloseAfterMs"/> above 0 every filled position is closed that long after its fill, so slots free up under a
/// steady load (bench soak).
/// </summary>
public sealed record EaSwarmOptions(
    int Count,
    string UuidPrefix,
    int FirstIndex,
    string CommandEndpoint,
    string ConfirmEndpoint,
    string? ReportEndpoint,
    long ConfirmAfter,
    int CloseAfterMs = 0)
{
    /// <summary>The uuid of the swarm's i-th EA, as the bench's users are made: <c>BENCH_EA_0000</c>, …</summary>
    public static string Uuid(string prefix, int index) => $"{prefix}{index:D4}";
}

/// <summary>
/// Many lightweight EAs on one thread, for load: a DEALER per uuid sends HELLO (a 100,000 USD account with an EURUSD
/// spec), every fire is stamped on arrival and, after the first <see cref="EaSwarmOptions.ConfirmAfter"/>, confirmed
/// filled at once. Arrivals are reported to a PULL socket as raw 64-bit <see cref="Stopwatch"/> timestamps (CLOCK_MONOTONIC
/// on Linux, the same clock in every process), one message per poll pass, so a bench in another process can time
/// signal → fire without the swarm sharing its cores. Run by <c>bitten sim-ea --many N</c>.
/// </summary>
public sealed class EaSwarm(EaSwarmOptions options, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    private long _received;
    private long _confirmed;
    private long _closed;

    public long FiresReceived => Interlocked.Read(ref _received);

    public long Confirmed => Interlocked.Read(ref _confirmed);

    public long Closed => Interlocked.Read(ref _closed);

    public int Count => options.Count;

    /// <summary>Runs until cancelled: connects every EA, says HELLO, then answers fires.</summary>
    public void Run(CancellationToken stop)
    {
        // Two file descriptors a socket (its connection and its mailbox): the caller keeps a swarm under the fd limit.
        using var context = new ZmqContext(ioThreads: 1, maxSockets: options.Count + 16);
        var dealers = new List<ZmqSocket>(options.Count);
        var uuids = new List<string>(options.Count);
        using var push = context.CreateSocket(ZmqSocketType.Push);
        push.Linger = 0;
        push.Connect(options.ConfirmEndpoint);
        using var report = options.ReportEndpoint is null ? null : context.CreateSocket(ZmqSocketType.Push);
        if (report is not null)
        {
            report.Linger = 1000;
            report.Connect(options.ReportEndpoint!);
        }

        var writer = new EaMessageWriter();
        var account = new AccountReport(100_000m, 100_000m, 0m, 100_000m, 0m, "USD", 500, "swarm", "SWARM");
        SymbolSpecReport[] specs = [new("EURUSD", 5, 0.00001, 1m, 0.00001, 0.01m, 0.01m, 100m, 0)];
        try
        {
            for (var i = 0; i < options.Count; i++)
            {
                var uuid = EaSwarmOptions.Uuid(options.UuidPrefix, options.FirstIndex + i);
                var dealer = context.CreateSocket(ZmqSocketType.Dealer);
                dealer.Linger = 0;
                dealer.SetIdentity(Encoding.UTF8.GetBytes(uuid));
                dealer.Connect(options.CommandEndpoint);
                dealer.Send(writer.Hello(uuid, "swarm", account, [], specs, null, UnixMs()));
                dealers.Add(dealer);
                uuids.Add(uuid);
            }

            var poll = dealers.Select(d => new ZmqPollItem(d)).ToArray();
            var arrivals = new List<long>(options.Count);
            // Positions to close, in fill order (every one is held the same time, so the queue is in due order too).
            var closes = new Queue<(long DueAt, int Ea, string FireId, long Ticket)>();
            var holdTicks = options.CloseAfterMs * Stopwatch.Frequency / 1000;
            long ticket = 1;
            while (!stop.IsCancellationRequested)
            {
                CloseDue(closes, push, writer, uuids, account);
                if (ZmqPoller.Poll(poll, closes.Count > 0 ? 10 : 100) <= 0)
                {
                    continue;
                }

                arrivals.Clear();
                for (var i = 0; i < poll.Length; i++)
                {
                    if (!poll[i].IsReadable)
                    {
                        continue;
                    }

                    while (dealers[i].TryReceiveFrame(out var frame, dontWait: true))
                    {
                        arrivals.Add(Stopwatch.GetTimestamp());
                        if (Interlocked.Increment(ref _received) <= options.ConfirmAfter)
                        {
                            continue;
                        }

                        using var json = JsonDocument.Parse(frame);
                        var root = json.RootElement;
                        if (root.TryGetProperty("type", out var type) && type.GetString() != "fire")
                        {
                            continue;
                        }

                        var fireId = root.GetProperty("fire_id").GetString()!;
                        var lot = root.GetProperty("lot").GetDecimal();
                        push.Send(writer.Confirmation(uuids[i], "swarm", fireId, ticket, 1.10001, lot, "filled", account, UnixMs()));
                        Interlocked.Increment(ref _confirmed);
                        if (options.CloseAfterMs > 0)
                        {
                            closes.Enqueue((Stopwatch.GetTimestamp() + holdTicks, i, fireId, ticket));
                        }

                        ticket++;
                    }
                }

                if (report is not null && arrivals.Count > 0)
                {
                    report.Send(MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(arrivals)));
                }
            }
        }
        finally
        {
            foreach (var dealer in dealers)
            {
                dealer.Dispose();
            }
        }
    }

    /// <summary>Closes every position whose hold time has passed, at the fill price (no profit, no loss: the account stays as it is).</summary>
    private void CloseDue(Queue<(long DueAt, int Ea, string FireId, long Ticket)> closes, ZmqSocket push, EaMessageWriter writer,
        List<string> uuids, AccountReport account)
    {
        var now = Stopwatch.GetTimestamp();
        while (closes.TryPeek(out var due) && due.DueAt <= now)
        {
            closes.Dequeue();
            push.Send(writer.CloseConfirmation(uuids[due.Ea], "swarm", due.FireId, due.Ticket, 1.10001, 0m, "closed", account, UnixMs()));
            Interlocked.Increment(ref _closed);
        }
    }

    /// <summary>The timestamps in one report message.</summary>
    public static long[] ReadReport(byte[] message) => MemoryMarshal.Cast<byte, long>(message).ToArray();

    // The wire's own timestamps are informational here; the bench times on the monotonic clock.
    private long UnixMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();
}
