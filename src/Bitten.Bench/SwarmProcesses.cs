using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Bitten.Simulation.Ea;
using Bitten.Zmq;

namespace Bitten.Bench;

/// <summary>
/// Simulated EAs in processes of their own (<c>bitten sim-ea --many N</c>), so they do not share the server's process,
/// its GC or its thread pool; at most <see cref="PerProcess"/> each (two file descriptors a socket). Every fire's
/// arrival comes back as a monotonic timestamp on a PULL socket this class binds and reads on a thread of its own.
/// </summary>
public sealed class SwarmProcesses : IDisposable
{
    public const int PerProcess = 5_000;

    private readonly List<Process> _processes = [];
    private readonly ZmqContext _context = new();
    private readonly ConcurrentQueue<long> _arrivals = new();
    private readonly List<long> _ordered = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _reader;
    private readonly bool _keepArrivals;
    private long _received;

    /// <param name="confirmAfterEach">Each EA only stamps this many fires of its own before it starts confirming them.</param>
    /// <param name="closeAfterMs">Above 0: each EA closes every filled position this long after its fill.</param>
    /// <param name="keepArrivals">False: arrivals are only counted, not kept (a soak would otherwise hold every stamp).</param>
    public SwarmProcesses(int count, string host, int commandPort, int confirmPort, int confirmAfterEach, int closeAfterMs = 0, bool keepArrivals = true)
    {
        _keepArrivals = keepArrivals;
        var pull = _context.CreateSocket(ZmqSocketType.Pull);
        pull.Linger = 0;
        pull.Bind("tcp://127.0.0.1:*");
        var report = pull.LastEndpoint;
        _reader = new Thread(() => Read(pull)) { Name = "bench-swarm-reports", IsBackground = true };
        _reader.Start();
        for (var first = 0; first < count; first += PerProcess)
        {
            var many = Math.Min(PerProcess, count - first);
            string[] args = ["sim-ea", "--many", Text(many), "--first", Text(first), "--host", host, "--command-port", Text(commandPort),
                "--confirm-port", Text(confirmPort), "--report", report, "--confirm-after", Text((long)many * confirmAfterEach),
                "--close-after-ms", Text(closeAfterMs)];
            _processes.Add(Start(args));
        }
    }

    public long Received => Interlocked.Read(ref _received);

    /// <summary>Waits until at least <paramref name="count"/> fires have arrived, yielding (the harness has nothing else to do).</summary>
    public async Task WaitForFires(long count, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (Received < count)
        {
            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"only {Received} of {count} fires reached the simulated EAs");
            }

            foreach (var process in _processes.Where(p => p.HasExited))
            {
                throw new InvalidOperationException($"a simulated EA process exited with {process.ExitCode}: {process.StandardError.ReadToEnd()}");
            }

            await Task.Delay(1).ConfigureAwait(false);
        }
    }

    /// <summary>Throws when a simulated EA process has ended (they run until disposed).</summary>
    public void ThrowIfExited()
    {
        foreach (var process in _processes.Where(p => p.HasExited))
        {
            throw new InvalidOperationException($"a simulated EA process exited with {process.ExitCode}: {process.StandardError.ReadToEnd()}");
        }
    }

    /// <summary>The arrival stamps from the <paramref name="index"/>-th on, in the order they came.</summary>
    public List<long> ArrivalsSince(int index)
    {
        while (_arrivals.TryDequeue(out var at))
        {
            _ordered.Add(at);
        }

        return _ordered[index..];
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            try
            {
                // Closing stdin is the swarm's stop.
                process.StandardInput.Close();
                if (!process.WaitForExit(10_000))
                {
                    process.Kill(entireProcessTree: true);
                }
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            process.Dispose();
        }

        _stop.Cancel();
        _reader.Join();
        _context.Dispose();
        _stop.Dispose();
    }

    private void Read(ZmqSocket pull)
    {
        using var socket = pull;
        socket.ReceiveTimeout = 100;
        while (!_stop.IsCancellationRequested)
        {
            if (!socket.TryReceiveFrame(out var frame))
            {
                continue;
            }

            if (_keepArrivals)
            {
                foreach (var at in EaSwarm.ReadReport(frame))
                {
                    _arrivals.Enqueue(at);
                }
            }

            Interlocked.Add(ref _received, frame.Length / sizeof(long));
        }
    }

    /// <summary>This same program (the apphost, or dotnet with its dll) with other arguments.</summary>
    private static Process Start(string[] args)
    {
        var host = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(host) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(Assembly.GetEntryAssembly()?.Location ?? throw new InvalidOperationException("no entry assembly to start again"));
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start a simulated EA process");
        // Drained so a chatty child never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        return process;
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
