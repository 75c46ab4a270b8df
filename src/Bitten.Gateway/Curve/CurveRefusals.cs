using System.Collections.Concurrent;

namespace Bitten.Gateway.Curve;

/// <summary>Why a CURVE handshake on one of our ports failed, from the monitor's protocol error.</summary>
public enum CurveRefusal
{
    /// <summary>The peer's box did not open: it connected with another server's public key.</summary>
    WrongServerKey,

    /// <summary>The peer did not speak CURVE at all (a plain client at a CURVE port).</summary>
    NoCurve,

    /// <summary>Any other handshake failure: a malformed greeting, a peer that is not ZeroMQ, or one that hung up mid-handshake
    /// (a CURVE-less client that read our greeting and closed before we read its own).</summary>
    Other,
}

/// <summary>
/// Failed handshakes per port and reason, counted by each component's <see cref="HandshakeMonitor"/> and shown in
/// /healthz and /metrics (<c>bitten_zmq_handshake_failures_total{port,reason}</c>): a refused EA is never silent.
/// </summary>
public sealed class CurveRefusals
{
    private readonly ConcurrentDictionary<(string Port, CurveRefusal Reason), long[]> _counts = new();

    /// <summary>Raised on the monitor's thread after each refusal is counted (so a watcher waits for it instead of polling).</summary>
    public event Action? Counted;

    public void Count(string port, CurveRefusal reason)
    {
        Interlocked.Increment(ref _counts.GetOrAdd((port, reason), static _ => new long[1])[0]);
        Counted?.Invoke();
    }

    public long Of(string port, CurveRefusal reason) => _counts.TryGetValue((port, reason), out var count) ? Volatile.Read(ref count[0]) : 0;

    public long Total => _counts.Values.Sum(static c => Volatile.Read(ref c[0]));

    /// <summary>Every count so far, ordered by port then reason.</summary>
    public IReadOnlyList<(string Port, CurveRefusal Reason, long Count)> Snapshot() =>
        [.. _counts.Select(static kv => (kv.Key.Port, kv.Key.Reason, Volatile.Read(ref kv.Value[0])))
            .OrderBy(static c => c.Port, StringComparer.Ordinal).ThenBy(static c => c.Reason)];

    /// <summary>The wire name of a reason: wrong_server_key, no_curve, other.</summary>
    public static string WireName(CurveRefusal reason) => reason switch
    {
        CurveRefusal.WrongServerKey => "wrong_server_key",
        CurveRefusal.NoCurve => "no_curve",
        _ => "other",
    };

    /// <summary>The reason for a failed handshake's monitor event and value.</summary>
    public static CurveRefusal Classify(Bitten.Zmq.ZmqMonitorEvent monitorEvent, uint value) =>
        monitorEvent == Bitten.Zmq.ZmqMonitorEvent.HandshakeFailedProtocol
            ? value switch
            {
                Bitten.Zmq.ZmqProtocolError.Cryptographic => CurveRefusal.WrongServerKey,
                Bitten.Zmq.ZmqProtocolError.MechanismMismatch => CurveRefusal.NoCurve,
                _ => CurveRefusal.Other,
            }
            : CurveRefusal.Other;
}
