using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using Bitten.Domain.Users;

namespace Bitten.Persistence;

/// <summary>Users who register through the bot, their choices there, and the press pass (PRODUCT.md §5).</summary>
public sealed partial class UserStore
{
    /// <summary>Starts every press-pass EA uuid: a server-side account, never shared credentials.</summary>
    public const string PressPassEaPrefix = "PRESS_";

    /// <summary>
    /// /start: a new RECRUIT in MANUAL mode (no token: the bot needs none), or — when the Telegram id is known — that
    /// user unchanged. <c>Created</c> tells which.
    /// </summary>
    public (User User, bool Created) Register(long telegramId)
    {
        if (ByTelegramId(telegramId) is { } existing)
        {
            return (existing, false);
        }

        try
        {
            using var connection = _database.OpenConnection();
            using var transaction = connection.BeginTransaction();
            using (var insert = connection.CreateCommand())
            {
                insert.Transaction = transaction;
                insert.CommandText = """
                    INSERT INTO users (telegram_id, tier, role, mode, auto_min, auto_max, auto_slots, auto_risk, ea_uuid, created_at_ms)
                    VALUES (@telegram, @tier, @role, @mode, @min, @max, @slots, @risk, NULL, @at)
                    """;
                insert.Add("@telegram", telegramId);
                insert.Add("@tier", Tier.Recruit.WireName());
                insert.Add("@role", Role.User.WireName());
                insert.Add("@mode", FireMode.Manual.WireName());
                AddAuto(insert, AutoFireSettings.Default);
                insert.Add("@at", NowMs());
                insert.ExecuteNonQuery();
            }

            var user = Find(connection, transaction, "telegram_id = @key", telegramId)
                ?? throw new InvalidOperationException("the user just registered is missing");
            transaction.Commit();
            return (user, true);
        }
        catch (DbException e) when (Database.ViolationOf(e) == Violation.Unique && ByTelegramId(telegramId) is { } raced)
        {
            // Two /start racing: the other one registered them.
            return (raced, false);
        }
    }

    /// <summary>Changes the choices given (null: unchanged) and returns the user as stored.</summary>
    /// <exception cref="InvalidOperationException">No such user.</exception>
    public User SetPreferences(long telegramId, bool? missionAlerts, bool? onLeaderboard)
    {
        using var connection = _database.OpenConnection();
        using var transaction = connection.BeginTransaction();
        var user = Find(connection, transaction, "telegram_id = @key", telegramId) ?? throw NoUser(telegramId);
        var updated = user with
        {
            MissionAlerts = missionAlerts ?? user.MissionAlerts,
            OnLeaderboard = onLeaderboard ?? user.OnLeaderboard,
        };
        using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "UPDATE users SET mission_alerts = @alerts, on_leaderboard = @board WHERE user_id = @id";
            command.Add("@alerts", updated.MissionAlerts ? 1 : 0);
            command.Add("@board", updated.OnLeaderboard ? 1 : 0);
            command.Add("@id", user.UserId);
            command.ExecuteNonQuery();
        }

        transaction.Commit();
        return updated;
    }

    /// <summary>
    /// Grants a press pass of <paramref name="length"/> from <paramref name="nowMs"/>, at most
    /// <paramref name="perDay"/> per UTC day, once per person, to RECRUITs only — all in one transaction: the user
    /// becomes PRESS_PASS with a fresh server-side EA uuid (<c>PRESS_{userId}_{random}</c>) for the simulated account.
    /// </summary>
    public PressPassGrant GrantPressPass(long telegramId, long nowMs, TimeSpan length, int perDay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(length, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(perDay, 1);
        try
        {
            return GrantChecked(telegramId, nowMs, length, perDay);
        }
        catch (DbException e) when (Database.ViolationOf(e) == Violation.Unique)
        {
            // The same user claiming twice at once: the other claim holds the pass (press_passes' key).
            return PressPassGrant.Refuse(PressPassRefusal.AlreadyUsed, ByTelegramId(telegramId));
        }
    }

    private PressPassGrant GrantChecked(long telegramId, long nowMs, TimeSpan length, int perDay)
    {
        var day = PressPassRules.Day(nowMs);
        using var connection = _database.OpenConnection();
        using var transaction = connection.BeginTransaction();
        var user = Find(connection, transaction, "telegram_id = @key", telegramId);
        var usedBefore = user is not null && Count(connection, transaction, "SELECT COUNT(*) FROM press_passes WHERE user_id = @key", user.UserId) > 0;
        var grantedToday = (int)Count(connection, transaction, "SELECT COALESCE(MAX(granted), 0) FROM press_pass_days WHERE day = @key", day);
        if (PressPassRules.Refusal(user, usedBefore, grantedToday, perDay) is { } refusal)
        {
            return PressPassGrant.Refuse(refusal, user);
        }

        // The count above may be stale by now (another writer); this statement is the cap's real guard.
        using (var count = connection.CreateCommand())
        {
            count.Transaction = transaction;
            count.CommandText = """
                INSERT INTO press_pass_days (day, granted) VALUES (@day, 1)
                ON CONFLICT (day) DO UPDATE SET granted = press_pass_days.granted + 1 WHERE press_pass_days.granted < @cap
                """;
            count.Add("@day", day);
            count.Add("@cap", perDay);
            if (count.ExecuteNonQuery() != 1)
            {
                return PressPassGrant.Refuse(PressPassRefusal.DailyCapReached, user);
            }
        }

        var expires = nowMs + (long)length.TotalMilliseconds;
        using (var record = connection.CreateCommand())
        {
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO press_passes (user_id, granted_at_ms, expires_at_ms, day) VALUES (@user, @at, @expires, @day)";
            record.Add("@user", user!.UserId);
            record.Add("@at", nowMs);
            record.Add("@expires", expires);
            record.Add("@day", day);
            record.ExecuteNonQuery();
        }

        var granted = user with
        {
            Tier = Tier.PressPass,
            EaUuid = $"{PressPassEaPrefix}{user.UserId.ToString(CultureInfo.InvariantCulture)}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}",
            PressPassExpiresMs = expires,
        };
        using (var update = connection.CreateCommand())
        {
            update.Transaction = transaction;
            // Conditional on the tier read above, so a tier an admin set meanwhile is not overwritten.
            update.CommandText = """
                UPDATE users SET tier = @tier, ea_uuid = @uuid, press_pass_expires_ms = @expires, press_pass_reminded = 0
                WHERE user_id = @id AND tier = @was
                """;
            update.Add("@tier", granted.Tier.WireName());
            update.Add("@uuid", granted.EaUuid);
            update.Add("@expires", expires);
            update.Add("@id", user.UserId);
            update.Add("@was", user.Tier.WireName());
            if (update.ExecuteNonQuery() != 1)
            {
                return PressPassGrant.Refuse(PressPassRefusal.AlreadySubscribed, user);
            }
        }

        transaction.Commit();
        return PressPassGrant.Grant(granted);
    }

    /// <summary>Users whose press pass has run out (expiry at or before <paramref name="nowMs"/>) and who are still PRESS_PASS.</summary>
    public IReadOnlyList<User> PressPassesDue(long nowMs) =>
        FindAll("tier = @tier AND press_pass_expires_ms IS NOT NULL AND press_pass_expires_ms <= @now", nowMs);

    /// <summary>Every user on a running press pass, for starting their simulated accounts.</summary>
    public IReadOnlyList<User> ActivePressPasses(long nowMs) =>
        FindAll("tier = @tier AND press_pass_expires_ms IS NOT NULL AND press_pass_expires_ms > @now", nowMs);

    /// <summary>
    /// Ends a press pass: the user is a RECRUIT in MANUAL mode again and the simulated account's uuid is released.
    /// Their history (fires, events, when the pass ended) is kept. Returns the user as now, or null when they are not
    /// on a press pass (already ended, or an admin changed the tier).
    /// </summary>
    public User? ExpirePressPass(long userId)
    {
        using var connection = _database.OpenConnection();
        using var transaction = connection.BeginTransaction();
        using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "UPDATE users SET tier = @recruit, mode = @manual, ea_uuid = NULL WHERE user_id = @id AND tier = @pass";
            command.Add("@recruit", Tier.Recruit.WireName());
            command.Add("@manual", FireMode.Manual.WireName());
            command.Add("@id", userId);
            command.Add("@pass", Tier.PressPass.WireName());
            if (command.ExecuteNonQuery() != 1)
            {
                return null;
            }
        }

        var user = Find(connection, transaction, "user_id = @key", userId);
        transaction.Commit();
        return user;
    }

    /// <summary>Running press passes that end within <paramref name="before"/> and have not been reminded.</summary>
    public IReadOnlyList<User> PressPassRemindersDue(long nowMs, TimeSpan before) =>
        [.. FindAll("tier = @tier AND press_pass_reminded = 0 AND press_pass_expires_ms IS NOT NULL AND press_pass_expires_ms > @now", nowMs)
            .Where(u => PressPassRules.WantsReminder(u, nowMs, before))];

    /// <summary>Records that the user's reminder went out, so it goes out once, across restarts too.</summary>
    public void MarkReminded(long userId)
    {
        using var connection = _database.OpenConnection();
        Execute(connection, "UPDATE users SET press_pass_reminded = 1 WHERE user_id = @key", userId);
    }

    private List<User> FindAll(string where, long nowMs)
    {
        using var connection = _database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {UserColumns} FROM users WHERE {where} ORDER BY user_id";
        command.Add("@tier", Tier.PressPass.WireName());
        command.Add("@now", nowMs);
        using var reader = command.ExecuteReader();
        var users = new List<User>();
        while (reader.Read())
        {
            users.Add(ReadUser(reader));
        }

        return users;
    }

    private static long Count(DbConnection connection, DbTransaction transaction, string sql, object key)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Add("@key", key);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static void Execute(DbConnection connection, string sql, object key)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Add("@key", key);
        command.ExecuteNonQuery();
    }
}
