using System.Data;
using System.Data.Common;
using Npgsql;
using NpgsqlTypes;
using EventLog = Bitten.Persistence.Events.EventLog;

namespace Bitten.Persistence.Events;

/// <summary>
/// The event log's rows for PostgreSQL, gathered until the writer sends them: a few go as one batch of statements
/// (each event's insert with its typed row through a data-modifying WITH); a burst goes by binary COPY — the ids taken
/// from the events' own identity sequence in one round trip, then one COPY for the events and one per typed table. A
/// statement per event costs the server a parse, plan and executor start each; COPY streams the rows.
/// </summary>
internal sealed class PostgresCopy
{
    /// <summary>From this many events a COPY beats the batch (two or three extra round trips against one statement each).</summary>
    public const int CopyFrom = 32;

    private readonly List<Pending> _events = [];
    private readonly List<Row> _projections = [];
    private string? _sequence;

    public int Count => _events.Count;

    public void Add(object?[] eventValues, EventLog.TypedTable? table, object?[]? typedValues, List<Row> projections)
    {
        _events.Add(new Pending(eventValues, table, typedValues));
        _projections.AddRange(projections);
    }

    public void Clear()
    {
        _events.Clear();
        _projections.Clear();
    }

    /// <summary>Writes what was gathered, in the transaction; the projections after the events, in the order they came.</summary>
    public void Send(DbConnection connection, DbTransaction transaction)
    {
        try
        {
            if (_events.Count >= CopyFrom && connection is NpgsqlConnection npgsql)
            {
                Copy(npgsql, transaction);
                RunBatch(connection, transaction, events: false);
            }
            else
            {
                RunBatch(connection, transaction, events: true);
            }
        }
        finally
        {
            Clear();
        }
    }

    private void Copy(NpgsqlConnection connection, DbTransaction transaction)
    {
        var ids = TakeIds(connection, transaction, _events.Count);
        using (var events = connection.BeginBinaryImport(
            "COPY events (id, type_code, timestamp_ms, source_code, correlation_id, user_id, session_id, data_json, created_at_ms) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < _events.Count; i++)
            {
                var v = _events[i].EventValues;
                events.StartRow();
                events.Write(ids[i], NpgsqlDbType.Bigint);
                events.Write((int)v[0]!, NpgsqlDbType.Integer);
                events.Write((long)v[1]!, NpgsqlDbType.Bigint);
                events.Write((int)v[2]!, NpgsqlDbType.Integer);
                Text(events, v[3]);
                Text(events, v[4]);
                Text(events, v[5]);
                events.Write((string)v[6]!, NpgsqlDbType.Text);
                events.Write((long)v[7]!, NpgsqlDbType.Bigint);
            }

            events.Complete();
        }

        foreach (var table in _events.Select(e => e.Table).OfType<EventLog.TypedTable>().Distinct())
        {
            using var rows = connection.BeginBinaryImport($"COPY {table.Name} (event_id, {table.ColumnList}) FROM STDIN (FORMAT BINARY)");
            for (var i = 0; i < _events.Count; i++)
            {
                if (!ReferenceEquals(_events[i].Table, table))
                {
                    continue;
                }

                rows.StartRow();
                rows.Write(ids[i], NpgsqlDbType.Bigint);
                var values = _events[i].TypedValues!;
                for (var c = 0; c < table.Parameters.Length; c++)
                {
                    Value(rows, values[c], table.Parameters[c].Type);
                }
            }

            rows.Complete();
        }
    }

    /// <summary>As many ids as rows from the events' identity, in one round trip: the typed rows need them before the COPY.</summary>
    private long[] TakeIds(NpgsqlConnection connection, DbTransaction transaction, int count)
    {
        using var command = connection.CreateCommand();
        command.Transaction = (NpgsqlTransaction)transaction;
        if (_sequence is null)
        {
            command.CommandText = "SELECT pg_get_serial_sequence('events', 'id')";
            _sequence = (string)command.ExecuteScalar()!;
        }

        command.CommandText = "SELECT nextval(@sequence::regclass) FROM generate_series(1, @count)";
        command.Parameters.AddWithValue("sequence", _sequence);
        command.Parameters.AddWithValue("count", count);
        var ids = new long[count];
        using var reader = command.ExecuteReader();
        for (var i = 0; i < count && reader.Read(); i++)
        {
            ids[i] = reader.GetInt64(0);
        }

        return ids;
    }

    private void RunBatch(DbConnection connection, DbTransaction transaction, bool events)
    {
        using var batch = connection.CreateBatch();
        batch.Transaction = transaction;
        if (events)
        {
            // Few rows: each event and its typed row as one statement (the typed insert reads the new id from the WITH).
            foreach (var pending in _events)
            {
                var command = batch.CreateBatchCommand();
                command.CommandText = pending.Table is null ? EventLog.InsertEvent : pending.Table.WithEventSql;
                EventLog.AddParameters(command, EventLog.EventParameters, pending.EventValues);
                if (pending.Table is not null)
                {
                    EventLog.AddParameters(command, pending.Table.Parameters, pending.TypedValues!);
                }

                batch.BatchCommands.Add(command);
            }
        }

        PostgresSets.AddTo(batch, _projections);

        if (batch.BatchCommands.Count > 0)
        {
            batch.ExecuteNonQuery();
        }
    }

    private static void Text(NpgsqlBinaryImporter row, object? value)
    {
        if (value is string text)
        {
            row.Write(text, NpgsqlDbType.Text);
        }
        else
        {
            row.WriteNull();
        }
    }

    private static void Value(NpgsqlBinaryImporter row, object? value, DbType type)
    {
        if (value is null)
        {
            row.WriteNull();
            return;
        }

        switch (type)
        {
            case DbType.String:
                row.Write((string)value, NpgsqlDbType.Text);
                break;
            case DbType.Int64:
                row.Write(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture), NpgsqlDbType.Bigint);
                break;
            case DbType.Double:
                row.Write(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture), NpgsqlDbType.Double);
                break;
            default:
                throw new NotSupportedException($"no COPY mapping for a typed column of {type}");
        }
    }

    private readonly record struct Pending(object?[] EventValues, EventLog.TypedTable? Table, object?[]? TypedValues);
}
