using System.Diagnostics;

namespace Bitten.Testing;

/// <summary>
/// Runs a Python script with Debian's python3-zmq (importable by /usr/bin/python3 only, not by other Pythons on
/// the PATH), as a foreign peer: an EA or a subscriber written by someone else.
/// </summary>
public static class PyZmq
{
    public const string Python = "/usr/bin/python3";

    /// <summary>Starts the script; its stdout and stderr are redirected for the caller to read.</summary>
    public static Process Start(string script, params string[] args)
    {
        if (!File.Exists(Python))
        {
            throw new InvalidOperationException($"{Python} is missing: apt-get install python3 python3-zmq");
        }

        var info = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // A pyenv or virtualenv on the PATH must not shadow Debian's site-packages.
        info.Environment.Remove("PYTHONPATH");
        info.Environment.Remove("PYTHONHOME");
        return Process.Start(info) ?? throw new InvalidOperationException("cannot start " + Python);
    }

    /// <summary>Runs the script to completion and returns its stdout; fails with its stderr if it fails or overruns.</summary>
    public static async Task<string> RunAsync(string script, TimeSpan timeout, params string[] args)
    {
        using var process = Start(script, args);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"python peer did not finish within {timeout}: {await stderr}");
        }

        var error = await stderr;
        if (process.ExitCode != 0)
        {
            var hint = error.Contains("No module named 'zmq'", StringComparison.Ordinal) ? " (apt-get install python3-zmq)" : "";
            throw new InvalidOperationException($"python peer exited with {process.ExitCode}{hint}: {error}");
        }

        return await stdout;
    }
}
