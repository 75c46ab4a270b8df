using System.Globalization;

namespace Bitten.Domain.Users;

/// <summary>Why a press pass was not granted.</summary>
public enum PressPassRefusal
{
    /// <summary>No user with that Telegram id (they have not sent /start).</summary>
    UnknownUser,

    /// <summary>The user had a press pass before: one per person, ever.</summary>
    AlreadyUsed,

    /// <summary>The user's tier is above RECRUIT: they trade already.</summary>
    AlreadySubscribed,

    /// <summary>Today's passes (UTC) are all given out.</summary>
    DailyCapReached,
}

/// <summary>The answer to a press-pass claim: the user as now stored (PRESS_PASS, with its simulated EA) or why not.</summary>
public sealed record PressPassGrant(User? User, PressPassRefusal? Refusal)
{
    public bool Granted => Refusal is null;

    public static PressPassGrant Grant(User user) => new(user, null);

    public static PressPassGrant Refuse(PressPassRefusal refusal, User? user = null) => new(user, refusal);
}

/// <summary>The press pass's rules, apart from where the facts come from.</summary>
public static class PressPassRules
{
    /// <summary>Why <paramref name="user"/> may not have a pass now, or null when they may.</summary>
    /// <param name="usedBefore">Whether the user was ever granted a pass.</param>
    /// <param name="grantedToday">Passes granted so far on the UTC day of the claim.</param>
    public static PressPassRefusal? Refusal(User? user, bool usedBefore, int grantedToday, int perDay) =>
        user is null ? PressPassRefusal.UnknownUser
        : usedBefore || user.PressPassExpiresMs is not null ? PressPassRefusal.AlreadyUsed
        : user.Tier.Rank() > Tier.Recruit.Rank() ? PressPassRefusal.AlreadySubscribed
        : grantedToday >= perDay ? PressPassRefusal.DailyCapReached
        : null;

    /// <summary>The UTC day the daily cap counts in, as yyyy-MM-dd.</summary>
    public static string Day(long timeMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(timeMs).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The pass has run its length: from its expiry on, the user is a RECRUIT again.</summary>
    public static bool HasEnded(User user, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Tier == Tier.PressPass && user.PressPassExpiresMs is { } expires && nowMs >= expires;
    }

    /// <summary>The pass is still running and ends within <paramref name="before"/>: time for its one reminder.</summary>
    public static bool WantsReminder(User user, long nowMs, TimeSpan before)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Tier == Tier.PressPass && user.PressPassExpiresMs is { } expires && nowMs < expires
            && nowMs >= expires - (long)before.TotalMilliseconds;
    }

    /// <summary>What a trader reads for each refusal.</summary>
    public static string Explain(this PressPassRefusal refusal) => refusal switch
    {
        PressPassRefusal.UnknownUser => "Send /start first: the press pass is for registered users.",
        PressPassRefusal.AlreadyUsed => "You have had your press pass: it is one per person.",
        PressPassRefusal.AlreadySubscribed => "Your subscription already trades: the press pass is a trial for recruits.",
        PressPassRefusal.DailyCapReached => "Today's press passes are all given out: try again tomorrow (passes reset at 00:00 UTC).",
        _ => throw new ArgumentOutOfRangeException(nameof(refusal), refusal, "not a refusal"),
    };

    /// <summary>The refusal as a code (logs, JSON): unknown_user, already_used, already_subscribed, daily_cap_reached.</summary>
    public static string Code(this PressPassRefusal refusal) => refusal switch
    {
        PressPassRefusal.UnknownUser => "unknown_user",
        PressPassRefusal.AlreadyUsed => "already_used",
        PressPassRefusal.AlreadySubscribed => "already_subscribed",
        PressPassRefusal.DailyCapReached => "daily_cap_reached",
        _ => throw new ArgumentOutOfRangeException(nameof(refusal), refusal, "not a refusal"),
    };
}
