using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using System.Threading.Channels;

namespace Bitten.EndToEnd.Tests;

/// <summary>A real <c>bitten</c> process, as a user starts it, with its output read line by line.</summary>
internal sealed partial class BittenProcess : IDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly List<string> _seen = [];

    private BittenProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Receive(e.Data);
        _process.ErrorDataReceived += (_, e) => Receive(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Started = Stopwatch.StartNew();
    }

    public Stopwatch Started { get; }

    public string Output
    {
        get
        {
            lock (_seen)
            {
                return string.Join('\n', _seen);
            }
        }
    }

    /// <param name="netns">A network namespace to run it in (<c>ip netns exec</c>, which execs: the process is bitten's own).</param>
    public static BittenProcess Start(IEnumerable<string> args, IDictionary<string, string>? environment = null, string? netns = null)
    {
        var info = new ProcessStartInfo(netns is null ? "dotnet" : "ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Directory.CreateTempSubdirectory("bitten-e2e-").FullName,
        };
        if (netns is not null)
        {
            foreach (var arg in (string[])["netns", "exec", netns, "dotnet"])
            {
                info.ArgumentList.Add(arg);
            }
        }

        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "bitten.dll"));
        var list = args.ToList();
        foreach (var arg in list)
        {
            info.ArgumentList.Add(arg);
        }

        // Servers in tests run side by side: every port a test did not choose is a random free one.
        if (list is ["run", ..])
        {
            foreach (var key in new[] { "Zmq:CommandPort", "Zmq:ConfirmPort", "Zmq:EventPort", "Zmq:EventInPort", "Web:Port", "Throne:Port" })
            {
                var env = "BITTEN_" + key.Replace(":", "__", StringComparison.Ordinal);
                if (!list.Any(a => a.StartsWith($"--{key}=", StringComparison.Ordinal)) && (environment is null || !environment.ContainsKey(env)))
                {
                    info.ArgumentList.Add($"--{key}=0");
                }
            }
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        return new BittenProcess(Process.Start(info) ?? throw new InvalidOperationException("cannot start dotnet bitten.dll"));
    }

    /// <summary>Waits for an output line matching <paramref name="pattern"/> and returns its match.</summary>
    public async Task<Match> WaitForLineAsync(Regex pattern, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (await _lines.Reader.WaitToReadAsync(cts.Token))
            {
                while (_lines.Reader.TryRead(out var line))
                {
                    var match = pattern.Match(line);
                    if (match.Success)
                    {
                        return match;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        throw new TimeoutException($"no line matching /{pattern}/ within {timeout}; output so far:\n{Output}");
    }

    /// <summary>Sends SIGTERM (what systemd and Ctrl-C-like stops send) and waits for the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, 15);
        }

        return await WaitForExitAsync(timeout);
    }

    /// <summary>Like <see cref="WaitForLineAsync"/>, but a matching line printed earlier (already read past) counts too.</summary>
    public Task<Match> WaitForLineEverAsync(Regex pattern, TimeSpan timeout)
    {
        lock (_seen)
        {
            foreach (var line in _seen)
            {
                if (pattern.Match(line) is { Success: true } match)
                {
                    return Task.FromResult(match);
                }
            }
        }

        return WaitForLineAsync(pattern, timeout);
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a crash or an OOM kill.</summary>
    public async Task KillAsync(TimeSpan timeout)
    {
        _process.Kill();
        await WaitForExitAsync(timeout);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"bitten did not exit within {timeout}; output:\n{Output}");
        }

        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private void Receive(string? line)
    {
        if (line is null)
        {
            _lines.Writer.TryComplete();
            return;
        }

        lock (_seen)
        {
            _seen.Add(line);
        }

        _lines.Writer.TryWrite(line);
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
