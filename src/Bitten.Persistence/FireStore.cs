using System.Data.Common;
using System.Globalization;

namespace Bitten.Persistence;

/// <summary>One fire command to one user's EA, as stored: what was asked, how often it was sent, how it ended.</summary>
public sealed record StoredFire(
    string FireId,
    long UserId,
    string EaUuid,
    string MissionId,
    string SignalId,
    string Symbol,
    string Direction,
    decimal Lot,
    double StopLoss,
    double TakeProfit,
    string Status,
    long CreatedAtMs,
    int SentCount,
    long? Ticket,
    double? FillPrice,
    string? Message,
    string? ExecutionMode = null);

/// <summary>How one fire ended: its final status and, when filled, the ticket and price.</summary>
public sealed record FireEnd(string FireId, string Status, long? Ticket, double? Price, string? Message);

/// <summary>The fire statuses the store itself acts on; <see cref="FireStore.Complete"/> takes any other.</summary>
public static class FireStatus
{
    /// <summary>Committed, not yet sent to the EA.</summary>
    public const string Pending = "PENDING";

    /// <summary>Sent at least once and not confirmed: what <see cref="FireStore.Unconfirmed"/> returns.</summary>
    public const string Sent = "SENT";

    /// <summary>The EA confirmed the fill.</summary>
    public const string Filled = "FILLED";

    /// <summary>The EA refused it.</summary>
    public const string Failed = "FAILED";
}

/// <summary>
/// Fires, committed before they are sent so a crash between the two cannot lose one: after a restart,
/// <see cref="Unconfirmed"/> says what each EA still owes a confirmation for.
/// </summary>
public sealed class FireStore
{
    private const string Columns =
        "fire_id, user_id, ea_uuid, mission_id, signal_id, symbol, direction, lot, sl, tp, status, created_at_ms, sent_count, ticket, fill_price, message, execution_mode";

    private readonly IDatabase _database;
    private readonly TimeProvider _time;

    public FireStore(IDatabase database, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(time);
        _database = database;
        _time = time;
    }

    /// <summary>Stores every fire or none: one transaction, so a batch that fails part way leaves nothing behind.</summary>
    /// <exception cref="InvalidOperationException">A fire id already stored (or repeated in the batch), or an unknown user.</exception>
    public void SaveNew(IReadOnlyList<StoredFire> fires) => InTransaction((connection, transaction) => SaveNew(fires, connection, transaction));

    /// <summary>
    /// <see cref="SaveNew(IReadOnlyList{StoredFire})"/> inside a transaction the caller owns (the event log's writer, so
    /// fires commit with the events before them); on an exception the caller rolls back.
    /// </summary>
    public void SaveNew(IReadOnlyList<StoredFire> fires, DbConnection connection, DbTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(fires);
        if (fires.Count == 0)
        {
            return;
        }

        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = $"""
            INSERT INTO fires ({Columns}, updated_at_ms)
            VALUES (@id, @user, @uuid, @mission, @signal, @symbol, @direction, @lot, @sl, @tp, @status, @created, @sent,
                    @ticket, @price, @message, @mode, @updated)
            """;
        string[] names = ["@id", "@user", "@uuid", "@mission", "@signal", "@symbol", "@direction", "@lot", "@sl", "@tp",
            "@status", "@created", "@sent", "@ticket", "@price", "@message", "@mode", "@updated"];
        var parameters = names.Select(n => insert.Add(n, null)).ToArray();
        using var projections = new Events.Projections.FireStoredCommands(connection, transaction);
        foreach (var fire in fires)
        {
            object?[] values = [fire.FireId, fire.UserId, fire.EaUuid, fire.MissionId, fire.SignalId, fire.Symbol,
                fire.Direction, fire.Lot.ToString(CultureInfo.InvariantCulture), fire.StopLoss, fire.TakeProfit, fire.Status,
                fire.CreatedAtMs, fire.SentCount, fire.Ticket, fire.FillPrice, fire.Message, fire.ExecutionMode, now];
            for (var i = 0; i < values.Length; i++)
            {
                parameters[i].Value = values[i] ?? DBNull.Value;
            }

            try
            {
                insert.ExecuteNonQuery();
                projections.Run(fire);
            }
            catch (DbException e) when (Database.ViolationOf(e) is { } violation)
            {
                // Worded by the store, not the provider, so callers see one refusal whichever database is behind it.
                throw violation == Violation.Unique
                    ? new InvalidOperationException($"fire '{fire.FireId}' is already stored", e)
                    : new InvalidOperationException($"fire '{fire.FireId}' names user {fire.UserId}, who does not exist", e);
            }
        }
    }

    /// <summary>Counts a send; a pending fire becomes <see cref="FireStatus.Sent"/>, a completed one keeps its status.</summary>
    /// <exception cref="InvalidOperationException">No such fire.</exception>
    public void MarkSent(string fireId) => InTransaction((connection, transaction) => MarkSent(fireId, connection, transaction));

    /// <inheritdoc cref="MarkSent(string)"/>
    public void MarkSent(string fireId, DbConnection connection, DbTransaction transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            UPDATE fires SET sent_count = sent_count + 1,
                status = CASE WHEN status = '{FireStatus.Pending}' THEN '{FireStatus.Sent}' ELSE status END, updated_at_ms = @now
            WHERE fire_id = @id
            """;
        command.Add("@now", _time.GetUtcNow().ToUnixTimeMilliseconds());
        command.Add("@id", fireId);
        if (command.ExecuteNonQuery() == 0)
        {
            throw new InvalidOperationException($"no fire '{fireId}'");
        }
    }

    /// <summary>Records how the fire ended (the EA's confirmation, a failure, a timeout).</summary>
    /// <exception cref="InvalidOperationException">No such fire.</exception>
    public void Complete(string fireId, string status, long? ticket, double? price, string? message) =>
        CompleteAll([new FireEnd(fireId, status, ticket, price, message)]);

    /// <summary>Records how several fires ended, in one transaction (confirmations arrive in bursts after a signal).</summary>
    /// <exception cref="InvalidOperationException">One of the fires does not exist; then none is recorded.</exception>
    public void CompleteAll(IReadOnlyList<FireEnd> ends) => InTransaction((connection, transaction) => CompleteAll(ends, connection, transaction));

    /// <inheritdoc cref="CompleteAll(IReadOnlyList{FireEnd})"/>
    public void CompleteAll(IReadOnlyList<FireEnd> ends, DbConnection connection, DbTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(ends);
        if (ends.Count == 0)
        {
            return;
        }

        using var update = connection.CreateCommand();
        update.Transaction = transaction;
        update.CommandText = "UPDATE fires SET status = @status, ticket = @ticket, fill_price = @price, message = @message, updated_at_ms = @now WHERE fire_id = @id";
        var status = update.Add("@status", null);
        var ticket = update.Add("@ticket", null);
        var price = update.Add("@price", null);
        var message = update.Add("@message", null);
        update.Add("@now", _time.GetUtcNow().ToUnixTimeMilliseconds());
        var id = update.Add("@id", null);
        foreach (var end in ends)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(end.Status);
            status.Value = end.Status;
            ticket.Value = (object?)end.Ticket ?? DBNull.Value;
            price.Value = (object?)end.Price ?? DBNull.Value;
            message.Value = (object?)end.Message ?? DBNull.Value;
            id.Value = end.FireId;
            if (update.ExecuteNonQuery() == 0)
            {
                throw new InvalidOperationException($"no fire '{end.FireId}'");
            }
        }
    }

    /// <summary>The EA's fires sent and not yet confirmed, oldest first.</summary>
    public IReadOnlyList<StoredFire> Unconfirmed(string eaUuid) => Unconfirmed([eaUuid]);

    /// <summary>Every listed EA's unconfirmed fires (a start asks for all its users' EAs at once), each EA's oldest first.</summary>
    public IReadOnlyList<StoredFire> Unconfirmed(IEnumerable<string> eaUuids) =>
        Query("ea_uuid = @key AND status = '" + FireStatus.Sent + "' ORDER BY created_at_ms, fire_id", eaUuids);

    public StoredFire? Get(string fireId) => Get([fireId]) is [var fire] ? fire : null;

    /// <summary>The listed fires that are stored, read over one connection.</summary>
    public IReadOnlyList<StoredFire> Get(IEnumerable<string> fireIds) => Query("fire_id = @key", fireIds);

    /// <summary>Runs the write in a transaction of its own; disposing an uncommitted one rolls it back, so a throw stores nothing.</summary>
    private void InTransaction(Action<DbConnection, DbTransaction> write)
    {
        using var connection = _database.OpenConnection();
        using var transaction = connection.BeginTransaction();
        write(connection, transaction);
        transaction.Commit();
    }

    /// <summary>The fires matching <paramref name="where"/> for each key in turn: one connection, one prepared command.</summary>
    private List<StoredFire> Query(string where, IEnumerable<string> keys)
    {
        using var connection = _database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM fires WHERE {where}";
        var key = command.Add("@key", null);
        var fires = new List<StoredFire>();
        foreach (var value in keys)
        {
            key.Value = value;
            using var reader = command.ExecuteReader();
            Read(reader, fires);
        }

        return fires;
    }

    private static void Read(DbDataReader reader, List<StoredFire> fires)
    {
        while (reader.Read())
        {
            fires.Add(new StoredFire(
                reader.GetString(0),
                reader.GetInt64(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetString(5),
                reader.GetString(6),
                decimal.Parse(reader.GetString(7), NumberStyles.Number, CultureInfo.InvariantCulture),
                reader.GetDouble(8),
                reader.GetDouble(9),
                reader.GetString(10),
                reader.GetInt64(11),
                reader.GetInt32(12),
                reader.IsDBNull(13) ? null : reader.GetInt64(13),
                reader.IsDBNull(14) ? null : reader.GetDouble(14),
                reader.IsDBNull(15) ? null : reader.GetString(15),
                reader.IsDBNull(16) ? null : reader.GetString(16)));
        }
    }
}
