using Bitten.Domain.Signals;

namespace Bitten.Domain.Users;

/// <summary>
/// Subscription tiers of PRODUCT.md §5. The ordinals are persisted (checkpoints), so a new tier goes at the end and the
/// order of the declarations says nothing: <see cref="Tiers.Rank"/> ranks them, RECRUIT lowest.
/// </summary>
public enum Tier
{
    PressPass,
    Nibbler,
    Fang,
    Commander,

    /// <summary>Registered through the bot without a subscription: group alerts only, no missions, no fires.</summary>
    Recruit,
}

public enum Role
{
    User,
    Admin,
}

/// <summary>MANUAL: the user fires each mission. AUTO: signals inside the band fire themselves while slots are free.</summary>
public enum FireMode
{
    Manual,
    Auto,
}

/// <summary>
/// A user's auto-fire settings: the confidence band [<see cref="MinConfidence"/>, <see cref="MaxConfidence"/>], the
/// most positions auto-fire may hold at once, and the risk per trade in per cent of balance (0.1–5).
/// </summary>
public sealed record AutoFireSettings(double MinConfidence, double MaxConfidence, int MaxSlots, decimal RiskPercent)
{
    public static readonly AutoFireSettings Default = new(80, 89, 10, 5m);

    public const decimal MinRiskPercent = 0.1m;
    public const decimal MaxRiskPercent = 5m;

    public bool Contains(double confidence) => confidence >= MinConfidence && confidence <= MaxConfidence;

    /// <summary>Why these settings are invalid, or null when they are fine.</summary>
    public string? Problem() =>
        !(MinConfidence is >= 0 and <= 100) || !(MaxConfidence is >= 0 and <= 100) || MinConfidence > MaxConfidence
            ? "the band must be two confidences within 0-100, low first"
        : MaxSlots is < 1 or > 100 ? "slots must be 1-100"
        : RiskPercent is < MinRiskPercent or > MaxRiskPercent ? "risk must be 0.1-5 per cent"
        : null;
}

/// <summary>
/// A BITTEN user. <see cref="EaUuid"/> is the UUID of the user's own EA (null until paired): fires for this user go
/// to that EA and no other — the original sent users without an EA to the commander's terminal.
/// <see cref="PressPassExpiresMs"/> is when the user's press pass ends or ended (null: never had one);
/// <see cref="MissionAlerts"/> opts in to private mission alerts; <see cref="OnLeaderboard"/> shows the user on it.
/// </summary>
public sealed record User(
    long UserId,
    long TelegramId,
    Tier Tier,
    Role Role,
    FireMode Mode,
    AutoFireSettings Auto,
    string? EaUuid,
    long CreatedAtMs,
    long? PressPassExpiresMs = null,
    bool MissionAlerts = false,
    bool OnLeaderboard = true)
{
    public bool IsAdmin => Role == Role.Admin;
}

/// <summary>What each tier may do: one table.</summary>
public static class Tiers
{
    public static string WireName(this Tier tier) => tier switch
    {
        Tier.PressPass => "PRESS_PASS",
        Tier.Nibbler => "NIBBLER",
        Tier.Fang => "FANG",
        Tier.Commander => "COMMANDER",
        Tier.Recruit => "RECRUIT",
        _ => throw new ArgumentOutOfRangeException(nameof(tier), tier, "not a tier"),
    };

    public static bool TryParse(string? text, out Tier tier)
    {
        foreach (var candidate in Enum.GetValues<Tier>())
        {
            if (string.Equals(text, candidate.WireName(), StringComparison.OrdinalIgnoreCase))
            {
                tier = candidate;
                return true;
            }
        }

        tier = default;
        return false;
    }

    /// <summary>Lowest first: RECRUIT 0, PRESS_PASS 1, NIBBLER 2, FANG 3, COMMANDER 4 — compare tiers by this, never by ordinal.</summary>
    public static int Rank(this Tier tier) => tier switch
    {
        Tier.Recruit => 0,
        Tier.PressPass => 1,
        Tier.Nibbler => 2,
        Tier.Fang => 3,
        Tier.Commander => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(tier), tier, "not a tier"),
    };

    /// <summary>
    /// RECRUIT gets no mission of any class (group alerts only); PRESS_PASS and NIBBLER get RAPID signals only; FANG and
    /// COMMANDER get everything.
    /// </summary>
    public static bool Allows(this Tier tier, SignalClass signalClass) =>
        tier != Tier.Recruit && (signalClass == SignalClass.Rapid || tier is Tier.Fang or Tier.Commander);

    /// <summary>Positions a user may hold at once: NIBBLER 1, FANG 2, COMMANDER 10; the press pass trial 1; RECRUIT none.</summary>
    public static int Slots(this Tier tier) => tier switch
    {
        Tier.Recruit => 0,
        Tier.PressPass or Tier.Nibbler => 1,
        Tier.Fang => 2,
        Tier.Commander => 10,
        _ => throw new ArgumentOutOfRangeException(nameof(tier), tier, "not a tier"),
    };

    /// <summary>COMMANDER may use AUTO mode, and PRESS_PASS: the trial shows auto-fire on its simulated account.</summary>
    public static bool AllowsAutoFire(this Tier tier) => tier is Tier.Commander or Tier.PressPass;

    /// <summary>Why AUTO mode is refused for <paramref name="tier"/>: one wording for the store, the API and the CLI.</summary>
    public static string AutoFireRefusal(this Tier tier) => $"AUTO mode is for COMMANDER and PRESS_PASS only, not {tier.WireName()}";

    /// <summary>
    /// Daily loss limit in per cent of the day's starting balance: NIBBLER 6, FANG 8.5, COMMANDER 10 (press pass and
    /// RECRUIT as NIBBLER).
    /// </summary>
    public static decimal DailyLossLimitPercent(this Tier tier) => tier switch
    {
        Tier.Recruit or Tier.PressPass or Tier.Nibbler => 6m,
        Tier.Fang => 8.5m,
        Tier.Commander => 10m,
        _ => throw new ArgumentOutOfRangeException(nameof(tier), tier, "not a tier"),
    };

    public static string WireName(this Role role) => role == Role.Admin ? "ADMIN" : "USER";

    public static string WireName(this FireMode mode) => mode == FireMode.Auto ? "AUTO" : "MANUAL";

    public static bool TryParseMode(string? text, out FireMode mode)
    {
        mode = string.Equals(text, "AUTO", StringComparison.OrdinalIgnoreCase) ? FireMode.Auto : FireMode.Manual;
        return string.Equals(text, "AUTO", StringComparison.OrdinalIgnoreCase) || string.Equals(text, "MANUAL", StringComparison.OrdinalIgnoreCase);
    }
}
