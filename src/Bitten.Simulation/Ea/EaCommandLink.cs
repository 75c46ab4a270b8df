using System.Text;
using System.Text.Json;
using Bitten.Domain.Primitives;
using Bitten.Wire.Ea;
using Bitten.Zmq;
using Microsoft.Extensions.Logging;

namespace Bitten.Simulation.Ea;

/// <summary>
/// The command side of a paper EA, as BITTEN_Bridge.mq5 speaks it: DEALER (identity = UUID) to the command port with
/// HELLO and a HEARTBEAT every interval carrying the account and positions, PUSH to the confirmation port. Fire and
/// close commands go to the <see cref="PaperBroker"/> and its answers go back; its SL/TP closes are pushed as they
/// happen; ping gets pong. Shared by every EA that trades on paper, whatever feeds its prices.
/// </summary>
internal sealed class EaCommandLink(
    SimulatedEaOptions options,
    PaperBroker broker,
    IReadOnlyList<string> symbols,
    Func<long> ticksSeen,
    CurveClient curve,
    TimeProvider clock,
    ILogger logger)
{
    private const int SendTimeoutMs = 200;

    private long _commands;

    public long CommandsReceived => Interlocked.Read(ref _commands);

    private AccountReport Account => broker.Account;

    /// <summary>Connects, says HELLO and answers commands until <paramref name="cancel"/> fires.</summary>
    public void Run(ZmqContext context, CancellationToken cancel)
    {
        using var dealer = context.CreateSocket(ZmqSocketType.Dealer);
        dealer.SetIdentity(Encoding.UTF8.GetBytes(options.Uuid));
        curve.Secure(dealer);
        dealer.SendTimeout = SendTimeoutMs;
        // Only to a live connection: a heartbeat queued while the server is down would arrive after it restarts with
        // a stale view (an old recent-fires list), and could have it send a fire again that this EA already executed.
        dealer.Immediate = true;
        dealer.Connect(Endpoint(options, options.CommandPort));
        using var confirm = Push(context, options, options.ConfirmPort, curve);
        var writer = new EaMessageWriter();
        var specs = symbols.Select(SimulatedEa.SpecOf).ToList();
        Send(dealer, writer.Hello(options.Uuid, options.NodeId, Account, broker.Positions, specs, options.PairingCode, UnixMs.Now(clock), broker.RecentFireIds),
            cancel);
        var lastHeartbeat = clock.GetTimestamp();
        Span<ZmqPollItem> poll = [new ZmqPollItem(dealer)];
        while (!cancel.IsCancellationRequested)
        {
            // A short poll: closes by SL/TP wait for this loop to send them, and should leave within a tick or two.
            if (ZmqPoller.Poll(poll, 50) > 0 && dealer.TryReceiveFrame(out var frame, dontWait: true))
            {
                Interlocked.Increment(ref _commands);
                foreach (var reply in Answer(frame, writer, cancel))
                {
                    Send(confirm, reply, cancel);
                }
            }

            while (broker.TryTakeClose(out var close))
            {
                Send(confirm, Write(writer, close, UnixMs.Now(clock)), cancel);
            }

            if (clock.GetElapsedTime(lastHeartbeat).TotalSeconds >= options.HeartbeatSeconds)
            {
                // One try: an undeliverable heartbeat is dropped; the next one is fresh.
                dealer.TrySend(writer.Heartbeat(options.Uuid, options.NodeId, Account, broker.Positions, ticksSeen(), UnixMs.Now(clock), broker.RecentFireIds));
                lastHeartbeat = clock.GetTimestamp();
            }
        }
    }

    internal static string Endpoint(SimulatedEaOptions options, int port) => $"tcp://{options.Host}:{port}";

    /// <summary>A PUSH socket to the server's <paramref name="port"/>, as the EA's market and confirmation sockets are.</summary>
    internal static ZmqSocket Push(ZmqContext context, SimulatedEaOptions options, int port, CurveClient curve)
    {
        var push = context.CreateSocket(ZmqSocketType.Push);
        curve.Secure(push);
        push.SendTimeout = SendTimeoutMs;
        push.Connect(Endpoint(options, port));
        return push;
    }

    private List<byte[]> Answer(byte[] frame, EaMessageWriter writer, CancellationToken cancel)
    {
        var command = EaCommandParser.Parse(frame, out var error);
        if (command is null)
        {
            var (type, fireId, badTarget) = Peek(frame);
            if (badTarget is not null && badTarget != options.Uuid)
            {
                return [];
            }

            logger.LogWarning("Paper EA {Uuid}: refused a command: {Error}", options.Uuid, error);
            return [writer.Refusal(options.Uuid, options.NodeId, type ?? "unknown", fireId, error, Account, UnixMs.Now(clock)).ToArray()];
        }

        // The v2.05 EA ignores commands addressed to another UUID (a ping may carry none).
        if (command.TargetUuid.Length > 0 && command.TargetUuid != options.Uuid)
        {
            return [];
        }

        if (command is PingCommand ping)
        {
            return [writer.Pong(options.Uuid, options.NodeId, ping.PingId, UnixMs.Now(clock)).ToArray()];
        }

        // A terminal's order takes a round trip to its broker; the fill is at the price when it arrives there.
        if (options.FillLatencyMs > 0 && !Wait(clock, TimeSpan.FromMilliseconds(options.FillLatencyMs), cancel))
        {
            return [];
        }

        var now = UnixMs.Now(clock);
        switch (command)
        {
            case FireCommand fire:
                var confirmation = broker.Execute(fire, now);
                return [confirmation.Success
                    ? writer.Confirmation(options.Uuid, options.NodeId, confirmation.FireId, confirmation.Ticket, confirmation.Price, confirmation.Lot,
                        confirmation.Message ?? "", confirmation.Account, confirmation.TimestampMs).ToArray()
                    : writer.Refusal(options.Uuid, options.NodeId, "fire", confirmation.FireId, confirmation.Message ?? "failed", confirmation.Account,
                        confirmation.TimestampMs).ToArray()];
            case CloseTicketCommand close:
                return [broker.Close(close, now) switch
                {
                    CloseConfirmation closed => Write(writer, closed, now),
                    var refused => writer.Refusal(options.Uuid, options.NodeId, "close_ticket", close.FireId,
                        (refused as FireConfirmation)?.Message ?? "not closed", Account, now).ToArray(),
                }];
            case CloseAllCommand:
                var all = broker.CloseAll();
                if (all.Count == 0)
                {
                    logger.LogInformation("Paper EA {Uuid}: close_all with no open position", options.Uuid);
                }

                return [.. all.Select(c => Write(writer, c, now))];
            default:
                return [];
        }
    }

    private byte[] Write(EaMessageWriter writer, CloseConfirmation close, long nowMs) =>
        writer.CloseConfirmation(options.Uuid, options.NodeId, close.FireId, close.Ticket, close.ClosePrice, close.Profit, close.Message ?? "",
            close.Account, nowMs).ToArray();

    /// <summary>What can be read of a refused command, so the refusal names its fire and another EA's command stays ignored.</summary>
    private static (string? Type, string? FireId, string? Target) Peek(byte[] frame)
    {
        try
        {
            using var json = JsonDocument.Parse(frame.AsMemory().TrimEnd((byte)0));
            var root = json.RootElement;
            return (Text(root, "type"), Text(root, "fire_id"), Text(root, "target_uuid"));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            return (null, null, null);
        }

        static string? Text(JsonElement root, string name) =>
            root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
    }

    /// <summary>
    /// Sends, waiting in short steps so a stop is noticed: a server that went away (its queue full) must not hang the
    /// EA; a real terminal keeps running too.
    /// </summary>
    internal static void Send(ZmqSocket socket, ReadOnlySpan<byte> frame, CancellationToken cancel)
    {
        while (!socket.TrySend(frame) && !cancel.IsCancellationRequested)
        {
        }
    }

    internal static bool Wait(TimeProvider clock, TimeSpan delay, CancellationToken cancel)
    {
        try
        {
            Task.Delay(delay, clock, cancel).Wait(CancellationToken.None);
            return true;
        }
        catch (AggregateException e) when (e.InnerException is TaskCanceledException)
        {
            return false;
        }
    }
}

/// <summary>The EA's side of CURVE when the server requires it: one key pair of its own for all its sockets.</summary>
internal sealed class CurveClient(string? serverKey, int pingSeconds, int pingTimeoutSeconds)
{
    private (string PublicKey, string SecretKey)? _keys;

    /// <summary>
    /// CURVE with the server's key when one is given; always ZMTP heartbeats and a connect that gives up after the ping
    /// timeout, so a pulled cable is noticed and redialled as the MT5 EA does (docs/ea.md).
    /// </summary>
    public void Secure(ZmqSocket socket)
    {
        if (!string.IsNullOrEmpty(serverKey))
        {
            var (publicKey, secretKey) = _keys ??= ZmqCurve.GenerateKeyPair();
            socket.SetCurveClient(serverKey, publicKey, secretKey);
        }

        socket.Heartbeat(TimeSpan.FromSeconds(pingSeconds), TimeSpan.FromSeconds(pingTimeoutSeconds));
    }
}
