using System.Net;
using System.Net.Sockets;

namespace Bitten.Testing;

/// <summary>
/// Loopback ports for a test that must name a port before anything listens on it: a process restarted on the same
/// port, a peer started first, an address that must stay closed for a while. Where the server can bind port 0 and
/// report the port, tests do that instead.
/// </summary>
/// <remarks>
/// Ports come from below the kernel's ephemeral range (<c>/proc/sys/net/ipv4/ip_local_port_range</c>, 32768–60999 by
/// default), never from a port-0 probe: a probed port goes back into the pool the kernel hands to every port-0 bind
/// and outgoing connection, and a CI run lost a test when another test's connection took such a port between the
/// probe and the server's bind ("Address already in use"). Below the range only a listener that names its port can
/// hold one. Each port is given once per process, from a random start so two test runs on one machine rarely meet,
/// and is checked free when given.
/// </remarks>
public static class TestPorts
{
    private const int Lowest = 10_000;
    private static readonly int Highest = EphemeralStart() - 1;
    private static int _next = Lowest + Random.Shared.Next(Highest - Lowest);

    /// <summary>A loopback port nothing listens on now, and one no other caller in this process is given.</summary>
    public static int Next()
    {
        for (var attempt = 0; attempt < Highest - Lowest; attempt++)
        {
            var port = Lowest + ((Interlocked.Increment(ref _next) - Lowest) % (Highest - Lowest + 1));
            try
            {
                using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // Held by someone else: the next one.
            }
        }

        throw new InvalidOperationException($"no free loopback port between {Lowest} and {Highest}");
    }

    private static int EphemeralStart()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (int.TryParse(range[0], out var start) && start > Lowest + 1_000)
            {
                return start;
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return 32_768;
    }
}
