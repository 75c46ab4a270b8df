using System.Data;
using System.Data.Common;
using System.Text.Json;
using Bitten.Domain.Events;

namespace Bitten.Persistence.Events;

/// <summary>One SQL statement with its named, typed parameters: prepared once per connection, run with many values.</summary>
internal sealed class Statement((string Name, DbType Type)[] parameters, string sql)
{
    public string Sql { get; } = sql;

    public (string Name, DbType Type)[] Parameters { get; } = parameters;

    public static Statement Of(string sql, params (string Name, DbType Type)[] parameters) => new(parameters, sql);

    /// <summary>A command for this statement on the connection, its parameters typed and named, no values yet.</summary>
    public DbCommand Prepare(DbConnection connection, DbTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = Sql;
        foreach (var (name, type) in Parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.DbType = type;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    /// <summary>Sets a prepared command's parameters from <paramref name="offset"/> on, in order (null as DBNull).</summary>
    public static DbCommand Bind(DbCommand command, object?[] values, int offset = 0)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[offset + i].Value = values[i] ?? DBNull.Value;
        }

        return command;
    }
}

/// <summary>A statement and the values of its parameters, in order.</summary>
internal readonly record struct Row(Statement Statement, object?[] Values);

/// <summary>
/// What each event changes in the projection tables of 0004_projections (signals, missions, positions, slots,
/// accounts). Pure: an event and its parsed data in, the statements to run out; the event log's writer runs them in
/// the transaction that stores the event. Every statement is an idempotent insert or a guarded update, so an event
/// seen twice, or out of order, never breaks a row that is already further along.
/// </summary>
internal static class Projections
{
    private const DbType Text = DbType.String;
    private const DbType Real = DbType.Double;
    private const DbType Whole = DbType.Int64;

    private static readonly Statement SignalRaised = Statement.Of("""
        INSERT INTO signals (signal_id, symbol, direction, pattern_type, confidence, citadel_score, entry_price, sl, tp, session,
                             generated_at_ms, expires_at_ms)
        VALUES (@signal, @symbol, @direction, @pattern, @confidence, @citadel, @entry, @sl, @tp, @session, @time, @expires)
        ON CONFLICT (signal_id) DO NOTHING
        """, ("@signal", Text), ("@symbol", Text), ("@direction", Text), ("@pattern", Text), ("@confidence", Real), ("@citadel", Real),
        ("@entry", Real), ("@sl", Real), ("@tp", Real), ("@session", Text), ("@time", Whole), ("@expires", Whole));

    private static readonly Statement SignalResolved = Statement.Of("""
        UPDATE signals SET outcome = @outcome, exit_price = @exit, pips = @pips, duration_minutes = @duration, resolved_at_ms = @time
        WHERE signal_id = @signal AND outcome IS NULL
        """, ("@outcome", Text), ("@exit", Real), ("@pips", Real), ("@duration", Real), ("@time", Whole), ("@signal", Text));

    private static readonly Statement MissionCreated = Statement.Of("""
        INSERT INTO missions (mission_id, signal_id, user_id, status, created_at_ms, updated_at_ms)
        VALUES (@mission, @signal, @user, 'PENDING', @time, @time)
        ON CONFLICT (mission_id) DO UPDATE SET created_at_ms = excluded.created_at_ms WHERE excluded.created_at_ms < missions.created_at_ms
        """, ("@mission", Text), ("@signal", Text), ("@user", Text), ("@time", Whole));

    // The fire may commit before its mission's event (fires jump the queue, behind their signal only): then it makes
    // the row, and the mission event that follows only corrects when it was created.
    private static readonly Statement MissionFired = Statement.Of("""
        INSERT INTO missions (mission_id, signal_id, user_id, status, fire_id, created_at_ms, updated_at_ms)
        VALUES (@mission, @signal, @user, 'FIRED', @fire, @time, @time)
        ON CONFLICT (mission_id) DO UPDATE SET status = 'FIRED', fire_id = excluded.fire_id, updated_at_ms = excluded.updated_at_ms
        WHERE missions.status = 'PENDING'
        """, ("@mission", Text), ("@signal", Text), ("@user", Text), ("@fire", Text), ("@time", Whole));

    /// <summary>A fill, a failure or a close moves the mission the fire belongs to, if it is still at the step before.</summary>
    private static Statement MissionStep(string to, string from) => Statement.Of($"""
        UPDATE missions SET status = '{to}', updated_at_ms = @time WHERE fire_id = @fire AND status IN ({from})
        """, ("@time", Whole), ("@fire", Text));

    private static readonly Statement MissionFilled = MissionStep("FILLED", "'PENDING', 'FIRED'");
    private static readonly Statement MissionFailed = MissionStep("FAILED", "'FIRED'");
    private static readonly Statement MissionClosed = MissionStep("CLOSED", "'FIRED', 'FILLED'");

    private static readonly Statement MissionExpired = Statement.Of("""
        UPDATE missions SET status = 'EXPIRED', updated_at_ms = @time WHERE mission_id = @mission AND status = 'PENDING'
        """, ("@time", Whole), ("@mission", Text));

    private static readonly Statement SlotTaken = Statement.Of("""
        INSERT INTO slots (fire_id, user_id, taken_at_ms) VALUES (@fire, @user, @time) ON CONFLICT (fire_id) DO NOTHING
        """, ("@fire", Text), ("@user", Text), ("@time", Whole));

    private static readonly Statement SlotReleased = Statement.Of("""
        UPDATE slots SET released_at_ms = @time, release_reason = @reason WHERE fire_id = @fire AND released_at_ms IS NULL
        """, ("@time", Whole), ("@reason", Text), ("@fire", Text));

    private static readonly Statement PositionOpened = Statement.Of("""
        INSERT INTO positions (user_id, ticket, fire_id, symbol, direction, volume, open_price, sl, tp, opened_at_ms)
        VALUES (@user, @ticket, @fire, @symbol, @direction, @volume, @price, @sl, @tp, @time)
        ON CONFLICT (user_id, ticket) DO NOTHING
        """, ("@user", Text), ("@ticket", Whole), ("@fire", Text), ("@symbol", Text), ("@direction", Text), ("@volume", Real),
        ("@price", Real), ("@sl", Real), ("@tp", Real), ("@time", Whole));

    private static readonly Statement PositionClosed = Statement.Of("""
        UPDATE positions SET closed_at_ms = @time, close_reason = @reason WHERE user_id = @user AND ticket = @ticket AND closed_at_ms IS NULL
        """, ("@time", Whole), ("@reason", Text), ("@user", Text), ("@ticket", Whole));

    // The newest report wins; an older one arriving late leaves the row alone.
    private static readonly Statement Balance = Statement.Of("""
        INSERT INTO accounts (user_id, account_number, balance, equity, updated_at_ms) VALUES (@user, @account, @balance, @equity, @time)
        ON CONFLICT (user_id) DO UPDATE SET account_number = excluded.account_number, balance = excluded.balance, equity = excluded.equity,
            updated_at_ms = excluded.updated_at_ms
        WHERE excluded.updated_at_ms >= accounts.updated_at_ms
        """, ("@user", Text), ("@account", Text), ("@balance", Real), ("@equity", Real), ("@time", Whole));

    /// <summary>
    /// What a fire stored (<see cref="FireStore.SaveNew(IReadOnlyList{StoredFire})"/>) changes: its mission is FIRED and
    /// its slot taken, in the fire's own transaction. Not from the fire_command event: that records the decision, and a
    /// crash between it and the fire's commit would leave a slot held for a fire that was never stored, so never sent.
    /// Prepared once per burst of fires and run for each (preparing per fire cost a burst of 100 fires 10 ms).
    /// </summary>
    public sealed class FireStoredCommands(DbConnection connection, DbTransaction transaction) : IDisposable
    {
        private readonly DbCommand _mission = MissionFired.Prepare(connection, transaction);
        private readonly DbCommand _slot = SlotTaken.Prepare(connection, transaction);

        public void Run(StoredFire fire)
        {
            Statement.Bind(_mission, MissionFiredValues(fire)).ExecuteNonQuery();
            Statement.Bind(_slot, SlotTakenValues(fire)).ExecuteNonQuery();
        }

        public void Dispose()
        {
            _mission.Dispose();
            _slot.Dispose();
        }
    }

    /// <summary>What a stored fire changes (as <see cref="FireStoredCommands"/> runs it), as rows to run many at once.</summary>
    public static void FireStored(StoredFire fire, List<Row> rows)
    {
        rows.Add(new(MissionFired, MissionFiredValues(fire)));
        rows.Add(new(SlotTaken, SlotTakenValues(fire)));
    }

    private static object?[] MissionFiredValues(StoredFire fire) =>
        [fire.MissionId, fire.SignalId, fire.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture), fire.FireId, fire.CreatedAtMs];

    private static object?[] SlotTakenValues(StoredFire fire) =>
        [fire.FireId, fire.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture), fire.CreatedAtMs];

    /// <summary>Event types that change a projection: only these have their data parsed for it.</summary>
    public static bool Changes(string eventType) => eventType is EventTypes.SignalGenerated or EventTypes.SignalResolved
        or EventTypes.MissionCreated or EventTypes.TradeExecuted or EventTypes.FireFailed
        or EventTypes.PositionClosed or EventTypes.SlotReleased or EventTypes.SignalExpired or EventTypes.BalanceUpdate;

    /// <summary>Adds the statements the event calls for; an event lacking what a statement needs adds nothing for it.</summary>
    public static void For(EventEnvelope e, JsonElement data, List<Row> rows)
    {
        var t = e.TimestampMs;
        var user = e.UserId ?? Fields.Text(data, EventFields.UserId);
        var fire = Fields.Text(data, EventFields.FireId);
        switch (e.EventType)
        {
            case EventTypes.SignalGenerated when Fields.Text(data, EventFields.SignalId) is { } signal && Fields.Text(data, EventFields.Symbol) is { } symbol
                && Fields.Text(data, EventFields.Direction) is { } direction && Fields.Text(data, EventFields.PatternType) is { } pattern
                && Fields.Number(data, EventFields.Confidence) is { } confidence:
                rows.Add(new(SignalRaised, [signal, symbol, direction, pattern, confidence, Fields.Number(data, EventFields.CitadelScore),
                    Fields.Number(data, EventFields.EntryPrice), Fields.Number(data, EventFields.Sl), Fields.Number(data, EventFields.Tp), Fields.Text(data, EventFields.Session), t,
                    Fields.Time(data, EventFields.ExpiresAt)]));
                break;
            case EventTypes.SignalResolved when Fields.Text(data, EventFields.SignalId) is { } signal && Fields.Text(data, EventFields.Outcome) is { } outcome:
                rows.Add(new(SignalResolved, [outcome, Fields.Number(data, EventFields.ExitPrice), Fields.Number(data, EventFields.Pips),
                    Fields.Number(data, EventFields.DurationMinutes), t, signal]));
                break;
            case EventTypes.MissionCreated when Fields.Text(data, EventFields.MissionId) is { } mission && Fields.Text(data, EventFields.SignalId) is { } signal
                && user is not null:
                rows.Add(new(MissionCreated, [mission, signal, user, t]));
                break;
            case EventTypes.TradeExecuted when fire is not null:
                rows.Add(new(MissionFilled, [t, fire]));
                if (user is not null && Fields.Integer(data, EventFields.Ticket) is { } ticket && Fields.Text(data, EventFields.Symbol) is { } traded
                    && Fields.Text(data, EventFields.Direction) is { } side && Fields.Number(data, EventFields.Volume) is { } volume
                    && Fields.Number(data, EventFields.OpenPrice) is { } price)
                {
                    rows.Add(new(PositionOpened, [user, ticket, fire.Length == 0 ? null : fire, traded, side, volume, price,
                        Fields.Number(data, EventFields.SlPrice), Fields.Number(data, EventFields.TpPrice), t]));
                }

                break;
            case EventTypes.FireFailed when fire is not null:
                rows.Add(new(MissionFailed, [t, fire]));
                break;
            case EventTypes.PositionClosed:
                if (fire is not null)
                {
                    rows.Add(new(MissionClosed, [t, fire]));
                }

                if (user is not null && Fields.Integer(data, EventFields.Ticket) is { } closed)
                {
                    rows.Add(new(PositionClosed, [t, Fields.Text(data, EventFields.Reason), user, closed]));
                }

                break;
            case EventTypes.SlotReleased when fire is not null:
                rows.Add(new(SlotReleased, [t, Fields.Text(data, EventFields.Reason), fire]));
                break;
            case EventTypes.SignalExpired when Fields.Text(data, EventFields.MissionId) is { } expired:
                rows.Add(new(MissionExpired, [t, expired]));
                break;
            case EventTypes.BalanceUpdate when user is not null && Fields.Number(data, EventFields.Balance) is { } balance
                && Fields.Number(data, EventFields.Equity) is { } equity:
                rows.Add(new(Balance, [user, Fields.Text(data, EventFields.AccountNumber), balance, equity, t]));
                break;
        }
    }
}

/// <summary>Reading fields of an event's data: text (a number's text too), finite numbers, integers, Unix-ms times.</summary>
internal static class Fields
{
    public static JsonDocument? TryParse(string json)
    {
        try
        {
            var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return document;
            }

            document.Dispose();
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string? Text(JsonElement data, string name) =>
        data.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            _ => null,
        } : null;

    public static double? Number(JsonElement data, string name) =>
        data.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && double.IsFinite(d) ? d : null;

    public static long? Integer(JsonElement data, string name) =>
        data.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var l) ? l : null;

    /// <summary>Unix ms from ms or the original's epoch seconds, the same rule as the bus's validation.</summary>
    public static long? Time(JsonElement data, string name) =>
        Number(data, name) is { } t && t > 0 ? (long)Math.Round(t < 1e11 ? t * 1000 : t, MidpointRounding.AwayFromZero) : null;
}
