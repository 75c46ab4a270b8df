using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Bitten.Domain.Users;
using Microsoft.Data.Sqlite;

namespace Bitten.Persistence;

/// <summary>
/// Users, their API tokens and EA pairing codes. Tokens are 32 random bytes (base64url) handed out once and kept
/// only as a SHA-256 hash, so whoever reads the database cannot log in; a new token revokes the older ones.
/// </summary>
public sealed class UserStore
{
    /// <summary>No 0/O, 1/I/L: a code read off a phone and typed into an EA's inputs.</summary>
    public const string PairingAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

    public const int PairingCodeLength = 8;

    private const string UserColumns =
        "user_id, telegram_id, tier, role, mode, auto_min, auto_max, auto_slots, auto_risk, ea_uuid, created_at_ms";

    private readonly SqliteDatabase _database;
    private readonly TimeProvider _time;

    public UserStore(SqliteDatabase database, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(time);
        _database = database;
        _time = time;
    }

    /// <summary>Adds a user with the default auto-fire settings and returns it with its first API token.</summary>
    /// <exception cref="ArgumentException">AUTO mode below COMMANDER, or a blank EA uuid.</exception>
    /// <exception cref="InvalidOperationException">The telegram id or the EA uuid belongs to someone already.</exception>
    public (User User, string Token) Add(long telegramId, Tier tier, Role role, FireMode mode, string? eaUuid)
    {
        CheckMode(tier, mode);
        CheckUuid(eaUuid);
        var now = NowMs();
        using var connection = _database.OpenConnection();
        using var transaction = connection.BeginTransaction();
        if (Find(connection, transaction, "telegram_id = $key", telegramId) is { } existing)
        {
            throw new InvalidOperationException($"a user with telegram id {telegramId} already exists (user {existing.UserId})");
        }

        CheckUuidFree(connection, transaction, eaUuid, exceptUserId: null);
        var auto = AutoFireSettings.Default;
        using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO users (telegram_id, tier, role, mode, auto_min, auto_max, auto_slots, auto_risk, ea_uuid, created_at_ms)
                VALUES ($telegram, $tier, $role, $mode, $min, $max, $slots, $risk, $uuid, $at)
                """;
            insert.Parameters.AddWithValue("$telegram", telegramId);
            insert.Parameters.AddWithValue("$tier", tier.WireName());
            insert.Parameters.AddWithValue("$role", role.WireName());
            insert.Parameters.AddWithValue("$mode", mode.WireName());
            AddAuto(insert, auto);
            insert.Parameters.AddWithValue("$uuid", (object?)eaUuid ?? DBNull.Value);
            insert.Parameters.AddWithValue("$at", now);
            insert.ExecuteNonQuery();
        }

        var user = Find(connection, transaction, "telegram_id = $key", telegramId)
            ?? throw new InvalidOperationException("the user just added is missing");
        var token = IssueToken(connection, transaction, user.UserId, now);
        transaction.Commit();
        return (user, token);
    }

    public IReadOnlyList<User> List()
    {
        using var connection = _database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {UserColumns} FROM users ORDER BY user_id";
        using var reader = command.ExecuteReader();
        var users = new List<User>();
        while (reader.Read())
        {
            users.Add(ReadUser(reader));
        }

        return users;
    }

    public User? ByTelegramId(long telegramId) => FindOne("telegram_id = $key", telegramId);

    public User? ById(long userId) => FindOne("user_id = $key", userId);

    public User? ByEaUuid(string eaUuid) => FindOne("ea_uuid = $key", eaUuid);

    /// <summary>Changes what is given (null: unchanged) and returns the user as stored.</summary>
    /// <exception cref="ArgumentException">Invalid auto-fire settings, or AUTO mode below COMMANDER.</exception>
    /// <exception cref="InvalidOperationException">No such user, or the EA uuid belongs to another user.</exception>
    public User Update(long telegramId, Tier? tier, FireMode? mode, AutoFireSettings? auto, string? eaUuid)
    {
        CheckUuid(eaUuid);
        if (auto?.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(auto));
        }

        using var connection = _database.OpenConnection();
        using var transaction = connection.BeginTransaction();
        var user = Find(connection, transaction, "telegram_id = $key", telegramId) ?? throw NoUser(telegramId);
        var updated = user with
        {
            Tier = tier ?? user.Tier,
            Mode = mode ?? user.Mode,
            Auto = auto ?? user.Auto,
            EaUuid = eaUuid ?? user.EaUuid,
        };
        CheckMode(updated.Tier, updated.Mode);
        if (eaUuid is not null)
        {
            CheckUuidFree(connection, transaction, eaUuid, exceptUserId: user.UserId);
        }

        using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = """
                UPDATE users SET tier = $tier, mode = $mode, auto_min = $min, auto_max = $max, auto_slots = $slots,
                    auto_risk = $risk, ea_uuid = $uuid
                WHERE user_id = $id
                """;
            command.Parameters.AddWithValue("$tier", updated.Tier.WireName());
            command.Parameters.AddWithValue("$mode", updated.Mode.WireName());
            AddAuto(command, updated.Auto);
            command.Parameters.AddWithValue("$uuid", (object?)updated.EaUuid ?? DBNull.Value);
            command.Parameters.AddWithValue("$id", user.UserId);
            command.ExecuteNonQuery();
        }

        transaction.Commit();
        return updated;
    }

    /// <summary>A new API token for the user; every older one stops working.</summary>
    /// <exception cref="InvalidOperationException">No such user.</exception>
    public string NewToken(long telegramId)
    {
        using var connection = _database.OpenConnection();
        using var transaction = connection.BeginTransaction();
        var user = Find(connection, transaction, "telegram_id = $key", telegramId) ?? throw NoUser(telegramId);
        var token = IssueToken(connection, transaction, user.UserId, NowMs());
        transaction.Commit();
        return token;
    }

    /// <summary>The user an unrevoked token belongs to, or null.</summary>
    public User? Authenticate(string token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        // A lookup by hash: the token itself is never compared, so timing says nothing about it.
        using var connection = _database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {Prefixed("u.")} FROM api_tokens t JOIN users u ON u.user_id = t.user_id
            WHERE t.token_hash = $hash AND t.revoked = 0
            """;
        command.Parameters.AddWithValue("$hash", HashToken(token));
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadUser(reader) : null;
    }

    /// <summary>A one-time code that binds an EA to the user when redeemed before <paramref name="ttl"/> runs out.</summary>
    /// <exception cref="InvalidOperationException">No such user.</exception>
    public string CreatePairingCode(long userId, TimeSpan ttl)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        using var connection = _database.OpenConnection();
        using var transaction = connection.BeginTransaction();
        _ = Find(connection, transaction, "user_id = $key", userId)
            ?? throw new InvalidOperationException($"no user with id {userId}");
        var expires = _time.GetUtcNow().Add(ttl).ToUnixTimeMilliseconds();
        while (true)
        {
            var code = new string(RandomNumberGenerator.GetItems<char>(PairingAlphabet, PairingCodeLength));
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            // 31^8 codes: a clash is next to impossible, but one must not hand out a code that is someone else's.
            insert.CommandText = "INSERT OR IGNORE INTO pairing_codes (code, user_id, expires_at_ms) VALUES ($code, $user, $expires)";
            insert.Parameters.AddWithValue("$code", code);
            insert.Parameters.AddWithValue("$user", userId);
            insert.Parameters.AddWithValue("$expires", expires);
            if (insert.ExecuteNonQuery() == 1)
            {
                transaction.Commit();
                return code;
            }
        }
    }

    /// <summary>
    /// Binds <paramref name="eaUuid"/> to the code's user and uses the code up. Null when the code is unknown, used
    /// or expired, or the uuid is bound to another user (then the code stays usable, for the right EA).
    /// </summary>
    public User? RedeemPairingCode(string code, string eaUuid)
    {
        if (string.IsNullOrWhiteSpace(code) || string.IsNullOrWhiteSpace(eaUuid))
        {
            return null;
        }

        var now = NowMs();
        using var connection = _database.OpenConnection();
        using var transaction = connection.BeginTransaction();
        long userId;
        using (var select = connection.CreateCommand())
        {
            select.Transaction = transaction;
            select.CommandText = "SELECT user_id FROM pairing_codes WHERE code = $code AND used_at_ms IS NULL AND expires_at_ms > $now";
            select.Parameters.AddWithValue("$code", code.Trim().ToUpperInvariant());
            select.Parameters.AddWithValue("$now", now);
            if (select.ExecuteScalar() is not long found)
            {
                return null;
            }

            userId = found;
        }

        if (Find(connection, transaction, "ea_uuid = $key", eaUuid) is { } owner && owner.UserId != userId)
        {
            return null;
        }

        using (var bind = connection.CreateCommand())
        {
            bind.Transaction = transaction;
            bind.CommandText = """
                UPDATE users SET ea_uuid = $uuid WHERE user_id = $user;
                UPDATE pairing_codes SET used_at_ms = $now WHERE code = $code;
                """;
            bind.Parameters.AddWithValue("$uuid", eaUuid);
            bind.Parameters.AddWithValue("$user", userId);
            bind.Parameters.AddWithValue("$now", now);
            bind.Parameters.AddWithValue("$code", code.Trim().ToUpperInvariant());
            bind.ExecuteNonQuery();
        }

        var user = Find(connection, transaction, "user_id = $key", userId);
        transaction.Commit();
        return user;
    }

    /// <summary>What is stored for a token: its SHA-256 as lower-case hex.</summary>
    public static string HashToken(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private string IssueToken(SqliteConnection connection, SqliteTransaction transaction, long userId, long now)
    {
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            UPDATE api_tokens SET revoked = 1 WHERE user_id = $user AND revoked = 0;
            INSERT INTO api_tokens (token_hash, user_id, created_at_ms, revoked) VALUES ($hash, $user, $at, 0);
            """;
        command.Parameters.AddWithValue("$user", userId);
        command.Parameters.AddWithValue("$hash", HashToken(token));
        command.Parameters.AddWithValue("$at", now);
        command.ExecuteNonQuery();
        return token;
    }

    private User? FindOne(string where, object key)
    {
        using var connection = _database.OpenConnection();
        return Find(connection, null, where, key);
    }

    private static User? Find(SqliteConnection connection, SqliteTransaction? transaction, string where, object key)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {UserColumns} FROM users WHERE {where}";
        command.Parameters.AddWithValue("$key", key);
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadUser(reader) : null;
    }

    private static void CheckUuidFree(SqliteConnection connection, SqliteTransaction transaction, string? eaUuid, long? exceptUserId)
    {
        if (eaUuid is not null && Find(connection, transaction, "ea_uuid = $key", eaUuid) is { } owner && owner.UserId != exceptUserId)
        {
            throw new InvalidOperationException($"EA uuid '{eaUuid}' is already bound to the user with telegram id {owner.TelegramId}");
        }
    }

    private static void CheckMode(Tier tier, FireMode mode)
    {
        if (mode == FireMode.Auto && !tier.AllowsAutoFire())
        {
            throw new ArgumentException($"AUTO mode is for COMMANDER only, not {tier.WireName()}", nameof(mode));
        }
    }

    private static void CheckUuid(string? eaUuid)
    {
        if (eaUuid is not null && string.IsNullOrWhiteSpace(eaUuid))
        {
            throw new ArgumentException("an EA uuid must not be blank", nameof(eaUuid));
        }
    }

    private static void AddAuto(SqliteCommand command, AutoFireSettings auto)
    {
        command.Parameters.AddWithValue("$min", auto.MinConfidence);
        command.Parameters.AddWithValue("$max", auto.MaxConfidence);
        command.Parameters.AddWithValue("$slots", auto.MaxSlots);
        command.Parameters.AddWithValue("$risk", auto.RiskPercent.ToString(CultureInfo.InvariantCulture));
    }

    private static User ReadUser(SqliteDataReader reader)
    {
        var tierText = reader.GetString(2);
        var modeText = reader.GetString(4);
        return new User(
            reader.GetInt64(0),
            reader.GetInt64(1),
            Tiers.TryParse(tierText, out var tier) ? tier : throw new InvalidDataException($"unknown tier '{tierText}' in users"),
            reader.GetString(3) == Role.Admin.WireName() ? Role.Admin : Role.User,
            Tiers.TryParseMode(modeText, out var mode) ? mode : throw new InvalidDataException($"unknown mode '{modeText}' in users"),
            new AutoFireSettings(
                reader.GetDouble(5),
                reader.GetDouble(6),
                reader.GetInt32(7),
                decimal.Parse(reader.GetString(8), NumberStyles.Number, CultureInfo.InvariantCulture)),
            reader.IsDBNull(9) ? null : reader.GetString(9),
            reader.GetInt64(10));
    }

    private static string Prefixed(string alias) =>
        string.Join(", ", UserColumns.Split(", ").Select(c => alias + c));

    private static InvalidOperationException NoUser(long telegramId) => new($"no user with telegram id {telegramId}");

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();
}
