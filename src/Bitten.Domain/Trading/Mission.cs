using Bitten.Domain.Signals;

namespace Bitten.Domain.Trading;

/// <summary>PENDING → FIRED → FILLED / FAILED → CLOSED, or PENDING → EXPIRED.</summary>
public enum MissionStatus
{
    Pending,
    Fired,
    Filled,
    Failed,
    Closed,
    Expired,
}

/// <summary>
/// One user's copy of a signal. <see cref="FireId"/> is set when it is fired and is unique per user and mission
/// (never the signal id, which the original reused for every user). <see cref="CloseReason"/> says how its position
/// closed; <see cref="LastRefusal"/> is the last reason a fire of it was refused (by a decision or by the EA).
/// </summary>
public sealed record Mission(
    string MissionId,
    long UserId,
    Signal Signal,
    long CreatedAtMs,
    long ExpiresAtMs,
    MissionStatus Status,
    string? FireId,
    PositionCloseReason? CloseReason = null,
    MissionRefusal? LastRefusal = null)
{
    public bool IsExpiredAt(long nowMs) => nowMs >= ExpiresAtMs;
}

/// <summary>Why a fire of a mission was refused, in the words the user sees.</summary>
public sealed record MissionRefusal(FireRefusal Refusal, string Message);

public static class MissionStatuses
{
    public static string WireName(this MissionStatus status) => status switch
    {
        MissionStatus.Pending => "PENDING",
        MissionStatus.Fired => "FIRED",
        MissionStatus.Filled => "FILLED",
        MissionStatus.Failed => "FAILED",
        MissionStatus.Closed => "CLOSED",
        MissionStatus.Expired => "EXPIRED",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "not a mission status"),
    };

    /// <summary>mission_id: the signal id and the user, so one user never gets two missions for one signal.</summary>
    public static string MissionId(string signalId, long userId) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{signalId}_U{userId}");

    /// <summary>fire_id: unique per user and mission, short enough for an MT5 order comment (31 characters).</summary>
    public static string FireId(long userId, long sequence) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"F{userId}-{sequence}");
}
