using System.Data.Common;
using System.Globalization;

namespace Bitten.Persistence;

/// <summary>A message to store in the outbox: its cause's key, its chat and the message itself as JSON.</summary>
public sealed record OutboxEntry(string Key, long ChatId, string PayloadJson);

/// <summary>One unsent message as stored: how often it was tried and the earliest time it may be tried again.</summary>
public sealed record OutboxRow(long Id, string Key, long ChatId, string PayloadJson, long CreatedMs, int Attempts, long NotBeforeMs);

/// <summary>The outbox at a glance, for health: messages waiting, sent and given up on.</summary>
public sealed record OutboxCounts(long Pending, long Sent, long Failed);

/// <summary>
/// The Telegram outbox (<c>telegram_outbox</c>): every outgoing message is stored here before it is sent, and marked
/// sent or failed afterwards, so a restart resumes with exactly the messages still owed. A key is stored once: a second
/// message with a known key is ignored, which makes enqueuing an event's message idempotent.
/// </summary>
public sealed class OutboxStore
{
    private const string Insert =
        "INSERT INTO telegram_outbox (key, chat_id, payload, created_ms) VALUES (@key, @chat, @payload, @now) ON CONFLICT (key) DO NOTHING";

    private const string Unsent = "sent_ms IS NULL AND failed_reason IS NULL";

    private readonly IDatabase _database;

    public OutboxStore(IDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <summary>Stores the message unless its key is stored already; false then.</summary>
    public bool Enqueue(string key, long chatId, string payloadJson, long nowMs) =>
        EnqueueMany([new OutboxEntry(key, chatId, payloadJson)], nowMs) == 1;

    /// <summary>
    /// Stores every new entry in one transaction (a fan-out to thousands of users is one commit, not thousands);
    /// returns how many were new. Known keys, also one repeated within the batch, are skipped.
    /// </summary>
    public int EnqueueMany(IReadOnlyList<OutboxEntry> entries, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(entry.Key);
            ArgumentNullException.ThrowIfNull(entry.PayloadJson);
        }

        if (entries.Count == 0)
        {
            return 0;
        }

        using var connection = _database.OpenConnection();
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = Insert;
        var key = insert.Add("@key", null);
        var chat = insert.Add("@chat", null);
        var payload = insert.Add("@payload", null);
        insert.Add("@now", nowMs);
        var added = 0;
        foreach (var entry in entries)
        {
            key.Value = entry.Key;
            chat.Value = entry.ChatId;
            payload.Value = entry.PayloadJson;
            added += insert.ExecuteNonQuery();
        }

        transaction.Commit();
        return added;
    }

    /// <summary>Up to <paramref name="max"/> unsent, unfailed messages with an id above <paramref name="afterId"/>, by id.</summary>
    public IReadOnlyList<OutboxRow> Pending(int max, long afterId = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        using var connection = _database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT id, key, chat_id, payload, created_ms, attempts, not_before_ms FROM telegram_outbox
            WHERE {Unsent} AND id > @after ORDER BY id LIMIT @max
            """;
        command.Add("@after", afterId);
        command.Add("@max", max);
        using var reader = command.ExecuteReader();
        var rows = new List<OutboxRow>();
        while (reader.Read())
        {
            rows.Add(new OutboxRow(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3),
                reader.GetInt64(4), reader.GetInt32(5), reader.GetInt64(6)));
        }

        return rows;
    }

    /// <summary>Telegram took the message: it leaves the queue.</summary>
    /// <exception cref="InvalidOperationException">No such message, or it was already sent or failed.</exception>
    public void MarkSent(long id, long sentMs, long telegramMessageId) =>
        Update(id, "sent_ms = @a, telegram_message_id = @b", sentMs, telegramMessageId);

    /// <summary>A try failed and the message waits until <paramref name="notBeforeMs"/>; <paramref name="error"/> says why (kept in last_error, for reading).</summary>
    /// <exception cref="InvalidOperationException">No such message, or it was already sent or failed.</exception>
    public void Reschedule(long id, long notBeforeMs, int attempts, string? error) =>
        Update(id, "not_before_ms = @a, attempts = @b, last_error = @c", notBeforeMs, attempts, error);

    /// <summary>Telegram refused the message for good (a blocked bot, an unknown chat): it leaves the queue with the reason.</summary>
    /// <exception cref="InvalidOperationException">No such message, or it was already sent or failed.</exception>
    public void MarkFailed(long id, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        Update(id, "failed_reason = @a", reason);
    }

    public OutboxCounts Counts()
    {
        using var connection = _database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT COALESCE(SUM(CASE WHEN {Unsent} THEN 1 ELSE 0 END), 0),
                   COALESCE(SUM(CASE WHEN sent_ms IS NOT NULL THEN 1 ELSE 0 END), 0),
                   COALESCE(SUM(CASE WHEN failed_reason IS NOT NULL THEN 1 ELSE 0 END), 0)
            FROM telegram_outbox
            """;
        using var reader = command.ExecuteReader();
        reader.Read();
        return new OutboxCounts(Long(reader, 0), Long(reader, 1), Long(reader, 2));
    }

    /// <summary>Changes an unsent message; a sent or failed one is final, so a late second update is refused, not applied.</summary>
    private void Update(long id, string set, params object?[] values)
    {
        using var connection = _database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = $"UPDATE telegram_outbox SET {set} WHERE id = @id AND {Unsent}";
        for (var i = 0; i < values.Length; i++)
        {
            command.Add("@" + (char)('a' + i), values[i]);
        }

        command.Add("@id", id);
        if (command.ExecuteNonQuery() == 0)
        {
            throw new InvalidOperationException($"no unsent outbox message {id}");
        }
    }

    private static long Long(DbDataReader reader, int column) => Convert.ToInt64(reader.GetValue(column), CultureInfo.InvariantCulture);
}
