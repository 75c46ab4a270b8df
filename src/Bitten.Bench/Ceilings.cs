using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Bitten.Bench;

/// <summary>One run of a ceiling program: its rate (frames or events a second), what it printed, or why it did not run.</summary>
public sealed record CeilingRun(string Program, double PerSecond, double? BytesPerEvent, string Output, string? Why)
{
    public static CeilingRun NotRun(string program, string why) => new(program, double.NaN, null, "", why);
}

/// <summary>
/// The machine's own limits (../shared/limits): small C programs doing the bare minimum of one job. A bench compiles
/// one into a temp folder (cc -O2, once per process) when a compiler and the library's headers are here, runs it in
/// the same process run as the figure it bounds (these machines drift 2× from minute to minute), and reads its rate.
/// Missing compiler, headers or folder is a reason, not a failure: the bench still reports its own figures.
/// </summary>
public static partial class Ceilings
{
    private static readonly Dictionary<string, string> Built = new(StringComparer.Ordinal);
    private static readonly Lock Gate = new();

    /// <summary>The limits folder: <c>BITTEN_LIMITS</c>, else <c>../shared/limits</c> beside the checkout holding this build.</summary>
    public static string? Folder()
    {
        if (Environment.GetEnvironmentVariable("BITTEN_LIMITS") is { Length: > 0 } configured)
        {
            return Directory.Exists(configured) ? configured : null;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Bitten.slnx")))
            {
                var limits = Path.Combine(dir.FullName, "..", "shared", "limits");
                return Directory.Exists(limits) ? Path.GetFullPath(limits) : null;
            }
        }

        return null;
    }

    /// <summary>zmq_relay.c: PUSH → PULL→PUB → SUB on TCP loopback, byte copy, <paramref name="frames"/> 150-byte frames.</summary>
    public static CeilingRun ZmqRelay(long frames) => Run("zmq_relay", "-lzmq -lpthread", [frames.ToString(CultureInfo.InvariantCulture), "2"], []);

    /// <summary>sqlite_events.c: <paramref name="events"/> events in transactions of 1,000; <paramref name="checkpointsOff"/> moves WAL checkpoints off the write path.</summary>
    public static CeilingRun SqliteEvents(long events, bool checkpointsOff)
    {
        var file = Path.Combine(Path.GetTempPath(), $"bitten-ceiling-{Environment.ProcessId}.db");
        try
        {
            return Run("sqlite_events", "-lsqlite3", [file, events.ToString(CultureInfo.InvariantCulture)],
                checkpointsOff ? [("CKPT", "100000")] : []);
        }
        finally
        {
            foreach (var leftover in new[] { file, file + "-wal", file + "-shm" })
            {
                File.Delete(leftover);
            }
        }
    }

    /// <summary>Builds (once) and runs a ceiling program; its rate is the last "N frames/s" or "N events/s" it prints.</summary>
    public static CeilingRun Run(string program, string libraries, IReadOnlyList<string> args, IReadOnlyList<(string Name, string Value)> environment)
    {
        string binary;
        lock (Gate)
        {
            if (!Built.TryGetValue(program, out var built))
            {
                var (path, why) = Build(program, libraries);
                if (path is null)
                {
                    return CeilingRun.NotRun(program, why!);
                }

                Built[program] = built = path;
            }

            binary = built;
        }

        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            return CeilingRun.NotRun(program, $"{program} exited with {process.ExitCode}: {stderr.Result.Trim()}");
        }

        var rates = Rate().Matches(output);
        if (rates.Count == 0)
        {
            return CeilingRun.NotRun(program, $"{program} printed no rate: {output.Trim()}");
        }

        var perSecond = double.Parse(rates[^1].Groups[1].Value, CultureInfo.InvariantCulture);
        var bytes = BytesPerEvent().Match(output) is { Success: true } b ? double.Parse(b.Groups[1].Value, CultureInfo.InvariantCulture) : (double?)null;
        return new CeilingRun(program, perSecond, bytes, output.Trim(), null);
    }

    private static (string? Path, string? Why) Build(string program, string libraries)
    {
        if (Folder() is not { } folder)
        {
            return (null, "no ../shared/limits beside this checkout (set BITTEN_LIMITS)");
        }

        var source = Path.Combine(folder, program + ".c");
        if (!File.Exists(source))
        {
            return (null, $"no {source}");
        }

        var output = Path.Combine(Directory.CreateTempSubdirectory("bitten-ceiling-").FullName, program);
        var start = new ProcessStartInfo("cc") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["-O2", "-o", output, source, .. libraries.Split(' ', StringSplitOptions.RemoveEmptyEntries)])
        {
            start.ArgumentList.Add(arg);
        }

        try
        {
            using var cc = Process.Start(start)!;
            var errors = cc.StandardError.ReadToEndAsync();
            cc.StandardOutput.ReadToEnd();
            cc.WaitForExit();
            return cc.ExitCode == 0 ? (output, null) : (null, $"cc could not build {program} (headers missing? libzmq3-dev, libsqlite3-dev): {FirstLine(errors.Result)}");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (null, "no C compiler (cc) on PATH");
        }
    }

    private static string FirstLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() ?? "";

    [GeneratedRegex(@"([0-9]+(?:\.[0-9]+)?)\s*(?:frames|events|msgs|messages)/s")]
    private static partial Regex Rate();

    [GeneratedRegex(@"([0-9]+(?:\.[0-9]+)?)\s*bytes/event")]
    private static partial Regex BytesPerEvent();
}
