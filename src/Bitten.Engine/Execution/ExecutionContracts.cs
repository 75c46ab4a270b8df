using Bitten.Domain.Events;
using Bitten.Domain.Signals;
using Bitten.Domain.Trading;
using Bitten.Domain.Users;

namespace Bitten.Engine.Execution;

/// <summary>Execution settings (section <c>Execution</c>).</summary>
public sealed class ExecutionOptions
{
    public const string Section = "Execution";

    /// <summary>A fire the EA never confirms gives its slot back after this long (PRODUCT.md §5: 4 h).</summary>
    public int OrphanTimeoutMinutes { get; set; } = 240;

    /// <summary>
    /// A position missing from a heartbeat is only closed when it has been open at least this long: a heartbeat can
    /// overtake the fill confirmation (they travel on different sockets).
    /// </summary>
    public int HeartbeatGraceSeconds { get; set; } = 60;

    /// <summary>
    /// A fire still unconfirmed this long after it was sent goes again (same fire_id) with the EA's next heartbeat: the
    /// fire or its confirmation was lost with a dropped connection, which an EA that redials without a HELLO never
    /// says. The EA executes a fire_id once and answers a repeat with its first answer, so a resend is always safe.
    /// 0 resends only on HELLO.
    /// </summary>
    public int ResendAfterSeconds { get; set; } = 10;

    /// <summary>
    /// How long finished state stays in memory once it is stored (finished missions, ended fire ids, signal ids for
    /// duplicate detection), counted from when it finished or its window closed. The event log keeps it all.
    /// </summary>
    public int RetainFinishedHours { get; set; } = 24;

    /// <summary>Finished missions kept per user for the API (the most recent), within <see cref="RetainFinishedHours"/>.</summary>
    public int FinishedMissionsPerUser { get; set; } = 50;

    /// <summary>Ended fire ids remembered at most (to tell a repeated confirmation from an unknown one).</summary>
    public int EndedFiresRemembered { get; set; } = 100_000;

    /// <summary>News calendar CSV (time UTC, currency, impact, title); none by default.</summary>
    public string? NewsCalendar { get; set; }

    public IEnumerable<string> Validate()
    {
        if (OrphanTimeoutMinutes < 1)
        {
            yield return "Execution:OrphanTimeoutMinutes must be at least 1";
        }

        if (HeartbeatGraceSeconds < 0)
        {
            yield return "Execution:HeartbeatGraceSeconds must not be negative";
        }

        if (ResendAfterSeconds < 0)
        {
            yield return "Execution:ResendAfterSeconds must not be negative (0 resends only on HELLO)";
        }

        if (RetainFinishedHours < 1)
        {
            yield return "Execution:RetainFinishedHours must be at least 1";
        }

        if (FinishedMissionsPerUser < 0)
        {
            yield return "Execution:FinishedMissionsPerUser must not be negative";
        }

        if (EndedFiresRemembered < 1000)
        {
            yield return "Execution:EndedFiresRemembered must be at least 1000";
        }

        if (NewsCalendar is not null && !File.Exists(NewsCalendar))
        {
            yield return $"Execution:NewsCalendar: no file at {NewsCalendar}";
        }
    }
}

/// <summary>An order for one EA, in the kernel's terms; the gateway turns it into the wire command.</summary>
public abstract record EaOrder(string EaUuid);

/// <summary>
/// A market order for one user's mission. <see cref="Attempt"/> is 1 when new — the outbox must store it before it
/// sends it — and higher for a resend of the same <see cref="FireId"/> after the EA reconnected. <see cref="Source"/>
/// says whether the user fired it by hand or auto-fire did, and survives a restart with the fire.
/// </summary>
public sealed record FireOrder(
    string EaUuid,
    string FireId,
    long UserId,
    string MissionId,
    string SignalId,
    string Symbol,
    Direction Direction,
    decimal Lot,
    double StopLoss,
    double TakeProfit,
    long CreatedAtMs,
    int Attempt,
    FireSource Source = FireSource.Auto)
    : EaOrder(EaUuid);

public sealed record CloseTicketOrder(string EaUuid, string? FireId, long Ticket) : EaOrder(EaUuid);

public sealed record CloseAllOrder(string EaUuid) : EaOrder(EaUuid);

/// <summary>Where the kernel's orders leave it: the gateway's outbox (store new fires, then send), or a test's list.</summary>
public interface IExecutionOutbox
{
    void Send(EaOrder order);

    /// <summary>
    /// Orders that leave together: every fire a signal's auto-fire made, handed over in one piece so the outbox commits
    /// them in one transaction before it sends the first. By default, one at a time.
    /// </summary>
    void Send(IReadOnlyList<EaOrder> orders)
    {
        ArgumentNullException.ThrowIfNull(orders);
        foreach (var order in orders)
        {
            Send(order);
        }
    }

    /// <summary>A fire's final word from its EA (filled or failed), for the journal.</summary>
    void Completed(string fireId, bool filled, long? ticket, double? price, string? message);
}

/// <summary>
/// Sees every event of the desk, on the kernel thread, as the typed records of <see cref="Bitten.Domain.Events"/>:
/// the event recorder (event log and bus), the log, tests. An observer must not throw.
/// </summary>
public interface IExecutionObserver
{
    void OnEvent(TradingEvent e);
}

/// <summary>A user's account as the API shows it.</summary>
public sealed record AccountView(
    long UserId,
    string? EaUuid,
    bool EaAlive,
    long? EaLastSeenMs,
    decimal? Balance,
    decimal? Equity,
    decimal DayStartBalance,
    int SlotsUsed,
    int SlotLimit,
    int OpenPositions,
    EmergencyStop EmergencyStop);

/// <summary>A user as the desk trades for them, with their account: one row of the admin's overview.</summary>
public sealed record TraderView(User User, AccountView Account);

/// <summary>Result of a manual fire: null mission when the user has no such mission.</summary>
public sealed record FireResult(bool MissionFound, FireVerdict Verdict, string? FireId);

/// <summary>How much the desk holds in memory right now: bounded by what is live plus the retention windows.</summary>
public readonly record struct DeskFootprint(int Users, int Missions, int PendingExpiries, int SignalIds, int LiveFires, int EndedFireIds, int Positions);

/// <summary>Counters for the status line and /healthz.</summary>
public readonly record struct ExecutionCounts(
    int Users,
    int EasAlive,
    long Missions,
    long FiresSent,
    long Refused,
    long Filled,
    long Failed,
    long Closed,
    int OpenPositions,
    long Resent,
    long UnmatchedReports,
    long DuplicateReports,
    int SlotsUsed,
    int SlotsMax);

/// <summary>How the fire journal says a fire ended (read at start, to settle fires a stale checkpoint still has in flight).</summary>
public sealed record FireEnding(string FireId, bool Filled, long? Ticket, double? Price, string? Message);

/// <summary>The desk's live state, for a checkpoint (see <see cref="ExecutionDesk.Snapshot"/>).</summary>
public sealed record DeskSnapshot(long FireSequence, EmergencyStop EmergencyStop, IReadOnlyList<TraderSnapshot> Traders);

/// <summary>One user's live execution state.</summary>
public sealed record TraderSnapshot(
    long UserId,
    AccountSnapshot? Account,
    decimal DayStartBalance,
    long DayStartDay,
    decimal PeakEquity,
    IReadOnlyList<Mission> Missions,
    IReadOnlyList<FireOrder> InFlight,
    IReadOnlyList<FireOrder> Filled,
    IReadOnlyList<OpenPosition> Positions);
