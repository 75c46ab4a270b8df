using Bitten.Domain.Events;
using System.Text.Json;
using Bitten.Domain.Signals;
using Bitten.Persistence.Events;

namespace Bitten.Host.Execution;

/// <summary>
/// Admin overrides of the auto-disable rule live in the event log as user_action events; a start replays them, so a
/// pattern an admin kept on stays on after a restart (and one handed back stays under the rule).
/// </summary>
public static class PatternOverrides
{
    public const string KeepOn = Bitten.Wire.Events.TradingEventJson.PatternKeepOn;

    public const string Release = Bitten.Wire.Events.TradingEventJson.PatternRelease;

    /// <summary>Each pattern's last override, in the order the events were stored.</summary>
    public static IReadOnlyDictionary<PatternType, bool> Replay(IEnumerable<StoredEvent> userActions)
    {
        ArgumentNullException.ThrowIfNull(userActions);
        var last = new Dictionary<PatternType, bool>();
        foreach (var e in userActions)
        {
            using var document = JsonDocument.Parse(e.DataJson);
            var data = document.RootElement;
            if (data.ValueKind == JsonValueKind.Object
                && data.TryGetProperty(EventFields.Action, out var action) && action.GetString() is KeepOn or Release
                && data.TryGetProperty(EventFields.Pattern, out var name) && PatternTypes.TryParse(name.GetString() ?? "", out var pattern))
            {
                last[pattern] = action.GetString() == KeepOn;
            }
        }

        return last;
    }
}
