using System.Text.Json;
using Bitten.Domain.Users;

namespace Bitten.Web.Api;

/// <summary>
/// The fire-mode fields of a request body — <c>mode</c>, <c>min_confidence</c>, <c>max_confidence</c>, <c>max_slots</c>,
/// <c>risk_percent</c>, any subset — read over a user's current settings: one reading for the user's own
/// PUT /api/fire-mode and the admin's PUT /api/users/{telegram_id}.
/// </summary>
internal static class SettingsBody
{
    /// <summary>
    /// The mode (null: not named) and auto-fire settings (null: none of their fields named) the body asks for, or a
    /// sentence saying what is wrong with them.
    /// </summary>
    public static string? Read(JsonElement body, User current, out FireMode? mode, out AutoFireSettings? auto)
    {
        mode = null;
        auto = null;
        if (body.TryGetProperty("mode", out var m))
        {
            if (m.ValueKind != JsonValueKind.String || !Tiers.TryParseMode(m.GetString(), out var parsed))
            {
                return "'mode' must be MANUAL or AUTO";
            }

            mode = parsed;
        }

        var settings = current.Auto;
        var changed = false;
        try
        {
            if (body.TryGetProperty("min_confidence", out var min))
            {
                settings = settings with { MinConfidence = Number(min, "min_confidence") };
                changed = true;
            }

            if (body.TryGetProperty("max_confidence", out var max))
            {
                settings = settings with { MaxConfidence = Number(max, "max_confidence") };
                changed = true;
            }

            if (body.TryGetProperty("max_slots", out var slots))
            {
                settings = settings with { MaxSlots = slots.ValueKind == JsonValueKind.Number && slots.TryGetInt32(out var n) ? n : throw new FormatException("'max_slots' must be an integer") };
                changed = true;
            }

            if (body.TryGetProperty("risk_percent", out var risk))
            {
                settings = settings with { RiskPercent = risk.ValueKind == JsonValueKind.Number && risk.TryGetDecimal(out var r) ? r : throw new FormatException("'risk_percent' must be a number") };
                changed = true;
            }
        }
        catch (FormatException e)
        {
            return e.Message;
        }

        if (changed && settings.Problem() is { } problem)
        {
            return problem;
        }

        auto = changed ? settings : null;
        return null;
    }

    /// <summary>A finite JSON number, or a <see cref="FormatException"/> naming the field.</summary>
    public static double Number(JsonElement value, string name) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d) && double.IsFinite(d) ? d : throw new FormatException($"'{name}' must be a number");
}
