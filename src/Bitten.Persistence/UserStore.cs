using System.Buffers.Text;
using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Bitten.Domain.Users;

namespace Bitten.Persistence;

/// <summary>
/// Users, their API tokens and EA pairing codes. Tokens are 32 random bytes (base64url) handed out once and kept
/// only as a SHA-256 hash, so whoever reads the database cannot log in; a new token revokes the older ones.
/// </summary>
public sealed partial class UserStore
{
    /// <summary>No 0/O, 1/I/L: a code read off a phone and typed into an EA's inputs.</summary>
    public const string PairingAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

    public const int PairingCodeLength = 8;

    private const string UserColumns =
        "user_id, telegram_id, tier, role, mode, auto_min, auto_max, auto_slots, auto_risk, ea_uuid, created_at_ms, " +
        "press_pass_expires_ms, mission_alerts, on_leaderboard";

    private readonly IDatabase _database;
    private readonly TimeProvider _time;

    public UserStore(IDatabase database, TimeProvider time)
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
        try
        {
            return AddChecked(telegramId, tier, role, mode, eaUuid);
        }
        catch (DbException e) when (Database.ViolationOf(e) == Violation.Unique)
        {
            // Another writer got in between the checks and the insert (PostgreSQL lets two in at once): the same
            // refusal the checks give, read after the failed transaction is gone.
            throw Taken(telegramId, eaUuid, e);
        }
    }

    private (User User, string Token) AddChecked(long telegramId, Tier tier, Role role, FireMode mode, string? eaUuid)
    {
        var now = NowMs();
        using var connection = _database.OpenConnection();
        using var transaction = connection.BeginTransaction();
        if (Find(connection, transaction, "telegram_id = @key", telegramId) is { } existing)
        {
            throw TelegramTaken(existing);
        }

        CheckUuidFree(connection, transaction, eaUuid, exceptUserId: null);
        var auto = AutoFireSettings.Default;
        using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO users (telegram_id, tier, role, mode, auto_min, auto_max, auto_slots, auto_risk, ea_uuid, created_at_ms)
                VALUES (@telegram, @tier, @role, @mode, @min, @max, @slots, @risk, @uuid, @at)
                """;
            insert.Add("@telegram", telegramId);
            insert.Add("@tier", tier.WireName());
            insert.Add("@role", role.WireName());
            insert.Add("@mode", mode.WireName());
            AddAuto(insert, auto);
            insert.Add("@uuid", eaUuid);
            insert.Add("@at", now);
            insert.ExecuteNonQuery();
        }

        var user = Find(connection, transaction, "telegram_id = @key", telegramId)
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

    public User? ByTelegramId(long telegramId) => FindOne("telegram_id = @key", telegramId);

    public User? ById(long userId) => FindOne("user_id = @key", userId);

    public User? ByEaUuid(string eaUuid) => FindOne("ea_uuid = @key", eaUuid);

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

        try
        {
            return UpdateChecked(telegramId, tier, mode, auto, eaUuid);
        }
        catch (DbException e) when (Database.ViolationOf(e) == Violation.Unique)
        {
            // Only ea_uuid can clash here, and only when another writer bound it after the check.
            throw Taken(null, eaUuid, e);
        }
    }

    private User UpdateChecked(long telegramId, Tier? tier, FireMode? mode, AutoFireSettings? auto, string? eaUuid)
    {
        using var connection = _database.OpenConnection();
        using var transaction = connection.BeginTransaction();
        var user = Find(connection, transaction, "telegram_id = @key", telegramId) ?? throw NoUser(telegramId);
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
                UPDATE users SET tier = @tier, mode = @mode, auto_min = @min, auto_max = @max, auto_slots = @slots,
                    auto_risk = @risk, ea_uuid = @uuid
                WHERE user_id = @id
                """;
            command.Add("@tier", updated.Tier.WireName());
            command.Add("@mode", updated.Mode.WireName());
            AddAuto(command, updated.Auto);
            command.Add("@uuid", updated.EaUuid);
            command.Add("@id", user.UserId);
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
        var user = Find(connection, transaction, "telegram_id = @key", telegramId) ?? throw NoUser(telegramId);
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
            WHERE t.token_hash = @hash AND t.revoked = 0
            """;
        command.Add("@hash", HashToken(token));
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
        _ = Find(connection, transaction, "user_id = @key", userId)
            ?? throw new InvalidOperationException($"no user with id {userId}");
        var expires = _time.GetUtcNow().Add(ttl).ToUnixTimeMilliseconds();
        while (true)
        {
            var code = new string(RandomNumberGenerator.GetItems<char>(PairingAlphabet, PairingCodeLength));
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            // 31^8 codes: a clash is next to impossible, but one must not hand out a code that is someone else's.
            // ON CONFLICT DO NOTHING rather than INSERT OR IGNORE: both providers accept it, and it ignores only the clash.
            insert.CommandText = """
                INSERT INTO pairing_codes (code, user_id, expires_at_ms) VALUES (@code, @user, @expires)
                ON CONFLICT (code) DO NOTHING
                """;
            insert.Add("@code", code);
            insert.Add("@user", userId);
            insert.Add("@expires", expires);
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
            select.CommandText = "SELECT user_id FROM pairing_codes WHERE code = @code AND used_at_ms IS NULL AND expires_at_ms > @now";
            select.Add("@code", code.Trim().ToUpperInvariant());
            select.Add("@now", now);
            if (select.ExecuteScalar() is not long found)
            {
                return null;
            }

            userId = found;
        }

        if (Find(connection, transaction, "ea_uuid = @key", eaUuid) is { } owner && owner.UserId != userId)
        {
            return null;
        }

        using (var use = connection.CreateCommand())
        {
            use.Transaction = transaction;
            // Conditional, so of two redeems racing on PostgreSQL (read committed) only one uses the code.
            use.CommandText = "UPDATE pairing_codes SET used_at_ms = @now WHERE code = @code AND used_at_ms IS NULL";
            use.Add("@now", now);
            use.Add("@code", code.Trim().ToUpperInvariant());
            if (use.ExecuteNonQuery() != 1)
            {
                return null;
            }
        }

        using (var bind = connection.CreateCommand())
        {
            bind.Transaction = transaction;
            bind.CommandText = "UPDATE users SET ea_uuid = @uuid WHERE user_id = @user";
            bind.Add("@uuid", eaUuid);
            bind.Add("@user", userId);
            try
            {
                bind.ExecuteNonQuery();
            }
            catch (DbException e) when (Database.ViolationOf(e) == Violation.Unique)
            {
                // Bound to another user since the check: as refused as if the check had seen it; the code stays usable.
                return null;
            }
        }

        var user = Find(connection, transaction, "user_id = @key", userId);
        transaction.Commit();
        return user;
    }

    /// <summary>What is stored for a token: its SHA-256 as lower-case hex.</summary>
    public static string HashToken(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private string IssueToken(DbConnection connection, DbTransaction transaction, long userId, long now)
    {
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        using (var revoke = connection.CreateCommand())
        {
            revoke.Transaction = transaction;
            revoke.CommandText = "UPDATE api_tokens SET revoked = 1 WHERE user_id = @user AND revoked = 0";
            revoke.Add("@user", userId);
            revoke.ExecuteNonQuery();
        }

        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO api_tokens (token_hash, user_id, created_at_ms, revoked) VALUES (@hash, @user, @at, 0)";
        insert.Add("@hash", HashToken(token));
        insert.Add("@user", userId);
        insert.Add("@at", now);
        insert.ExecuteNonQuery();
        return token;
    }

    private User? FindOne(string where, object key)
    {
        using var connection = _database.OpenConnection();
        return Find(connection, null, where, key);
    }

    private static User? Find(DbConnection connection, DbTransaction? transaction, string where, object key)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {UserColumns} FROM users WHERE {where}";
        command.Add("@key", key);
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadUser(reader) : null;
    }

    private static void CheckUuidFree(DbConnection connection, DbTransaction transaction, string? eaUuid, long? exceptUserId)
    {
        if (eaUuid is not null && Find(connection, transaction, "ea_uuid = @key", eaUuid) is { } owner && owner.UserId != exceptUserId)
        {
            throw UuidTaken(eaUuid, owner);
        }
    }

    private static InvalidOperationException TelegramTaken(User existing) =>
        new($"a user with telegram id {existing.TelegramId} already exists (user {existing.UserId})");

    private static InvalidOperationException UuidTaken(string eaUuid, User owner) =>
        new($"EA uuid '{eaUuid}' is already bound to the user with telegram id {owner.TelegramId}");

    /// <summary>The refusal for a unique violation the checks did not see coming, worded as the checks word it.</summary>
    private InvalidOperationException Taken(long? telegramId, string? eaUuid, DbException e)
    {
        if (telegramId is { } id && ByTelegramId(id) is { } existing)
        {
            return TelegramTaken(existing);
        }

        return eaUuid is not null && ByEaUuid(eaUuid) is { } owner
            ? UuidTaken(eaUuid, owner)
            : new InvalidOperationException($"the user clashes with one stored meanwhile: {e.Message}", e);
    }

    private static void CheckMode(Tier tier, FireMode mode)
    {
        if (mode == FireMode.Auto && !tier.AllowsAutoFire())
        {
            throw new ArgumentException(tier.AutoFireRefusal(), nameof(mode));
        }
    }

    private static void CheckUuid(string? eaUuid)
    {
        if (eaUuid is not null && string.IsNullOrWhiteSpace(eaUuid))
        {
            throw new ArgumentException("an EA uuid must not be blank", nameof(eaUuid));
        }
    }

    private static void AddAuto(DbCommand command, AutoFireSettings auto)
    {
        command.Add("@min", auto.MinConfidence);
        command.Add("@max", auto.MaxConfidence);
        command.Add("@slots", auto.MaxSlots);
        command.Add("@risk", auto.RiskPercent.ToString(CultureInfo.InvariantCulture));
    }

    private static User ReadUser(DbDataReader reader)
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
            reader.GetInt64(10),
            reader.IsDBNull(11) ? null : reader.GetInt64(11),
            reader.GetInt32(12) != 0,
            reader.GetInt32(13) != 0);
    }

    private static string Prefixed(string alias) =>
        string.Join(", ", UserColumns.Split(", ").Select(c => alias + c));

    private static InvalidOperationException NoUser(long telegramId) => new($"no user with telegram id {telegramId}");

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();
}
