using System.Text.RegularExpressions;

namespace Bitten.Wire.Tests.EaContract;

/// <summary>The JSON kind of a field as far as a static reading can tell: <see cref="Any"/> when the code does not say.</summary>
public enum FieldKind
{
    Any,
    String,
    Number,
    Array,
}

/// <summary>
/// What ea/BITTEN_Bridge.mq5 sends and reads, read from its source by the convention its header states: every key
/// written goes through <c>JStr/JNum/JInt/JArr("key", …)</c>, every key read through <c>JGetStr/JGetNum/JFind(json,
/// "key", …)</c>, each message is built by one top-level function that calls <c>JBegin("TYPE")</c> and
/// <c>Send(g_socket, …)</c>, and <c>Dispatch</c> maps each command type to its handler with <c>type == "x") Handler(</c>.
/// A message's fields are the keys written in its function and in every function it calls, transitively (account
/// fields, positions, symbol specs are helpers); a command's fields are the keys read in its handler and what it calls.
/// MQL5 cannot be compiled here, so this is how the EA is held to the protocol.
/// </summary>
public sealed partial class MqlSource
{
    private readonly Dictionary<string, string> _functions;

    public MqlSource(string source)
    {
        _functions = SplitFunctions(StripComments(source));
        foreach (var (name, body) in _functions)
        {
            var types = JBegin().Matches(body).Select(m => m.Groups[1].Value).ToList();
            if (types.Count > 1)
            {
                Problems.Add($"{name} begins {types.Count} messages; the convention is one message per function");
            }
            else if (types.Count == 1)
            {
                var socket = SendTo().Match(body);
                Messages.Add(new MqlMessage(types[0], name, socket.Success ? socket.Groups[1].Value : null, Written(name)));
            }
        }

        foreach (var message in Messages)
        {
            foreach (var other in Reach(message.Function).Where(f => f != message.Function && Messages.Any(m => m.Function == f)))
            {
                Problems.Add($"{message.Function} reaches {other}, another message's function: their fields would mix");
            }
        }

        var dispatch = _functions.FirstOrDefault(f => CommandBranch().IsMatch(f.Value));
        if (dispatch.Key is not null)
        {
            DispatchReads = ReadsIn(dispatch.Value);
            foreach (Match m in CommandBranch().Matches(dispatch.Value))
            {
                var handler = m.Groups[2].Value;
                if (!_functions.ContainsKey(handler))
                {
                    Problems.Add($"command {m.Groups[1].Value} goes to {handler}, which is not a function of the EA");
                }

                Commands.Add(new MqlCommand(m.Groups[1].Value, handler, Read(handler)));
            }
        }
    }

    public List<MqlMessage> Messages { get; } = [];

    public List<MqlCommand> Commands { get; } = [];

    /// <summary>Keys the dispatcher reads for every command (type, target_uuid, the fire_id of a refusal).</summary>
    public IReadOnlyDictionary<string, FieldKind> DispatchReads { get; } = new Dictionary<string, FieldKind>();

    /// <summary>Ways the source breaks the convention, which would make the reading above blind.</summary>
    public List<string> Problems { get; } = [];

    private Dictionary<string, FieldKind> Written(string function)
    {
        var keys = new Dictionary<string, FieldKind>(StringComparer.Ordinal);
        foreach (var f in Reach(function))
        {
            foreach (Match m in JWrite().Matches(_functions[f]))
            {
                Add(keys, m.Groups[2].Value, m.Groups[1].Value switch
                {
                    "Str" => FieldKind.String,
                    "Arr" => FieldKind.Array,
                    _ => FieldKind.Number,
                }, f);
            }
        }

        return keys;
    }

    private Dictionary<string, FieldKind> Read(string function)
    {
        var keys = new Dictionary<string, FieldKind>(StringComparer.Ordinal);
        foreach (var f in Reach(function))
        {
            foreach (var (key, kind) in ReadsIn(_functions[f]))
            {
                Add(keys, key, kind, f);
            }
        }

        return keys;
    }

    private static Dictionary<string, FieldKind> ReadsIn(string body)
    {
        var keys = new Dictionary<string, FieldKind>(StringComparer.Ordinal);
        foreach (Match m in JRead().Matches(body))
        {
            var kind = m.Groups[1].Value switch
            {
                "GetStr" => FieldKind.String,
                "GetNum" => FieldKind.Number,
                _ => FieldKind.Any,
            };
            if (!keys.TryGetValue(m.Groups[2].Value, out var known) || known == FieldKind.Any)
            {
                keys[m.Groups[2].Value] = kind;
            }
        }

        return keys;
    }

    private void Add(Dictionary<string, FieldKind> keys, string key, FieldKind kind, string where)
    {
        if (keys.TryGetValue(key, out var known) && known != kind && known != FieldKind.Any && kind != FieldKind.Any)
        {
            Problems.Add($"{where}: \"{key}\" is used as both {known} and {kind}");
        }

        if (!keys.ContainsKey(key) || keys[key] == FieldKind.Any)
        {
            keys[key] = kind;
        }
    }

    /// <summary>The function and every EA function it calls, transitively.</summary>
    private HashSet<string> Reach(string function)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { function };
        var todo = new Stack<string>([function]);
        while (todo.TryPop(out var f))
        {
            foreach (Match call in Call().Matches(_functions[f]))
            {
                var callee = call.Groups[1].Value;
                if (_functions.ContainsKey(callee) && seen.Add(callee))
                {
                    todo.Push(callee);
                }
            }
        }

        return seen;
    }

    /// <summary>Comments out, string and character literals kept (an endpoint's "tcp://" is not a comment, '"' opens no string).</summary>
    private static string StripComments(string source) =>
        StringOrComment().Replace(source, m => m.Value[0] is '"' or '\'' ? m.Value : (m.Value.StartsWith("/*", StringComparison.Ordinal) ? " " : ""));

    /// <summary>
    /// Top-level functions: a definition starts at column 0 (return type, name, parenthesis) and its text runs to the
    /// next top-level line, as MetaEditor lays code out; declarations inside #import end with ';' and are skipped.
    /// </summary>
    private static Dictionary<string, string> SplitFunctions(string source)
    {
        var functions = new Dictionary<string, string>(StringComparer.Ordinal);
        string? current = null;
        var body = new System.Text.StringBuilder();
        foreach (var line in source.Split('\n'))
        {
            var start = Definition().Match(line);
            var topLevel = line.Length > 0 && !char.IsWhiteSpace(line[0]) && line[0] != '{' && line[0] != '}';
            if (topLevel)
            {
                Flush();
                current = start.Success && !line.TrimEnd().EndsWith(';') ? start.Groups[1].Value : null;
            }

            if (current is not null)
            {
                body.AppendLine(line);
            }
        }

        Flush();
        return functions;

        void Flush()
        {
            if (current is not null)
            {
                functions[current] = body.ToString();
            }

            body.Clear();
            current = null;
        }
    }

    [GeneratedRegex(@"'(?:\\.|[^'\\\n])'|""(?:\\.|[^""\\\n])*""|//[^\n]*|/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex StringOrComment();

    [GeneratedRegex(@"^(?:const\s+)?\w+\s+(\w+)\s*\(")]
    private static partial Regex Definition();

    [GeneratedRegex(@"\b(\w+)\s*\(")]
    private static partial Regex Call();

    [GeneratedRegex(@"\bJBegin\(\s*""([^""]+)""\s*\)")]
    private static partial Regex JBegin();

    [GeneratedRegex(@"\bSend\(\s*(g_\w+)\s*,")]
    private static partial Regex SendTo();

    [GeneratedRegex(@"\bJ(Str|Num|Int|Arr)\(\s*""([^""]*)""")]
    private static partial Regex JWrite();

    [GeneratedRegex(@"\bJ(GetStr|GetNum|Find)\(\s*\w+\s*,\s*""([^""]*)""")]
    private static partial Regex JRead();

    [GeneratedRegex(@"\btype\s*==\s*""(\w+)""\s*\)\s*(\w+)\s*\(")]
    private static partial Regex CommandBranch();
}

/// <summary>A message the EA builds: its <c>type</c>, the function that builds it, the socket it goes on, its keys.</summary>
public sealed record MqlMessage(string Type, string Function, string? Socket, IReadOnlyDictionary<string, FieldKind> Fields);

/// <summary>A command the EA handles: its <c>type</c>, its handler, the keys the handler reads.</summary>
public sealed record MqlCommand(string Type, string Handler, IReadOnlyDictionary<string, FieldKind> Fields);
