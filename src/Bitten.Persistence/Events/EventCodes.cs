using System.Data.Common;

namespace Bitten.Persistence.Events;

/// <summary>
/// The writer's small integers for event types and sources (tables <c>event_types</c> and <c>event_sources</c>,
/// migration 0017): each name is stored once, and every event row and index entry carries its code instead — about a
/// third of a row and half of an index entry were these two names.
/// </summary>
/// <remarks>
/// Both are open sets (a producer on the event port names its own source), so a name is given a code the first time
/// the writer sees it, in a transaction of its own committed before the batch that uses it: a batch that rolls back,
/// or an event undone alone under its savepoint, then never takes a new name's row with it while later events in the
/// batch already carry its code. One writer per store (the collector), and the insert ignores a name already there,
/// so two writers could not give one name two codes either.
/// </remarks>
internal sealed class EventCodes
{
    private readonly Dictionary<string, int> _types = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _sources = new(StringComparer.Ordinal);
    private readonly List<string> _newTypes = [];
    private readonly List<string> _newSources = [];
    private bool _loaded;

    /// <summary>The code of a type the last <see cref="Cover"/> made sure of.</summary>
    public int Type(string name) => _types[name];

    /// <summary>The code of a source the last <see cref="Cover"/> made sure of.</summary>
    public int Source(string name) => _sources[name];

    /// <summary>Makes sure every name in the events has a code, reading the tables on first use and adding new names.</summary>
    public void Cover(DbConnection connection, IEnumerable<(string Type, string Source)> names)
    {
        if (!_loaded)
        {
            Load(connection);
        }

        foreach (var (type, source) in names)
        {
            if (!_types.ContainsKey(type) && !_newTypes.Contains(type))
            {
                _newTypes.Add(type);
            }

            if (!_sources.ContainsKey(source) && !_newSources.Contains(source))
            {
                _newSources.Add(source);
            }
        }

        if (_newTypes.Count == 0 && _newSources.Count == 0)
        {
            return;
        }

        using (var transaction = connection.BeginTransaction())
        {
            Insert(connection, transaction, "event_types", _newTypes);
            Insert(connection, transaction, "event_sources", _newSources);
            transaction.Commit();
        }

        _newTypes.Clear();
        _newSources.Clear();
        Load(connection);
    }

    /// <summary>Forgets what was read: after a failed connection the tables are read again on the next one.</summary>
    public void Forget()
    {
        _loaded = false;
        _types.Clear();
        _sources.Clear();
        _newTypes.Clear();
        _newSources.Clear();
    }

    private void Load(DbConnection connection)
    {
        Read(connection, "event_types", _types);
        Read(connection, "event_sources", _sources);
        _loaded = true;
    }

    private static void Read(DbConnection connection, string table, Dictionary<string, int> into)
    {
        into.Clear();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT code, name FROM {table}";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            into[reader.GetString(1)] = Convert.ToInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    private static void Insert(DbConnection connection, DbTransaction transaction, string table, List<string> names)
    {
        foreach (var name in names)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"INSERT INTO {table} (name) VALUES (@name) ON CONFLICT (name) DO NOTHING";
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@name";
            parameter.Value = name;
            command.Parameters.Add(parameter);
            command.ExecuteNonQuery();
        }
    }
}
