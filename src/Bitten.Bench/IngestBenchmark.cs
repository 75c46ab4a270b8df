using System.Diagnostics;
using System.Globalization;
using Bitten.Domain.Primitives;
using Bitten.Engine.Kernel;
using Bitten.Engine.Market;
using Bitten.Gateway;
using Bitten.Gateway.Market;
using Bitten.Simulation.Ea;
using Bitten.Simulation.Replay;
using Bitten.Wire.Ea;
using Bitten.Zmq;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bitten.Bench;

/// <summary>What one relay did with the same traffic.</summary>
public sealed record IngestResult(
    string Relay,
    long Sent,
    long Received,
    bool Identical,
    bool Lossless,
    double Seconds,
    double TicksPerSecond,
    double LatencyP50Microseconds,
    double LatencyP99Microseconds,
    long LatencySamples,
    double BridgeCpuMicrosecondsPerTick = double.NaN,
    double KernelCpuMicrosecondsPerTick = double.NaN);

/// <summary>
/// Pushes real ticks into a relay (ours, or a pyzmq relay as the baseline) and receives them on a SUB, all on
/// loopback. Two phases: a blast of N frames for throughput (and zero-loss, byte-identical delivery), then a paced
/// phase (one frame per millisecond) for latency, since latency measured under a blast is only queueing time.
/// </summary>
public static class IngestBenchmark
{
    private const int MaxFrame = 4096;

    /// <summary>Real ticks (the bundled EURUSD and XAUUSD days) as v2.05 TICK frames, in time order.</summary>
    public static byte[][] RealTickFrames(string ticksPath)
    {
        var replay = new TickReplay(TickReplay.Discover([ticksPath]));
        var writer = new EaMessageWriter();
        var frames = new List<byte[]>();
        foreach (var (symbol, tick) in replay.Read())
        {
            var spread = Math.Round((tick.Ask - tick.Bid) / SimulatedEa.PointOf(symbol), 1);
            frames.Add(writer.Tick("BENCH_EA", "NODE_BENCH", symbol, tick.Bid, tick.Ask, spread, tick.TimeMs).ToArray());
        }

        return [.. frames];
    }

    /// <summary>Runs the traffic through BITTEN's bridge (with the kernel building candles behind it).</summary>
    public static async Task<IngestResult> RunBittenAsync(byte[][] frames, long count, int pacedCount)
    {
        var symbols = new SymbolRegistry();
        var market = new MarketOptions();
        await using var kernel = new TradingKernel(TimeProvider.System, market, new KernelOptions());
        kernel.Start();
        // An unlimited PUB queue: the benchmark asserts zero loss, and a default HWM would drop under a blast.
        var zmq = new ZmqOptions { MarketInPort = 0, MarketOutPort = 0 };
        await using var bridge = new MarketBridge(zmq, new BridgeOptions { PublishHighWatermark = 0 }, market, symbols, kernel,
            TimeProvider.System, NullLogger.Instance);
        bridge.Start();
        var bridgeCpu = ThreadCpuSeconds("bitten-bridge");
        var kernelCpu = ThreadCpuSeconds("bitten-kernel");
        var result = Run("BITTEN bridge (C#)", zmq.ConnectEndpoint(bridge.MarketInPort), zmq.ConnectEndpoint(bridge.MarketOutPort), frames, count, pacedCount, sameBytes: true);
        await kernel.FlushAsync();
        // CPU the bridge and kernel threads spent per tick: what each could carry with a core of its own.
        var ticks = (double)bridge.Stats.Received;
        result = result with
        {
            BridgeCpuMicrosecondsPerTick = (ThreadCpuSeconds("bitten-bridge") - bridgeCpu) * 1e6 / ticks,
            KernelCpuMicrosecondsPerTick = (ThreadCpuSeconds("bitten-kernel") - kernelCpu) * 1e6 / ticks,
        };
        return bridge.Stats.TotalRejected == 0 ? result : result with { Lossless = false };
    }

    /// <summary>Runs the same traffic through the pyzmq relay in <paramref name="mode"/> (raw or json).</summary>
    public static IngestResult RunPython(string script, string mode, byte[][] frames, long count, int pacedCount)
    {
        using var relay = Process.Start(new ProcessStartInfo("/usr/bin/python3", [script, mode])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new IOException("cannot start /usr/bin/python3 for the pyzmq baseline (apt-get install python3-zmq, or --no-baseline)");
        try
        {
            var ready = relay.StandardOutput.ReadLine();
            if (ready is null || !ready.StartsWith("READY ", StringComparison.Ordinal))
            {
                throw new IOException($"the pyzmq relay did not start (apt-get install python3-zmq, or --no-baseline): {relay.StandardError.ReadToEnd().Trim()}");
            }

            var parts = ready.Split(' ');
            // The json relay re-serialises (spacing changes), so only the raw one can be held to byte identity.
            return Run($"pyzmq relay ({mode})", parts[1], parts[2], frames, count, pacedCount, sameBytes: mode == "raw");
        }
        finally
        {
            relay.Kill();
            relay.WaitForExit();
        }
    }

    private static IngestResult Run(string name, string inEndpoint, string outEndpoint, byte[][] frames, long count, int pacedCount, bool sameBytes)
    {
        using var context = new ZmqContext();
        using var sub = context.CreateSocket(ZmqSocketType.Sub);
        sub.ReceiveHighWatermark = 0;
        sub.Subscribe([]);
        sub.Connect(outEndpoint);
        using var push = context.CreateSocket(ZmqSocketType.Push);
        push.SendHighWatermark = 100_000;
        push.Connect(inEndpoint);
        Synchronise(push, sub, frames[0]);

        // Throughput: the receiver checks every frame against what was sent, in order.
        var identical = true;
        long received = 0;
        long lastReceive = 0;
        var receiver = new Thread(() =>
        {
            var buffer = new byte[MaxFrame];
            sub.ReceiveTimeout = 10_000;
            for (long i = 0; i < count; i++)
            {
                if (!sub.TryReceive(buffer, out var size, out _))
                {
                    break;
                }

                received++;
                if (sameBytes && !buffer.AsSpan(0, size).SequenceEqual(frames[i % frames.Length]))
                {
                    identical = false;
                }
            }

            lastReceive = Stopwatch.GetTimestamp();
        }) { Name = "bench-receiver" };
        receiver.Start();
        var start = Stopwatch.GetTimestamp();
        for (long i = 0; i < count; i++)
        {
            push.Send(frames[i % frames.Length]);
        }

        receiver.Join();
        var seconds = Stopwatch.GetElapsedTime(start, lastReceive).TotalSeconds;

        // Latency: one frame at a time, each sent when the previous arrived or after 1 ms, whichever is later.
        var latencies = new double[pacedCount];
        var samples = 0;
        var buffer = new byte[MaxFrame];
        sub.ReceiveTimeout = 1000;
        for (var i = 0; i < pacedCount; i++)
        {
            var frame = frames[(int)((count + i) % frames.Length)];
            var sent = Stopwatch.GetTimestamp();
            push.Send(frame);
            if (!sub.TryReceive(buffer, out var size, out _))
            {
                break;
            }

            if (sameBytes && !buffer.AsSpan(0, size).SequenceEqual(frame))
            {
                identical = false;
            }

            latencies[samples++] = Stopwatch.GetElapsedTime(sent).TotalMicroseconds;
            Thread.Sleep(1);
        }

        Array.Sort(latencies, 0, samples);
        return new IngestResult(name, count, received, sameBytes && identical && received == count, received == count && samples == pacedCount, seconds, received / seconds,
            Percentile(latencies, samples, 0.50), Percentile(latencies, samples, 0.99), samples);
    }

    /// <summary>Waits out ZeroMQ's slow-joiner window: sends a probe until the SUB sees one, then drains the rest.</summary>
    private static void Synchronise(ZmqSocket push, ZmqSocket sub, byte[] probe)
    {
        var buffer = new byte[MaxFrame];
        Span<ZmqPollItem> poll = [new ZmqPollItem(sub)];
        for (var attempt = 0; attempt < 100; attempt++)
        {
            push.Send(probe);
            if (ZmqPoller.Poll(poll, 100) > 0)
            {
                while (ZmqPoller.Poll(poll, 300) > 0)
                {
                    sub.TryReceive(buffer, out _, out _, dontWait: true);
                }

                return;
            }
        }

        throw new InvalidOperationException("the relay never delivered a frame to the subscriber");
    }

    /// <summary>User + system CPU time of this process's thread named <paramref name="name"/>, from /proc (Linux).</summary>
    private static double ThreadCpuSeconds(string name)
    {
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            if (File.ReadAllText(Path.Combine(task, "comm")).Trim() != name)
            {
                continue;
            }

            // Fields after the ")" that ends the command: state is field 3; utime and stime are 14 and 15.
            var stat = File.ReadAllText(Path.Combine(task, "stat"));
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
        }

        return double.NaN;
    }

    private static double Percentile(double[] sorted, int count, double p) =>
        count == 0 ? double.NaN : sorted[Math.Min(count - 1, (int)Math.Ceiling(p * count) - 1)];

    public static string Format(IngestResult r) => string.Create(CultureInfo.InvariantCulture,
        $"{r.Relay,-24} {r.TicksPerSecond,12:N0} ticks/s  {r.Received,9:N0}/{r.Sent:N0} received{(!r.Lossless ? ", LOSS" : r.Identical ? ", identical, in order" : "")}  latency p50 {r.LatencyP50Microseconds,7:F1} µs  p99 {r.LatencyP99Microseconds,7:F1} µs")
        + (double.IsNaN(r.BridgeCpuMicrosecondsPerTick) ? "" : string.Create(CultureInfo.InvariantCulture,
            $"  CPU/tick bridge {r.BridgeCpuMicrosecondsPerTick:F2} µs kernel {r.KernelCpuMicrosecondsPerTick:F2} µs"));
}
