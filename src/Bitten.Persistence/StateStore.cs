using System.Data.Common;

namespace Bitten.Persistence;

/// <summary>
/// The kernel's checkpoint: one row holding its live state as JSON, replaced whole in one statement, so a crash
/// leaves either the previous checkpoint or the new one — never half of each.
/// </summary>
public sealed class StateStore(IDatabase database)
{
    /// <summary>Saves inside a transaction the caller owns (the event log's writer: the checkpoint commits after every event before it).</summary>
    public static void Save(long takenAtMs, long version, string stateJson, DbConnection connection, DbTransaction? transaction)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateJson);
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO kernel_state (id, taken_at_ms, version, state_json) VALUES (1, @taken, @version, @state)
            ON CONFLICT (id) DO UPDATE SET taken_at_ms = excluded.taken_at_ms, version = excluded.version, state_json = excluded.state_json
            """;
        command.Add("@taken", takenAtMs);
        command.Add("@version", version);
        command.Add("@state", stateJson);
        command.ExecuteNonQuery();
    }

    /// <summary>The last checkpoint, or null on a first start.</summary>
    public (long TakenAtMs, string StateJson)? Load()
    {
        using var connection = database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT taken_at_ms, state_json FROM kernel_state WHERE id = 1";
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetInt64(0), reader.GetString(1)) : null;
    }
}
