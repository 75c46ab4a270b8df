using System.Diagnostics;
using Bitten.Simulation.Ea;
using Bitten.Simulation.Replay;
using Bitten.Wire.Ea;
using Bitten.Zmq;

namespace Bitten.Bench;

/// <summary>One symbol's recorded bids and asks, as the feeder cycles them; <see cref="Source"/> is the recording's own symbol.</summary>
public sealed record TickStreamData(string Symbol, string Source, double[] Bids, double[] Asks, double Point);

/// <summary>
/// PUSHes real ticks into the bridge's PULL port at a steady rate, round robin over its symbols, each stamped with the
/// time it is sent (a live EA's ticks are now's). A thread of its own; a frame is written into one reused buffer, so
/// feeding allocates nothing. A PUSH blocks at its high-water mark, so a bridge that falls behind slows the feed
/// rather than losing it.
/// </summary>
public sealed class TickFeeder : IDisposable
{
    private readonly ZmqContext _context = new();
    private readonly IReadOnlyList<TickStreamData> _streams;
    private readonly int[] _next;
    private readonly Thread _thread;
    private readonly string _endpoint;
    private readonly int _perSecond;
    private volatile bool _stop;
    private long _sent;

    public TickFeeder(string endpoint, IReadOnlyList<TickStreamData> streams, int perSecond)
    {
        ArgumentNullException.ThrowIfNull(streams);
        _endpoint = endpoint;
        _streams = streams;
        _perSecond = perSecond;
        _next = new int[streams.Count];
        for (var i = 0; i < streams.Count; i++)
        {
            // Streams relabelled from the same recording start at different places in it.
            _next[i] = (int)((long)streams[i].Bids.Length * (i / 3) / 6 % streams[i].Bids.Length);
        }

        _thread = new Thread(Run) { Name = "bench-soak-feeder", IsBackground = true };
        _thread.Start();
    }

    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>The quote the feeder is at for the stream (read from another thread: a tick either side is fine).</summary>
    public (double Bid, double Ask) Quote(int stream)
    {
        var at = Volatile.Read(ref _next[stream]);
        return (_streams[stream].Bids[at], _streams[stream].Asks[at]);
    }

    public void Stop()
    {
        _stop = true;
        _thread.Join();
    }

    public void Dispose()
    {
        if (!_stop)
        {
            Stop();
        }

        _context.Dispose();
    }

    /// <summary>
    /// The first recorded day of each symbol under <paramref name="path"/>, relabelled over the first
    /// <paramref name="count"/> catalogue symbols (the recordings' own symbols keep their names).
    /// </summary>
    public static IReadOnlyList<TickStreamData> Load(string path, int count)
    {
        var files = TickReplay.Discover(path.Split(Path.PathSeparator)).GroupBy(f => f.Symbol, StringComparer.Ordinal).Select(g => g.First()).ToList();
        if (files.Count == 0)
        {
            throw new FileNotFoundException($"no tick files under {path}", path);
        }

        var sources = new List<(string Symbol, double[] Bids, double[] Asks)>();
        foreach (var file in files)
        {
            var ticks = new TickReplay([file]).Read().Take(500_000).ToList();
            sources.Add((file.Symbol, [.. ticks.Select(t => t.Tick.Bid)], [.. ticks.Select(t => t.Tick.Ask)]));
        }

        // The recordings' symbols first, then other catalogue names carrying their prices in turn.
        var names = sources.Select(s => s.Symbol).Concat(Bitten.Domain.Primitives.SymbolCatalogue.Default.All.Select(s => s.Symbol))
            .Distinct(StringComparer.Ordinal).Take(count).ToList();
        var streams = new List<TickStreamData>(names.Count);
        for (var i = 0; i < names.Count; i++)
        {
            var (source, bids, asks) = sources[i % sources.Count];
            streams.Add(new TickStreamData(names[i], source, bids, asks, SimulatedEa.PointOf(source)));
        }

        return streams;
    }

    private void Run()
    {
        using var push = _context.CreateSocket(ZmqSocketType.Push);
        push.Linger = 0;
        push.Connect(_endpoint);
        var writer = new EaMessageWriter();
        var clock = Stopwatch.StartNew();
        var stream = 0;
        while (!_stop)
        {
            var due = (long)(clock.Elapsed.TotalSeconds * _perSecond);
            var now = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
            while (_sent < due && !_stop)
            {
                var data = _streams[stream];
                var at = _next[stream];
                var (bid, ask) = (data.Bids[at], data.Asks[at]);
                push.Send(writer.Tick("BENCH_FEED", "NODE_SOAK", data.Symbol, bid, ask, Math.Round((ask - bid) / data.Point, 1), now));
                Volatile.Write(ref _next[stream], at + 1 == data.Bids.Length ? 0 : at + 1);
                Interlocked.Increment(ref _sent);
                stream = stream + 1 == _streams.Count ? 0 : stream + 1;
            }

            Thread.Sleep(1);
        }
    }
}
