using Bitten.Domain.Signals;

namespace Bitten.Domain.Users;

/// <summary>Subscription tiers of PRODUCT.md §5, lowest first.</summary>
public enum Tier
{
    PressPass,
    Nibbler,
    Fang,
    Commander,
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
/// </summary>
public sealed record User(
    long UserId,
    long TelegramId,
    Tier Tier,
    Role Role,
    FireMode Mode,
    AutoFireSettings Auto,
    string? EaUuid,
    long CreatedAtMs)
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

    /// <summary>PRESS_PASS and NIBBLER get RAPID signals only; FANG and COMMANDER get everything.</summary>
    public static bool Allows(this Tier tier, SignalClass signalClass) =>
        signalClass == SignalClass.Rapid || tier is Tier.Fang or Tier.Commander;

    /// <summary>Positions a user may hold at once: NIBBLER 1, FANG 2, COMMANDER 10; the press pass trial 1.</summary>
    public static int Slots(this Tier tier) => tier switch
    {
        Tier.PressPass or Tier.Nibbler => 1,
        Tier.Fang => 2,
        Tier.Commander => 10,
        _ => throw new ArgumentOutOfRangeException(nameof(tier), tier, "not a tier"),
    };

    /// <summary>Only COMMANDER may use AUTO mode.</summary>
    public static bool AllowsAutoFire(this Tier tier) => tier == Tier.Commander;

    /// <summary>Daily loss limit in per cent of the day's starting balance: NIBBLER 6, FANG 8.5, COMMANDER 10 (press pass as NIBBLER).</summary>
    public static decimal DailyLossLimitPercent(this Tier tier) => tier switch
    {
        Tier.PressPass or Tier.Nibbler => 6m,
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
