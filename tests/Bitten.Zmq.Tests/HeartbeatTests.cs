using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using static Bitten.Zmq.Tests.TestSupport;

namespace Bitten.Zmq.Tests;

/// <summary>
/// ZMTP heartbeats against a link that goes silent without closing (a pulled cable, played by a TCP relay that stops
/// passing bytes): both ends drop the dead connection on their own, the connecting end dials again, and once the link
/// carries bytes again a message goes through on the new connection.
/// </summary>
public sealed class HeartbeatTests
{
    [Fact]
    public async Task ASilentLinkIsDroppedByBothEndsAndRedialledWhenItIsBack()
    {
        using var context = new ZmqContext();
        using var router = context.CreateSocket(ZmqSocketType.Router);
        using var dealer = context.CreateSocket(ZmqSocketType.Dealer);
        router.Heartbeat(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(400));
        dealer.Heartbeat(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(400));
        Assert.Equal((TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(400)), (dealer.HeartbeatInterval, dealer.HeartbeatTimeout));
        Assert.Equal(400, dealer.ConnectTimeout);
        router.ReceiveTimeout = PatienceMs;
        router.Linger = 0;
        dealer.Linger = 0;
        dealer.SetIdentity(Bytes("EA"));
        using var cable = new Cable(BindAnyPort(router));
        using var routerEvents = Monitor(context, router, "router");
        using var dealerEvents = Monitor(context, dealer, "dealer");
        dealer.Connect(Loopback(cable.Port));
        dealer.Send(Bytes("before"));
        Assert.Equal(["EA", "before"], router.ReceiveMultipart().Select(Text));

        cable.Pull();

        // Nothing closed the connection: each end's heartbeat found it silent.
        Assert.Equal(ZmqMonitorEvent.Disconnected, NextEvent(routerEvents, ZmqMonitorEvent.Disconnected));
        Assert.Equal(ZmqMonitorEvent.Disconnected, NextEvent(dealerEvents, ZmqMonitorEvent.Disconnected));

        // Queued while the link is down, sent on the connection the dealer dials once it is back.
        dealer.Send(Bytes("after"));
        cable.PlugIn();
        List<byte[]> after;
        try
        {
            after = router.ReceiveMultipart();
        }
        catch (ZmqException e)
        {
            // One clean-clone run under load lost this receive and did not say why: say what the link did.
            throw new Xunit.Sdk.XunitException($"no message after the cable came back ({e.Message}); {cable.Connections} connections through the cable, " +
                $"{cable.Refused} refused while it was pulled");
        }

        Assert.Equal(["EA", "after"], after.Select(Text));
        Assert.True(cable.Connections >= 2, $"{cable.Connections} connections through the cable");
        await cable.DisposeAsync();
    }

    private static ZmqSocket Monitor(ZmqContext context, ZmqSocket socket, string name)
    {
        var endpoint = $"inproc://heartbeat-{name}-{Guid.NewGuid():N}";
        socket.Monitor(endpoint, ZmqMonitorEvent.Connected | ZmqMonitorEvent.Disconnected);
        var pair = context.CreateSocket(ZmqSocketType.Pair);
        pair.Linger = 0;
        pair.ReceiveTimeout = 30_000;
        pair.Connect(endpoint);
        return pair;
    }

    /// <summary>Reads monitor events until one of <paramref name="wanted"/> (at most 30 s each: only reached on failure).</summary>
    private static ZmqMonitorEvent NextEvent(ZmqSocket pair, ZmqMonitorEvent wanted)
    {
        var head = new byte[16];
        var peer = new byte[256];
        while (true)
        {
            Assert.True(pair.TryReceive(head, out var size, out var more), $"no {wanted} event in 30 s");
            while (more && pair.TryReceive(peer, out _, out more))
            {
            }

            var monitorEvent = size >= 6 ? (ZmqMonitorEvent)BinaryPrimitives.ReadUInt16LittleEndian(head) : ZmqMonitorEvent.None;
            if ((monitorEvent & wanted) != 0)
            {
                return monitorEvent;
            }
        }
    }

    /// <summary>
    /// A TCP relay to <c>127.0.0.1:target</c>. Pulled, it stops passing bytes and closing nothing, as a cut cable does,
    /// and hangs up on any new connection (a dial into a dead network fails); plugged in, it relays again.
    /// </summary>
    private sealed class Cable : IAsyncDisposable, IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly int _target;
        private readonly CancellationTokenSource _stop = new();
        private readonly List<Socket> _sockets = [];
        private readonly Task _accepting;
        private volatile TaskCompletionSource _live = Open();
        private int _connections;
        private int _refused;

        public Cable(int target)
        {
            _target = target;
            _listener.Start();
            _accepting = Accept();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public int Connections => Volatile.Read(ref _connections);

        /// <summary>Connections the cable closed at once because it was pulled when they came.</summary>
        public int Refused => Volatile.Read(ref _refused);

        private bool IsPulled => !_live.Task.IsCompleted;

        public void Pull() => _live = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void PlugIn() => _live.TrySetResult();

        public async ValueTask DisposeAsync()
        {
            Dispose();
            try
            {
                await _accepting;
            }
            catch (OperationCanceledException)
            {
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            lock (_sockets)
            {
                _sockets.ForEach(s => s.Dispose());
            }
        }

        private static TaskCompletionSource Open()
        {
            var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            open.SetResult();
            return open;
        }

        private async Task Accept()
        {
            while (!_stop.IsCancellationRequested)
            {
                Socket client;
                try
                {
                    client = await _listener.AcceptSocketAsync(_stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }

                if (IsPulled)
                {
                    Interlocked.Increment(ref _refused);
                    client.Dispose();
                    continue;
                }

                var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await server.ConnectAsync(IPAddress.Loopback, _target, _stop.Token);
                lock (_sockets)
                {
                    _sockets.Add(client);
                    _sockets.Add(server);
                }

                Interlocked.Increment(ref _connections);
                _ = Pump(client, server);
                _ = Pump(server, client);
            }
        }

        /// <summary>Relays one direction; what arrives while the cable is pulled is dropped, as a dead link loses it.</summary>
        private async Task Pump(Socket from, Socket to)
        {
            var buffer = new byte[64 * 1024];
            try
            {
                while (true)
                {
                    var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                    if (read == 0)
                    {
                        break;
                    }

                    if (!IsPulled)
                    {
                        await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
                    }
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }

            // One end hung up. While the cable is pulled the other end cannot hear it: it must find out by itself.
            await _live.Task.WaitAsync(_stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            to.Dispose();
        }
    }
}
