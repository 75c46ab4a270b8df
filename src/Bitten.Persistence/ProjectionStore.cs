namespace Bitten.Persistence;

/// <summary>A position the positions projection holds open.</summary>
public sealed record StoredPosition(string UserId, long Ticket, string? FireId, string Symbol, string Direction, double Volume, double OpenPrice,
    double? StopLoss, double? TakeProfit, long OpenedAtMs);

/// <summary>
/// Reads the projections the event log's writer keeps (0004_projections). At start they can be newer than the
/// kernel's checkpoint, since both commit through the one writer and the checkpoint is only taken every so often.
/// </summary>
public sealed class ProjectionStore(IDatabase database)
{
    public IReadOnlyList<StoredPosition> OpenPositions()
    {
        using var connection = database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT user_id, ticket, fire_id, symbol, direction, volume, open_price, sl, tp, opened_at_ms
            FROM positions WHERE closed_at_ms IS NULL ORDER BY opened_at_ms, ticket
            """;
        using var reader = command.ExecuteReader();
        var positions = new List<StoredPosition>();
        while (reader.Read())
        {
            positions.Add(new StoredPosition(reader.GetString(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetString(3), reader.GetString(4), reader.GetDouble(5), reader.GetDouble(6), reader.IsDBNull(7) ? null : reader.GetDouble(7),
                reader.IsDBNull(8) ? null : reader.GetDouble(8), reader.GetInt64(9)));
        }

        return positions;
    }
}
