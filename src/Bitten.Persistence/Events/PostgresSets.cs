using System.Data;
using System.Collections.Concurrent;
using System.Data.Common;
using System.Text.RegularExpressions;
using Npgsql;
using NpgsqlTypes;

namespace Bitten.Persistence.Events;

/// <summary>
/// The projections' statements for PostgreSQL, many rows at once: a run of rows for one statement goes as that
/// statement over arrays (<c>unnest</c>), one statement where there were many. Each statement PostgreSQL runs costs an
/// executor start and an index descent of its own; a burst's projections were half the writer's time (bench events
/// with and without them: 41–49k against 80–87k events/s, 2026-12-04).
/// </summary>
/// <remarks>
/// Same result as the rows one by one, because of three rules. A run only holds rows of one insert whose key values
/// (the parameters its conflict target reads) are all different, so no row of the table is touched by two rows of a
/// run (PostgreSQL refuses an ON CONFLICT DO UPDATE that would). Statements on different tables may change places; on one table they keep their
/// order. Nothing else reads the projection tables inside the writer's transaction, and they have no triggers or
/// foreign keys between them.
/// </remarks>
internal static partial class PostgresSets
{
    // Each statement's form, parsed once per process: the writer and the fire store's filing share them.
    private static readonly ConcurrentDictionary<Statement, Form> Forms = new();

    /// <summary>The rows as batch commands: each run of one statement as one command, each table's commands in the rows' order.</summary>
    public static void AddTo(DbBatch batch, List<Row> rows)
    {
        var open = new Dictionary<string, Run>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var form = Forms.GetOrAdd(row.Statement, Form.Of);
            if (open.TryGetValue(form.Table, out var run))
            {
                if (ReferenceEquals(run.Statement, row.Statement) && form.SetSql is not null && run.Keys.Add(form.Key(row.Values)))
                {
                    run.Rows.Add(row.Values);
                    continue;
                }

                Add(batch, run);
            }

            run = new Run(row.Statement, form);
            run.Keys.Add(form.Key(row.Values));
            run.Rows.Add(row.Values);
            open[form.Table] = run;
        }

        foreach (var run in open.Values)
        {
            Add(batch, run);
        }
    }

    private static void Add(DbBatch batch, Run run)
    {
        var command = batch.CreateBatchCommand();
        var statement = run.Statement;
        if (run.Rows.Count == 1)
        {
            command.CommandText = statement.Sql;
            EventLog.AddParameters(command, statement.Parameters, run.Rows[0]);
        }
        else
        {
            command.CommandText = run.Form.SetSql!;
            for (var p = 0; p < statement.Parameters.Length; p++)
            {
                command.Parameters.Add(ArrayOf(statement.Parameters[p].Name, statement.Parameters[p].Type, run.Rows, p));
            }
        }

        batch.BatchCommands.Add(command);
    }

    /// <summary>Column <paramref name="p"/> of the rows as one typed array parameter (nulls kept).</summary>
    internal static NpgsqlParameter ArrayOf(string name, DbType type, List<object?[]> rows, int p)
    {
        switch (type)
        {
            case DbType.String:
                var texts = new string?[rows.Count];
                for (var i = 0; i < texts.Length; i++)
                {
                    texts[i] = (string?)rows[i][p];
                }

                return new NpgsqlParameter(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = texts };
            case DbType.Int64:
                var wholes = new long?[rows.Count];
                for (var i = 0; i < wholes.Length; i++)
                {
                    wholes[i] = rows[i][p] is { } v ? Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture) : null;
                }

                return new NpgsqlParameter(name, NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = wholes };
            case DbType.Int32:
                var counts = new int?[rows.Count];
                for (var i = 0; i < counts.Length; i++)
                {
                    counts[i] = rows[i][p] is { } v ? Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture) : null;
                }

                return new NpgsqlParameter(name, NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = counts };
            case DbType.Double:
                var reals = new double?[rows.Count];
                for (var i = 0; i < reals.Length; i++)
                {
                    reals[i] = rows[i][p] is { } v ? Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture) : null;
                }

                return new NpgsqlParameter(name, NpgsqlDbType.Array | NpgsqlDbType.Double) { Value = reals };
            default:
                throw new NotSupportedException($"no array mapping for a projection parameter of {type}");
        }
    }

    /// <summary>
    /// A statement's table, its form over arrays (null when it has none), and which of its parameters identify the row
    /// it touches.
    /// </summary>
    internal sealed class Form(string table, string? setSql, int[] keys)
    {
        public string Table { get; } = table;

        public string? SetSql { get; } = setSql;

        /// <summary>The key values of a row, joined: rows with equal keys never share a run.</summary>
        public string Key(object?[] values) => keys.Length == 1
            ? Convert.ToString(values[keys[0]], System.Globalization.CultureInfo.InvariantCulture) ?? ""
            : string.Join('\u001f', keys.Select(k => Convert.ToString(values[k], System.Globalization.CultureInfo.InvariantCulture)));

        public static Form Of(Statement statement)
        {
            var sql = statement.Sql.ReplaceLineEndings(" ");
            var names = statement.Parameters.Select(p => p.Name).ToArray();
            var from = $"FROM unnest({string.Join(", ", names)}) AS x({string.Join(", ", names.Select(Column))})";
            if (Insert().Match(sql) is { Success: true } insert)
            {
                var columns = insert.Groups["columns"].Value.Split(',', StringSplitOptions.TrimEntries);
                var values = insert.Groups["values"].Value.Split(',', StringSplitOptions.TrimEntries);
                var target = insert.Groups["target"].Value.Split(',', StringSplitOptions.TrimEntries);
                var keys = target.Select(c => Array.IndexOf(columns, c) is var at and >= 0 && at < values.Length ? Array.IndexOf(names, values[at]) : -1).ToArray();
                if (columns.Length != values.Length || keys.Any(k => k < 0) || Parameter().IsMatch(insert.Groups["rest"].Value))
                {
                    return new Form(insert.Groups["table"].Value, null, []);
                }

                var setSql = $"INSERT INTO {insert.Groups["table"].Value} ({string.Join(", ", columns)}) SELECT {Qualify(insert.Groups["values"].Value)} {from} {insert.Groups["rest"].Value}";
                return new Form(insert.Groups["table"].Value, setSql, keys);
            }

            // An update over arrays is a join of the table with them, and its plan is made once per connection
            // (prepared), while the table is still small: a hash of the arrays against a scan of the whole table, kept
            // as the table grows. Measured 3.6-10k events/s in bench events, with or without the partial index's
            // condition spelt out. Updates go one by one, each through its index.
            if (Update().Match(sql) is { Success: true } update)
            {
                return new Form(update.Groups["table"].Value, null, []);
            }

            throw new NotSupportedException($"a projection statement that is neither an insert nor an update: {statement.Sql}");
        }

        // The arrays' columns are prefixed so none takes the name of a table's column (positions has a ticket).
        private static string Column(string parameter) => "p_" + parameter.TrimStart('@');

        private static string Qualify(string sql) => Parameter().Replace(sql, m => "x." + Column(m.Value));
    }

    private sealed class Run(Statement statement, Form form)
    {
        public Statement Statement { get; } = statement;

        public Form Form { get; } = form;

        public HashSet<string> Keys { get; } = new(StringComparer.Ordinal);

        public List<object?[]> Rows { get; } = [];
    }

    [GeneratedRegex(@"^\s*INSERT INTO (?<table>\w+) \((?<columns>[^)]*)\)\s*VALUES \((?<values>[^)]*)\)\s*(?<rest>ON CONFLICT \((?<target>[^)]*)\).*)$", RegexOptions.Singleline)]
    private static partial Regex Insert();

    [GeneratedRegex(@"^\s*UPDATE (?<table>\w+) SET (?<set>.*?) WHERE (?<where>.*)$", RegexOptions.Singleline)]
    private static partial Regex Update();

    [GeneratedRegex(@"@\w+")]
    private static partial Regex Parameter();
}
