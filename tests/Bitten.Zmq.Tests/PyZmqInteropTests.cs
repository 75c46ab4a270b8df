using System.ComponentModel;
using System.Diagnostics;
using static Bitten.Zmq.Tests.TestSupport;

namespace Bitten.Zmq.Tests;

public class PyZmqInteropTests
{
    // Debian's python3-zmq is installed for the system interpreter only; the python3 first on
    // PATH may be another one without it.
    private const string Python = "/usr/bin/python3";

    private const string PushScript = """
        import sys, zmq
        context = zmq.Context()
        push = context.socket(zmq.PUSH)
        push.connect("tcp://127.0.0.1:%s" % sys.argv[1])
        for i in range(100):
            push.send(b"py-%d" % i)
        push.close(linger=10000)
        context.term()
        """;

    [Fact]
    public async Task PyZmqPushReachesOurPullInOrder()
    {
        var probe = RunPython("import zmq");
        Assert.True(
            probe.ExitCode == 0,
            $"{Python} cannot import zmq (run `apt-get install python3-zmq`): {probe.Error}");

        using var context = new ZmqContext();
        using var pull = context.CreateSocket(ZmqSocketType.Pull);
        pull.ReceiveTimeout = 10_000;
        var port = BindAnyPort(pull);

        var sender = Task.Run(() => RunPython(PushScript, port.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var received = new List<string>();
        for (var i = 0; i < 100 && pull.TryReceiveFrame(out var frame); i++)
        {
            received.Add(Text(frame));
        }

        Assert.True(await CompletesWithin(sender, TimeSpan.FromSeconds(40)), "python sender did not finish");
        var (exitCode, error) = await sender;
        Assert.True(exitCode == 0, $"python sender failed: {error}");
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"py-{i}"), received);
    }

    private static (int ExitCode, string Error) RunPython(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // A PYTHONPATH/PYTHONHOME meant for another interpreter can break the system one.
        start.Environment.Remove("PYTHONPATH");
        start.Environment.Remove("PYTHONHOME");

        try
        {
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(30_000))
            {
                process.Kill(entireProcessTree: true);
                return (-1, "timed out after 30 s");
            }

            return (process.ExitCode, error.Result + output.Result);
        }
        catch (Win32Exception exception)
        {
            return (-1, $"{Python} could not be started: {exception.Message}");
        }
    }
}
