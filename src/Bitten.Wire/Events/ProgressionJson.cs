using System.Globalization;
using System.Text.Json;
using Bitten.Domain.Events;

namespace Bitten.Wire.Events;

/// <summary>
/// Reads a stored award back: the user_action data <see cref="TradingEventJson"/> writes for <see cref="XpAwarded"/>
/// and <see cref="AchievementUnlocked"/>, so a start knows what was already given. Anything else (an admin's action,
/// a row it cannot read) is null, never an exception.
/// </summary>
public static class ProgressionJson
{
    public static TraderEvent? Read(long timeMs, string dataJson)
    {
        ArgumentNullException.ThrowIfNull(dataJson);
        try
        {
            using var document = JsonDocument.Parse(dataJson);
            var d = document.RootElement;
            if (d.ValueKind != JsonValueKind.Object || UserOf(d) is not { } user)
            {
                return null;
            }

            return Text(d, EventFields.Action) switch
            {
                ProgressionNames.XpAwardedAction when ProgressionNames.TryParseCause(Text(d, EventFields.Cause), out var cause)
                    && Text(d, EventFields.CauseKey) is { } key && Whole(d, EventFields.Xp) is { } xp =>
                    new XpAwarded(timeMs, user, cause, (int)xp, key, Whole(d, EventFields.TotalXp) ?? 0, (int)(Whole(d, EventFields.Level) ?? 1)),
                ProgressionNames.AchievementUnlockedAction when ProgressionNames.TryParseAchievement(Text(d, EventFields.Achievement), out var achievement)
                    && Text(d, EventFields.CauseKey) is { } key =>
                    new AchievementUnlocked(timeMs, user, achievement, key),
                _ => null,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static long? UserOf(JsonElement d) =>
        Text(d, EventFields.UserId) is { } text && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : Whole(d, EventFields.UserId);

    private static string? Text(JsonElement d, string name) => d.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long? Whole(JsonElement d, string name) =>
        d.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;
}
