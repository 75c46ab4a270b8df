using System.Globalization;
using System.Text.Json;
using Bitten.Domain.Events;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Domain.Trading;
using Bitten.Persistence.Events;
using Bitten.Wire.Events;

namespace Bitten.Host.Execution;

/// <summary>
/// The events progression is computed from, read back from the event log in the order they were stored: signals (for
/// their pattern), fires sent, fills, closes, risk blocks, emergency stops and the awards already given. Each comes
/// back as the typed event the kernel recorded, with what the stored row keeps (fields the book never reads default).
/// A row that cannot be read is skipped, never fatal.
/// </summary>
public static class ProgressionLog
{
    private static readonly string[] Types =
        [EventTypes.SignalGenerated, EventTypes.FireCommand, EventTypes.TradeExecuted, EventTypes.PositionClosed, EventTypes.RiskBlocked, EventTypes.UserAction];

    public static IReadOnlyList<TradingEvent> Read(EventReader reader, SymbolRegistry symbols)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var events = new List<TradingEvent>();
        foreach (var stored in reader.Read(Types))
        {
            try
            {
                if (EventOf(stored, symbols) is { } e)
                {
                    events.Add(e);
                }
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
            {
                // Accepted by the validator once, unreadable here: the book goes on without it.
            }
        }

        return events;
    }

    private static TradingEvent? EventOf(StoredEvent stored, SymbolRegistry symbols)
    {
        if (stored.EventType == EventTypes.UserAction)
        {
            return (TradingEvent?)ProgressionJson.Read(stored.TimestampMs, stored.DataJson) ?? EmergencyStopOf(stored);
        }

        using var document = JsonDocument.Parse(stored.DataJson);
        var d = document.RootElement;
        var t = stored.TimestampMs;
        var user = Id(Text(d, EventFields.UserId) ?? stored.UserId);
        var symbol = Text(d, EventFields.Symbol) ?? "";
        Directions.TryParse(Text(d, EventFields.Direction), out var direction);
        return stored.EventType switch
        {
            EventTypes.SignalGenerated when SignalHistory.SignalOf(d, t, symbols) is { } signal => new SignalRaised(signal),
            EventTypes.FireCommand when user is { } u && Text(d, EventFields.FireId) is { } fire && Text(d, EventFields.SignalId) is { } signal =>
                new FireSent(t, u, fire, Text(d, EventFields.MissionId) ?? "", signal, "", symbol, direction, Decimal(d, EventFields.LotSize),
                    Number(d, EventFields.SlPrice), Number(d, EventFields.TpPrice),
                    Text(d, EventFields.ExecutionMode) == "AUTO" ? FireSource.Auto : FireSource.Manual, 1),
            // An adopted position is stored as trade_executed too, without a mission: it was never our fill.
            EventTypes.TradeExecuted when user is { } u && Text(d, EventFields.FireId) is { } fire && Text(d, EventFields.MissionId) is { } mission =>
                new FireFilled(t, u, fire, mission, symbol, direction, Decimal(d, EventFields.Volume), Whole(d, EventFields.Ticket),
                    Number(d, EventFields.OpenPrice), Number(d, EventFields.SlPrice), Number(d, EventFields.TpPrice), FillEvidence.Confirmation),
            EventTypes.PositionClosed when user is { } u && Text(d, EventFields.FireId) is { } fire && Parse<PositionCloseReason>(Text(d, EventFields.Reason), r => r.WireName()) is { } reason =>
                new PositionClosed(t, u, Text(d, EventFields.MissionId), fire, Whole(d, EventFields.Ticket), symbol, direction, 0, reason, null, null),
            EventTypes.RiskBlocked when user is { } u && Parse<FireRefusal>(Text(d, EventFields.Reason), r => r.Code()) is { } refusal =>
                new RiskBlocked(t, u, "", "", symbol, refusal, Text(d, EventFields.Message) ?? "", FireSource.Manual),
            _ => null,
        };
    }

    private static AdminActed? EmergencyStopOf(StoredEvent stored)
    {
        using var document = JsonDocument.Parse(stored.DataJson);
        var d = document.RootElement;
        return Text(d, EventFields.Action) == AdminActions.EmergencyStop && Text(d, EventFields.Value) is { } value
            ? new AdminActed(stored.TimestampMs, Id(Text(d, EventFields.UserId)) ?? 0, AdminActions.EmergencyStop, Text(d, EventFields.Target) ?? "", value,
                Text(d, EventFields.Previous))
            : null;
    }

    private static T? Parse<T>(string? wireName, Func<T, string> nameOf)
        where T : struct, Enum
    {
        foreach (var value in Enum.GetValues<T>())
        {
            if (nameOf(value) == wireName)
            {
                return value;
            }
        }

        return null;
    }

    private static long? Id(string? text) => long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    private static string? Text(JsonElement d, string name) => d.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static double Number(JsonElement d, string name) => d.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : 0;

    private static decimal Decimal(JsonElement d, string name) => d.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDecimal() : 0;

    private static long Whole(JsonElement d, string name) => d.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : 0;
}
