using System.Data.Common;
using System.Globalization;

namespace Bitten.Persistence;

/// <summary>The engine holding a store, as its lease row says.</summary>
public sealed record LeaseHolder(string Holder, string Host, int Pid, long AcquiredMs, long HeartbeatMs)
{
    /// <summary>"engine 3f2a… on host-b (pid 4121), last heartbeat 3.2 s ago".</summary>
    public string Describe(long nowMs) => string.Create(CultureInfo.InvariantCulture,
        $"engine {Holder[..Math.Min(8, Holder.Length)]} on {Host} (pid {Pid}), last heartbeat {Math.Max(0, nowMs - HeartbeatMs) / 1000.0:0.0} s ago");
}

/// <summary>What a starting engine does about the lease it found.</summary>
public enum LeaseDecision
{
    /// <summary>No engine holds the store.</summary>
    Claim,

    /// <summary>The holder's heartbeat is older than the lease's lifetime: it is gone (or cut off), take the store.</summary>
    TakeOverExpired,

    /// <summary>The holder ran on this host and its process is gone: a crash-only restart takes over at once.</summary>
    TakeOverDeadProcess,

    /// <summary>A live engine holds the store: refuse to start.</summary>
    Refuse,
}

/// <summary>
/// One engine per store (a kernel thread owns trading state; two would fire twice). The engine holds the row
/// <c>engine_lease</c> and renews it every <see cref="RenewEvery"/>; a start finding a fresh heartbeat from another
/// engine refuses, naming it. The decision is <see cref="Decide"/>, a pure function; the claim is one conditional
/// statement, so of two engines starting together exactly one wins.
/// </summary>
public sealed class EngineLease
{
    /// <summary>How often the holder renews its heartbeat.</summary>
    public static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(5);

    /// <summary>How old a heartbeat may be before its engine is taken for gone: three renewals missed.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(15);

    private const string Name = "engine";

    private readonly IDatabase _database;
    private readonly TimeProvider _time;

    public EngineLease(IDatabase database, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(time);
        _database = database;
        _time = time;
    }

    /// <summary>What a start on <paramref name="host"/> does about <paramref name="current"/>, at <paramref name="nowMs"/>.</summary>
    /// <param name="processAlive">Whether a process with this pid runs on this host (asked only for a holder on this host).</param>
    public static LeaseDecision Decide(LeaseHolder? current, string host, long nowMs, TimeSpan lifetime, Func<int, bool> processAlive)
    {
        ArgumentNullException.ThrowIfNull(processAlive);
        if (current is null)
        {
            return LeaseDecision.Claim;
        }

        if (nowMs - current.HeartbeatMs > (long)lifetime.TotalMilliseconds)
        {
            return LeaseDecision.TakeOverExpired;
        }

        return string.Equals(current.Host, host, StringComparison.OrdinalIgnoreCase) && !processAlive(current.Pid)
            ? LeaseDecision.TakeOverDeadProcess
            : LeaseDecision.Refuse;
    }

    /// <summary>Whether a process with this id runs on this machine.</summary>
    public static bool ProcessAlive(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>The lease row, or null when no engine holds the store.</summary>
    public LeaseHolder? Current()
    {
        using var connection = _database.OpenConnection();
        return Read(connection);
    }

    /// <summary>
    /// Claims the store for <paramref name="holder"/> (a new id per start), or says who holds it. Of two claims racing for
    /// the same row, the conditional insert or update lets one through; the other reads the winner and refuses.
    /// </summary>
    public (LeaseDecision Decision, LeaseHolder? Previous) TryClaim(string holder, string host, int pid, Func<int, bool> processAlive)
    {
        ArgumentException.ThrowIfNullOrEmpty(holder);
        ArgumentException.ThrowIfNullOrEmpty(host);
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        using var connection = _database.OpenConnection();
        var current = Read(connection);
        var decision = Decide(current, host, now, Lifetime, processAlive);
        if (decision == LeaseDecision.Refuse)
        {
            return (decision, current);
        }

        using var command = connection.CreateCommand();
        command.CommandText = current is null
            ? """
              INSERT INTO engine_lease (name, holder, host, pid, acquired_ms, heartbeat_ms)
              VALUES (@name, @holder, @host, @pid, @now, @now) ON CONFLICT (name) DO NOTHING
              """
            : """
              UPDATE engine_lease SET holder = @holder, host = @host, pid = @pid, acquired_ms = @now, heartbeat_ms = @now
              WHERE name = @name AND holder = @previous AND heartbeat_ms = @seen
              """;
        command.Add("@name", Name);
        command.Add("@holder", holder);
        command.Add("@host", host);
        command.Add("@pid", pid);
        command.Add("@now", now);
        if (current is not null)
        {
            command.Add("@previous", current.Holder);
            command.Add("@seen", current.HeartbeatMs);
        }

        if (command.ExecuteNonQuery() == 1)
        {
            return (decision, current);
        }

        // Another engine claimed or renewed between our read and our write: it is alive, by its own word just now.
        return (LeaseDecision.Refuse, Read(connection));
    }

    /// <summary>Renews the heartbeat; false when <paramref name="holder"/> no longer holds the store (taken over while it was silent).</summary>
    public bool Renew(string holder)
    {
        using var connection = _database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE engine_lease SET heartbeat_ms = @now WHERE name = @name AND holder = @holder";
        command.Add("@now", _time.GetUtcNow().ToUnixTimeMilliseconds());
        command.Add("@name", Name);
        command.Add("@holder", holder);
        return command.ExecuteNonQuery() == 1;
    }

    /// <summary>Gives the store up on a clean stop (a no-op when another engine has taken it).</summary>
    public void Release(string holder)
    {
        using var connection = _database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM engine_lease WHERE name = @name AND holder = @holder";
        command.Add("@name", Name);
        command.Add("@holder", holder);
        command.ExecuteNonQuery();
    }

    private static LeaseHolder? Read(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT holder, host, pid, acquired_ms, heartbeat_ms FROM engine_lease WHERE name = @name";
        command.Add("@name", Name);
        using var reader = command.ExecuteReader();
        return reader.Read()
            ? new LeaseHolder(reader.GetString(0), reader.GetString(1), Convert.ToInt32(reader.GetValue(2), CultureInfo.InvariantCulture),
                Convert.ToInt64(reader.GetValue(3), CultureInfo.InvariantCulture), Convert.ToInt64(reader.GetValue(4), CultureInfo.InvariantCulture))
            : null;
    }
}
