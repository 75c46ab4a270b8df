using System.Data.Common;

namespace Bitten.Persistence.Events;

/// <summary>One stored event, as written: its type, time, compact JSON data and the envelope's user, when it named one.</summary>
public sealed record StoredEvent(long Id, string EventType, long TimestampMs, string DataJson, string? UserId = null);

/// <summary>Reads the event log back, oldest first: what a start rebuilds its history from.</summary>
public sealed class EventReader(IDatabase database)
{
    /// <summary>Every stored event of the given types, in the order they were committed.</summary>
    public IReadOnlyList<StoredEvent> Read(params string[] eventTypes)
    {
        ArgumentNullException.ThrowIfNull(eventTypes);
        var events = new List<StoredEvent>();
        if (eventTypes.Length == 0)
        {
            return events;
        }

        using var connection = database.OpenConnection();
        using var command = connection.CreateCommand();
        var names = new List<string>(eventTypes.Length);
        for (var i = 0; i < eventTypes.Length; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@t" + i;
            parameter.Value = eventTypes[i];
            command.Parameters.Add(parameter);
            names.Add(parameter.ParameterName);
        }

        // By code (the index by type and time), the names read from event_types (migration 0017).
        command.CommandText = $"""
            SELECT e.id, t.name, e.timestamp_ms, e.data_json, e.user_id
            FROM events e JOIN event_types t ON t.code = e.type_code
            WHERE t.name IN ({string.Join(", ", names)})
            ORDER BY e.id
            """;
        using DbDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            events.Add(new StoredEvent(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), EventData.Unpack(reader.GetString(3)),
                reader.IsDBNull(4) ? null : reader.GetString(4)));
        }

        return events;
    }
}
