using Bitten.Domain.Events;
using System.Text.Json;
using Bitten.Domain.Signals;
using Bitten.Engine.Tracking;
using Bitten.Persistence.Events;

namespace Bitten.Host.Execution;

/// <summary>
/// What admins said about patterns lives in the event log as user_action events; a start replays them, so a pattern an
/// admin kept on stays on after a restart, one switched off stays off, and one handed back stays under the rule.
/// </summary>
public static class PatternOverrides
{
    public const string KeepOn = AdminActions.PatternKeepOn;

    public const string Release = AdminActions.PatternRelease;

    /// <summary>Each pattern's last override, in the order the events were stored.</summary>
    public static IReadOnlyDictionary<PatternType, PatternOverride> Replay(IEnumerable<StoredEvent> userActions)
    {
        ArgumentNullException.ThrowIfNull(userActions);
        var last = new Dictionary<PatternType, PatternOverride>();
        foreach (var e in userActions)
        {
            using var document = JsonDocument.Parse(e.DataJson);
            var data = document.RootElement;
            if (data.ValueKind == JsonValueKind.Object
                && data.TryGetProperty(EventFields.Action, out var action) && action.ValueKind == JsonValueKind.String
                && OverrideOf(action.GetString()) is { } choice
                && PatternOf(data) is { } pattern)
            {
                last[pattern] = choice;
            }
        }

        return last;
    }

    private static PatternOverride? OverrideOf(string? action) => action switch
    {
        AdminActions.PatternKeepOn or AdminActions.PatternEnable => PatternOverride.KeepOn,
        AdminActions.PatternRelease => PatternOverride.None,
        AdminActions.PatternDisable => PatternOverride.ForceOff,
        _ => null,
    };

    // Overrides stored before admin actions had a target named the pattern in "pattern".
    private static PatternType? PatternOf(JsonElement data) =>
        (data.TryGetProperty(EventFields.Target, out var name) || data.TryGetProperty(EventFields.Pattern, out name))
        && name.ValueKind == JsonValueKind.String && PatternTypes.TryParse(name.GetString() ?? "", out var pattern)
            ? pattern
            : null;
}
