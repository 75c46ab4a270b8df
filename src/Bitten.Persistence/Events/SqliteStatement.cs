using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Bitten.Persistence.Events;

/// <summary>
/// One of the event log writer's statements prepared on the SQLite connection's own handle and run by step and reset:
/// the path Microsoft.Data.Sqlite itself takes, without the data reader, parameter lookup and type inference it adds
/// to every command run (profiled: more of the writer's time than SQLite's own work). Runs inside whatever
/// transaction or savepoint the connection has open, as any command on it would.
/// </summary>
internal sealed class SqliteStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly int[] _index;

    public SqliteStatement(SqliteConnection connection, Statement statement)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("the connection is not open");
        Check(raw.sqlite3_prepare_v2(_db, statement.Sql, out _statement));
        // By name: a parameter used twice in the SQL (@time) is one slot, and the order of first use is SQLite's.
        _index = [.. statement.Parameters.Select(p => raw.sqlite3_bind_parameter_index(_statement, p.Name))];
    }

    /// <summary>Binds the values (in the statement's parameter order) and runs it once; returns the rows it changed.</summary>
    public int Run(object?[] values)
    {
        try
        {
            for (var i = 0; i < values.Length; i++)
            {
                Bind(_index[i], values[i]);
            }

            var rc = raw.sqlite3_step(_statement);
            if (rc != raw.SQLITE_DONE && rc != raw.SQLITE_ROW)
            {
                Check(rc);
            }

            return raw.sqlite3_changes(_db);
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    public void Dispose() => _statement.Dispose();

    private void Bind(int index, object? value)
    {
        var rc = value switch
        {
            null => raw.sqlite3_bind_null(_statement, index),
            string text => raw.sqlite3_bind_text16(_statement, index, text),
            long whole => raw.sqlite3_bind_int64(_statement, index, whole),
            int whole => raw.sqlite3_bind_int64(_statement, index, whole),
            double real => raw.sqlite3_bind_double(_statement, index, real),
            decimal real => raw.sqlite3_bind_double(_statement, index, (double)real),
            bool flag => raw.sqlite3_bind_int64(_statement, index, flag ? 1 : 0),
            _ => throw new ArgumentException($"the event log binds text, numbers and null, not {value.GetType().Name}", nameof(value)),
        };
        Check(rc);
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }
}
