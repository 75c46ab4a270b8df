using System.Text;

namespace Bitten.Zmq.Tests;

internal static class TestSupport
{
    public const string AnyLoopbackPort = "tcp://127.0.0.1:*";

    /// <summary>Upper bound for anything that should happen "now"; only reached when a test fails.</summary>
    public const int PatienceMs = 5000;

    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    public static string Text(byte[] frame) => Encoding.UTF8.GetString(frame);

    public static string Loopback(int port) => $"tcp://127.0.0.1:{port}";

    /// <summary>Binds a socket of the given type to a random loopback port and returns the port.</summary>
    public static int BindAnyPort(ZmqSocket socket)
    {
        socket.Bind(AnyLoopbackPort);
        return socket.BoundPort;
    }

    /// <summary>Awaits task for at most timeout; false when it is still running (a hang).</summary>
    public static async Task<bool> CompletesWithin(Task task, TimeSpan timeout)
    {
        try
        {
            await task.WaitAsync(timeout);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public static bool WaitReadable(ZmqSocket socket, int timeoutMs)
    {
        Span<ZmqPollItem> items = [new ZmqPollItem(socket)];
        return ZmqPoller.Poll(items, timeoutMs) == 1 && items[0].IsReadable;
    }
}
