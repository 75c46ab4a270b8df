using System.Buffers.Binary;
using System.Text;
using Bitten.Zmq;
using Microsoft.Extensions.Logging;

namespace Bitten.Gateway.Curve;

/// <summary>
/// Watches the CURVE handshakes of a component's bound sockets (zmq_socket_monitor) on a thread of its own and counts
/// each failure in <see cref="CurveRefusals"/>, logging the first ten per port and then one in a thousand, so a peer
/// retrying with a wrong key cannot flood the log. libzmq refuses such a peer itself; this only makes the refusal seen.
/// Create it after the sockets are bound, from the thread that made them; dispose it before their context.
/// </summary>
public sealed class HandshakeMonitor : IDisposable
{
    private const int PollMs = 100;
    private static int s_next;

    private readonly List<(ZmqSocket Pair, string Port)> _pairs = [];
    private readonly CurveRefusals _refusals;
    private readonly ILogger _logger;
    private readonly Thread _thread;
    private readonly Dictionary<string, long> _logged = new(StringComparer.Ordinal);
    private volatile bool _stopping;

    public HandshakeMonitor(ZmqContext context, IEnumerable<(ZmqSocket Socket, string Port)> sockets, CurveRefusals refusals, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(sockets);
        _refusals = refusals ?? throw new ArgumentNullException(nameof(refusals));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        foreach (var (socket, port) in sockets)
        {
            var endpoint = $"inproc://bitten-handshakes-{port}-{Interlocked.Increment(ref s_next)}";
            socket.Monitor(endpoint, ZmqMonitorEvent.HandshakeFailed);
            var pair = context.CreateSocket(ZmqSocketType.Pair);
            pair.Linger = 0;
            pair.Connect(endpoint);
            _pairs.Add((pair, port));
        }

        _thread = new Thread(Run) { Name = "bitten-handshakes", IsBackground = true };
        _thread.Start();
    }

    private void Run()
    {
        var items = new ZmqPollItem[_pairs.Count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = new ZmqPollItem(_pairs[i].Pair);
        }

        Span<byte> head = stackalloc byte[16];
        Span<byte> peer = stackalloc byte[256];
        while (!_stopping)
        {
            try
            {
                if (ZmqPoller.Poll(items, PollMs) == 0)
                {
                    continue;
                }

                for (var i = 0; i < items.Length; i++)
                {
                    var (pair, port) = _pairs[i];
                    while (pair.TryReceive(head, out var size, out var more, dontWait: true))
                    {
                        var peerSize = 0;
                        while (more && pair.TryReceive(peer, out peerSize, out more, dontWait: true))
                        {
                        }

                        if (size >= 6)
                        {
                            var monitorEvent = (ZmqMonitorEvent)BinaryPrimitives.ReadUInt16LittleEndian(head);
                            var value = BinaryPrimitives.ReadUInt32LittleEndian(head[2..]);
                            Refused(port, monitorEvent, value, Encoding.ASCII.GetString(peer[..Math.Min(peerSize, peer.Length)]));
                        }
                    }
                }
            }
            catch (ZmqException) when (_stopping)
            {
                return;
            }
        }
    }

    private void Refused(string port, ZmqMonitorEvent monitorEvent, uint value, string endpoint)
    {
        var reason = CurveRefusals.Classify(monitorEvent, value);
        _refusals.Count(port, reason);
        var seen = _logged[port] = _logged.GetValueOrDefault(port) + 1;
        if (seen <= 10 || seen % 1000 == 0)
        {
            _logger.LogWarning("CURVE handshake refused on the {Port} port at {Endpoint}: {Reason} (event {Event:x}, error {Error:x}; {Count} so far on this port)",
                port, endpoint, CurveRefusals.WireName(reason), (int)monitorEvent, value, seen);
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _thread.Join();
        foreach (var (pair, _) in _pairs)
        {
            pair.Dispose();
        }
    }
}
