namespace Bitten.Gateway.Execution;

/// <summary>What the EA gateway saw and did; written by its threads, read anywhere as a monitoring snapshot.</summary>
public sealed class EaGatewayStats
{
    private long _checkIns;
    private long _fills;
    private long _closes;
    private long _pongs;
    private long _rejected;
    private long _impostors;
    private long _unknownEas;
    private long _paired;
    private long _sent;
    private long _undeliverable;
    private long _firesStored;
    private long _journalFaults;
    private long _lockRefusals;

    public long CheckIns => Interlocked.Read(ref _checkIns);

    public long Fills => Interlocked.Read(ref _fills);

    public long Closes => Interlocked.Read(ref _closes);

    public long Pongs => Interlocked.Read(ref _pongs);

    /// <summary>Frames that were not a valid EA message of the port they came in on.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Messages claiming a UUID other than the connection's identity: refused and alerted.</summary>
    public long Impostors => Interlocked.Read(ref _impostors);

    /// <summary>Check-ins from a UUID no user owns (and no valid pairing code).</summary>
    public long UnknownEas => Interlocked.Read(ref _unknownEas);

    public long Paired => Interlocked.Read(ref _paired);

    /// <summary>Commands handed to an EA's connection.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Commands for an EA that is not connected: its fires stay unconfirmed and are resent when it says HELLO.</summary>
    public long Undeliverable => Interlocked.Read(ref _undeliverable);

    public long FiresStored => Interlocked.Read(ref _firesStored);

    public long JournalFaults => Interlocked.Read(ref _journalFaults);

    /// <summary>New fires the store's one-time fire lock refused (their mission held by another fire): never sent.</summary>
    public long LockRefusals => Interlocked.Read(ref _lockRefusals);

    internal void CheckIn() => Interlocked.Increment(ref _checkIns);

    internal void Fill() => Interlocked.Increment(ref _fills);

    internal void Close() => Interlocked.Increment(ref _closes);

    internal void Pong() => Interlocked.Increment(ref _pongs);

    internal void Reject() => Interlocked.Increment(ref _rejected);

    internal void Impostor() => Interlocked.Increment(ref _impostors);

    internal void UnknownEa() => Interlocked.Increment(ref _unknownEas);

    internal void Pair() => Interlocked.Increment(ref _paired);

    internal void Send() => Interlocked.Increment(ref _sent);

    internal void NotDelivered() => Interlocked.Increment(ref _undeliverable);

    internal void Stored(int count) => Interlocked.Add(ref _firesStored, count);

    internal void JournalFault() => Interlocked.Increment(ref _journalFaults);

    internal void LockRefused(int count) => Interlocked.Add(ref _lockRefusals, count);
}
