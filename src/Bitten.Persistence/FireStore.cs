using System.Data;
using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;

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
        Insert(fires, connection, transaction, fileBatch: false);
    }

    /// <summary>
    /// A signal's new fires as one row of <c>fire_batches</c> (<see cref="FireBatch"/>), inside the caller's transaction:
    /// the commit that must come before the sends costs one insert, not three per fire. <see cref="FileBatches"/>
    /// later turns the row into fires, missions and slots; meanwhile every read here counts its fires as stored.
    /// Each fire first claims its mission in <c>fire_locks</c> (<see cref="Claim"/>): one whose mission another fire
    /// holds is left out of the batch and returned, and must never be sent.
    /// </summary>
    /// <returns>The fire ids the one-time fire lock refused (empty almost always).</returns>
    public IReadOnlyCollection<string> SaveBatch(IReadOnlyList<StoredFire> fires, DbConnection connection, DbTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(fires);
        if (fires.Count == 0)
        {
            return [];
        }

        var refused = Claim(fires, connection, transaction);
        var locked = refused.Count == 0 ? fires : [.. fires.Where(f => !refused.Contains(f.FireId))];
        if (locked.Count == 0)
        {
            return refused;
        }

        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO fire_batches (signal_id, fire_count, created_at_ms, fires) VALUES (@signal, @count, @created, @fires)";
        insert.Add("@signal", locked[0].SignalId);
        insert.Add("@count", locked.Count);
        insert.Add("@created", _time.GetUtcNow().ToUnixTimeMilliseconds());
        insert.Add("@fires", FireBatch.Encode(locked));
        insert.ExecuteNonQuery();
        return refused;
    }

    /// <summary>
    /// The one-time fire lock: each fire claims its mission in <c>fire_locks</c>, whose primary key is the database's
    /// promise that a mission fires once. A claim already held by the same fire is kept (a batch filed after it was
    /// claimed, a retried write); one held by another fire is refused. Never a failing statement (ON CONFLICT DO
    /// NOTHING), so a PostgreSQL transaction shared with other work survives a refusal; a concurrent claim of the same
    /// mission waits for the other transaction and then sees its outcome.
    /// </summary>
    /// <returns>The ids of the fires refused, because another fire holds their mission.</returns>
    private HashSet<string> Claim(IReadOnlyList<StoredFire> fires, DbConnection connection, DbTransaction transaction)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        return _database.Provider == StorageOptions.Postgres
            ? ClaimByUnnest(fires, connection, transaction, now)
            : ClaimByJson(fires, connection, transaction, now);
    }

    /// <summary>PostgreSQL: two statements whatever the batch's size (a thousand round trips would cost more than the rest of the commit).</summary>
    private static HashSet<string> ClaimByUnnest(IReadOnlyList<StoredFire> fires, DbConnection connection, DbTransaction transaction, long now)
    {
        var missions = fires.Select(f => f.MissionId).ToArray();
        var fireIds = fires.Select(f => f.FireId).ToArray();
        using (var claim = connection.CreateCommand())
        {
            claim.Transaction = transaction;
            claim.CommandText = """
                INSERT INTO fire_locks (mission_id, fire_id, locked_at_ms)
                SELECT m, f, @now FROM unnest(@missions, @fires) AS claim(m, f)
                ON CONFLICT (mission_id) DO NOTHING
                """;
            claim.Add("@now", now);
            claim.Add("@missions", missions);
            claim.Add("@fires", fireIds);
            claim.ExecuteNonQuery();
        }

        using var held = connection.CreateCommand();
        held.Transaction = transaction;
        held.CommandText = """
            SELECT claim.f FROM unnest(@missions, @fires) AS claim(m, f)
            JOIN fire_locks ON fire_locks.mission_id = claim.m WHERE fire_locks.fire_id <> claim.f
            """;
        held.Add("@missions", missions);
        held.Add("@fires", fireIds);
        var refused = new HashSet<string>(StringComparer.Ordinal);
        using var reader = held.ExecuteReader();
        while (reader.Read())
        {
            refused.Add(reader.GetString(0));
        }

        return refused;
    }

    /// <summary>
    /// SQLite: one insert for the whole batch, its claims passed as one JSON array that SQLite's own json_each unpacks
    /// (measured on the commit that gates a signal's sends, 1,000 fires: 3.7-3.9 ms with a prepared insert per fire,
    /// 3.0-3.6 ms this way); the holders are read, in one statement too, only when some claim was not inserted.
    /// </summary>
    private static HashSet<string> ClaimByJson(IReadOnlyList<StoredFire> fires, DbConnection connection, DbTransaction transaction, long now)
    {
        var claims = ClaimsJson(fires);
        using var claim = connection.CreateCommand();
        claim.Transaction = transaction;
        claim.CommandText = """
            INSERT INTO fire_locks (mission_id, fire_id, locked_at_ms)
            SELECT value ->> 0, value ->> 1, @now FROM json_each(@claims) WHERE true
            ON CONFLICT (mission_id) DO NOTHING
            """;
        claim.Add("@now", now);
        claim.Add("@claims", claims);
        var refused = new HashSet<string>(StringComparer.Ordinal);
        if (claim.ExecuteNonQuery() == fires.Count)
        {
            return refused;
        }

        using var held = connection.CreateCommand();
        held.Transaction = transaction;
        held.CommandText = """
            SELECT c.value ->> 1 FROM json_each(@claims) AS c
            JOIN fire_locks ON fire_locks.mission_id = c.value ->> 0 WHERE fire_locks.fire_id <> c.value ->> 1
            """;
        held.Add("@claims", claims);
        using var reader = held.ExecuteReader();
        while (reader.Read())
        {
            refused.Add(reader.GetString(0));
        }

        return refused;
    }

    /// <summary>The claims as <c>[["mission","fire"],…]</c>, escaped by the JSON writer whatever the ids hold.</summary>
    private static string ClaimsJson(IReadOnlyList<StoredFire> fires)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(fires.Count * 64);
        using (var json = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var f in fires)
            {
                json.WriteStartArray();
                json.WriteStringValue(f.MissionId);
                json.WriteStringValue(f.FireId);
                json.WriteEndArray();
            }

            json.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// Files every batch still in <c>fire_batches</c> into fires (and the missions and slots they change), oldest
    /// first, and deletes the batch rows: run by the writer after the sends, and before any write that needs the fire
    /// rows (a resend, a confirmation), so those never miss one. A fire already stored is left as it is (a batch filed
    /// twice changes nothing); one naming a user no longer stored is skipped, and reported in the count returned.
    /// </summary>
    /// <returns>The fires filed, and those skipped: for an unknown user, or refused by the one-time fire lock.</returns>
    public (int Filed, int Skipped) FileBatches()
    {
        var result = (0, 0);
        InTransaction((connection, transaction) => result = FileBatches(connection, transaction));
        return result;
    }

    /// <inheritdoc cref="FileBatches()"/>
    public (int Filed, int Skipped) FileBatches(DbConnection connection, DbTransaction transaction)
    {
        var batches = new List<(long Id, byte[] Fires)>();
        using (var select = connection.CreateCommand())
        {
            select.Transaction = transaction;
            select.CommandText = "SELECT batch_id, fires FROM fire_batches ORDER BY batch_id";
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                batches.Add((reader.GetInt64(0), (byte[])reader.GetValue(1)));
            }
        }

        if (batches.Count == 0)
        {
            return (0, 0);
        }

        var (filed, skipped) = (0, 0);
        using var delete = connection.CreateCommand();
        delete.Transaction = transaction;
        delete.CommandText = "DELETE FROM fire_batches WHERE batch_id = @id";
        var id = delete.Add("@id", null);
        foreach (var batch in batches)
        {
            var fires = FireBatch.Decode(batch.Fires);
            var inserted = Insert(fires, connection, transaction, fileBatch: true, claimed: FireBatch.IsClaimed(batch.Fires));
            filed += inserted.Filed;
            skipped += inserted.Skipped;
            id.Value = batch.Id;
            delete.ExecuteNonQuery();
        }

        return (filed, skipped);
    }

    /// <summary>
    /// Inserts fires with their mission and slot projections. A batch being filed skips what is already stored and
    /// fires of users no longer stored (a batch is written before either could be checked); otherwise those throw.
    /// </summary>
    private (int Filed, int Skipped) Insert(IReadOnlyList<StoredFire> fires, DbConnection connection, DbTransaction transaction, bool fileBatch,
        bool claimed = false)
    {
        if (fires.Count == 0)
        {
            return (0, 0);
        }

        // The lock first: a fire whose mission another fire holds is never stored. Filing skips it (a batch written
        // before the lock existed); a direct save is refused whole, like any other conflict. A batch written by this
        // build claimed its missions as it was stored: claiming them again would find each held by itself.
        HashSet<string> refused = claimed ? [] : Claim(fires, connection, transaction);
        if (refused.Count > 0 && !fileBatch)
        {
            var first = fires.First(f => refused.Contains(f.FireId));
            throw new InvalidOperationException($"mission '{first.MissionId}' is already fired by another fire than '{first.FireId}' (the one-time fire lock)");
        }

        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        if (fileBatch)
        {
            List<StoredFire> toFile = [.. fires.Where(f => !refused.Contains(f.FireId))];
            var (filedHere, skippedHere) = connection is SqliteConnection sqlite
                ? FileByStatements(toFile, sqlite, transaction, now)
                : FileByUnnest(toFile, connection, transaction, now);
            return (filedHere, skippedHere + refused.Count);
        }

        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = $"INSERT INTO fires ({Columns}, updated_at_ms) VALUES ({FileValues})";
        var parameters = FileParameters.Select(n => insert.Add(n, null)).ToArray();
        using var projections = new Events.Projections.FireStoredCommands(connection, transaction);
        foreach (var fire in fires)
        {
            var row = FileRow(fire, now);
            for (var i = 0; i < row.Length; i++)
            {
                parameters[i].Value = row[i] ?? DBNull.Value;
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

        return (fires.Count, 0);
    }

    // A fire's row, and its parameters in that order.
    private const string FileValues = """
        @id, @user, @uuid, @mission, @signal, @symbol, @direction, @lot, @sl, @tp, @status, @created, @sent,
        @ticket, @price, @message, @mode, @updated
        """;

    private static readonly string[] FileParameters = ["@id", "@user", "@uuid", "@mission", "@signal", "@symbol", "@direction", "@lot", "@sl", "@tp",
        "@status", "@created", "@sent", "@ticket", "@price", "@message", "@mode", "@updated"];

    // The types of the row's columns before updated_at_ms (PostgreSQL's filing sends each as one array).
    private static readonly DbType[] FileTypes =
    [
        DbType.String, DbType.Int64, DbType.String, DbType.String, DbType.String, DbType.String, DbType.String, DbType.String,
        DbType.Double, DbType.Double, DbType.String, DbType.Int64, DbType.Int32, DbType.Int64, DbType.Double, DbType.String, DbType.String,
    ];

    private static object?[] FileRow(StoredFire fire, long now) =>
        [fire.FireId, fire.UserId, fire.EaUuid, fire.MissionId, fire.SignalId, fire.Symbol, fire.Direction,
            fire.Lot.ToString(CultureInfo.InvariantCulture), fire.StopLoss, fire.TakeProfit, fire.Status, fire.CreatedAtMs, fire.SentCount,
            fire.Ticket, fire.FillPrice, fire.Message, fire.ExecutionMode, now];

    /// <summary>
    /// SQLite's filing: three statements a fire as before, prepared on the connection's own handle and run by step and
    /// reset (<see cref="Events.SqliteStatement"/>, the event log writer's path) instead of through a command each.
    /// </summary>
    private static (int Filed, int Skipped) FileByStatements(List<StoredFire> fires, SqliteConnection connection, DbTransaction transaction, long now)
    {
        using var insert = new Events.SqliteStatement(connection, Events.Statement.Of(
            $"INSERT INTO fires ({Columns}, updated_at_ms) SELECT {FileValues} WHERE EXISTS (SELECT 1 FROM users WHERE user_id = @user) ON CONFLICT (fire_id) DO NOTHING",
            [.. FileParameters.Select(name => (name, DbType.Object))]));
        var projections = new Dictionary<Events.Statement, Events.SqliteStatement>();
        var rows = new List<Events.Row>(2);
        var (filed, skipped) = (0, 0);
        try
        {
            foreach (var fire in fires)
            {
                if (insert.Run(FileRow(fire, now)) == 0)
                {
                    // Stored already (nothing to do) or its user is gone (counted).
                    skipped += UserExists(connection, transaction, fire.UserId) ? 0 : 1;
                    continue;
                }

                rows.Clear();
                Events.Projections.FireStored(fire, rows);
                foreach (var row in rows)
                {
                    if (!projections.TryGetValue(row.Statement, out var statement))
                    {
                        statement = new Events.SqliteStatement(connection, row.Statement);
                        projections[row.Statement] = statement;
                    }

                    statement.Run(row.Values);
                }

                filed++;
            }
        }
        finally
        {
            foreach (var statement in projections.Values)
            {
                statement.Dispose();
            }
        }

        return (filed, skipped);
    }

    /// <summary>
    /// PostgreSQL's filing: the fires in one insert over arrays, and their missions FIRED and slots taken in one batch
    /// after it (<see cref="Events.PostgresSets"/>), instead of three round trips a fire: a signal's thousand fires were
    /// three thousand statements on the writer's connection after the sends. The same rows as one by one: a fire
    /// already stored or of a user no longer stored is skipped, and only the fires inserted move their mission and slot.
    /// </summary>
    private static (int Filed, int Skipped) FileByUnnest(List<StoredFire> fires, DbConnection connection, DbTransaction transaction, long now)
    {
        if (fires.Count == 0)
        {
            return (0, 0);
        }

        var inserted = new HashSet<string>(StringComparer.Ordinal);
        using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = $"""
                INSERT INTO fires ({Columns}, updated_at_ms)
                SELECT f.*, @now FROM unnest(@id, @user, @uuid, @mission, @signal, @symbol, @direction, @lot, @sl, @tp, @status, @created,
                    @sent, @ticket, @price, @message, @mode)
                    AS f(id, owner, uuid, mission, signal, symbol, direction, lot, sl, tp, status, created, sent, ticket, price, message, mode)
                WHERE EXISTS (SELECT 1 FROM users WHERE users.user_id = f.owner)
                ON CONFLICT (fire_id) DO NOTHING
                RETURNING fire_id
                """;
            insert.Add("@now", now);
            var values = fires.Select(f => FileRow(f, now)).ToList();
            for (var p = 0; p < FileTypes.Length; p++)
            {
                insert.Parameters.Add(Events.PostgresSets.ArrayOf(FileParameters[p], FileTypes[p], values, p));
            }

            using var reader = insert.ExecuteReader();
            while (reader.Read())
            {
                inserted.Add(reader.GetString(0));
            }
        }

        var rows = new List<Events.Row>(2 * inserted.Count);
        var skipped = 0;
        foreach (var fire in fires)
        {
            if (inserted.Remove(fire.FireId))
            {
                Events.Projections.FireStored(fire, rows);
            }
            else if (!UserExists(connection, transaction, fire.UserId))
            {
                skipped++;
            }
        }

        if (rows.Count > 0)
        {
            using var batch = connection.CreateBatch();
            batch.Transaction = transaction;
            Events.PostgresSets.AddTo(batch, rows);
            batch.ExecuteNonQuery();
        }

        return (rows.Count / 2, skipped);
    }

    private static bool UserExists(DbConnection connection, DbTransaction transaction, long userId)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT 1 FROM users WHERE user_id = @user";
        command.Add("@user", userId);
        return command.ExecuteScalar() is not null;
    }

    /// <summary>Counts a send; a pending fire becomes <see cref="FireStatus.Sent"/>, a completed one keeps its status.</summary>
    /// <exception cref="InvalidOperationException">No such fire.</exception>
    public void MarkSent(string fireId) => InTransaction((connection, transaction) => MarkSent(fireId, connection, transaction));

    /// <inheritdoc cref="MarkSent(string)"/>
    public void MarkSent(string fireId, DbConnection connection, DbTransaction transaction)
    {
        FileBatches(connection, transaction);
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

        FileBatches(connection, transaction);
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
        Query("ea_uuid = @key AND status = '" + FireStatus.Sent + "' ORDER BY created_at_ms, fire_id", eaUuids,
            (fire, key) => fire.EaUuid == key && fire.Status == FireStatus.Sent);

    public StoredFire? Get(string fireId) => Get([fireId]) is [var fire] ? fire : null;

    /// <summary>The listed fires that are stored, read over one connection.</summary>
    public IReadOnlyList<StoredFire> Get(IEnumerable<string> fireIds) => Query("fire_id = @key", fireIds, (fire, key) => fire.FireId == key);

    /// <summary>Fires committed in a batch the writer has not filed yet (a moment after a signal, or after a crash).</summary>
    public int Unfiled()
    {
        using var connection = _database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(SUM(fire_count), 0) FROM fire_batches";
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>Runs the write in a transaction of its own; disposing an uncommitted one rolls it back, so a throw stores nothing.</summary>
    private void InTransaction(Action<DbConnection, DbTransaction> write)
    {
        using var connection = _database.OpenConnection();
        using var transaction = connection.BeginTransaction();
        write(connection, transaction);
        transaction.Commit();
    }

    /// <summary>
    /// The fires matching <paramref name="where"/> for each key in turn — one connection, one prepared command — and
    /// those of batches not filed yet that <paramref name="pending"/> accepts. The batches are read first: one filed
    /// between the two reads is then seen in both, and its stored row wins.
    /// </summary>
    private List<StoredFire> Query(string where, IEnumerable<string> keys, Func<StoredFire, string, bool> pending)
    {
        using var connection = _database.OpenConnection();
        var unfiled = UnfiledFires(connection);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM fires WHERE {where}";
        var key = command.Add("@key", null);
        var fires = new List<StoredFire>();
        foreach (var value in keys)
        {
            key.Value = value;
            var first = fires.Count;
            using (var reader = command.ExecuteReader())
            {
                Read(reader, fires);
            }

            if (unfiled.Count == 0)
            {
                continue;
            }

            var stored = fires.Skip(first).Select(f => f.FireId).ToHashSet(StringComparer.Ordinal);
            var added = unfiled.Where(f => pending(f, value) && !stored.Contains(f.FireId)).ToList();
            if (added.Count > 0)
            {
                fires.AddRange(added);
                var mine = fires.GetRange(first, fires.Count - first);
                mine.Sort((a, b) => a.CreatedAtMs != b.CreatedAtMs ? a.CreatedAtMs.CompareTo(b.CreatedAtMs) : string.CompareOrdinal(a.FireId, b.FireId));
                fires.RemoveRange(first, mine.Count);
                fires.AddRange(mine);
            }
        }

        return fires;
    }

    private static List<StoredFire> UnfiledFires(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT fires FROM fire_batches ORDER BY batch_id";
        using var reader = command.ExecuteReader();
        var fires = new List<StoredFire>();
        while (reader.Read())
        {
            fires.AddRange(FireBatch.Decode((byte[])reader.GetValue(0)));
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
