using System.Text;

namespace Bitten.Persistence.Events;

/// <summary>
/// How an event's data is kept in <c>events.data_json</c>: the compact JSON with each of the commonest keys — the
/// whole <c>"key":</c> — replaced by one control character. Valid JSON never holds a raw control character (they
/// are escaped inside strings and illegal outside them), so the substitution is exactly reversible, and a row written
/// before it (plain JSON) reads back unchanged. Keys are about half of a typical event's data; this is what brings the
/// log's rows down. The view <c>events_json</c> (0007) undoes it in SQL, for whoever reads the log by hand.
/// </summary>
public static class EventData
{
    /// <summary>
    /// The keys, in token order: the first takes U+0001. Tab, line feed and carriage return (legal whitespace between
    /// JSON tokens) are never tokens. Append only: a stored row's tokens must always mean what they meant.
    /// </summary>
    public static IReadOnlyList<string> Keys { get; } =
    [
        "user_id", "signal_id", "symbol", "fire_id", "mission_id", "direction", "ticket", "volume", "tp_price", "sl_price",
        "reason", "message", "pattern_type", "confidence", "target_pips", "stop_pips", "status", "outcome", "open_price",
        "lot_size", "expires_at", "execution_time", "execution_mode", "equity", "entry_price", "component", "balance",
        "account_number",
    ];

    private static readonly char[] Tokens = [.. Enumerable.Range(1, 31).Where(c => c is not (9 or 10 or 13)).Select(c => (char)c).Take(28)];

    private static readonly Dictionary<string, char> TokenOf = Keys.Select((key, i) => (key, i)).ToDictionary(p => p.key, p => Tokens[p.i], StringComparer.Ordinal);

    private static readonly Dictionary<string, char>.AlternateLookup<ReadOnlySpan<char>> TokenBySpan = TokenOf.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly string?[] KeyOf = BuildKeyOf();

    /// <summary>The token standing for <c>"key":</c>, for the view's SQL and the tests.</summary>
    public static char TokenFor(string key) => TokenOf[key];

    /// <summary>The stored form of compact JSON data.</summary>
    public static string Pack(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var packed = new StringBuilder(json.Length);
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            if (c == '"')
            {
                var end = json.IndexOf('"', i + 1);
                if (end > 0 && end + 1 < json.Length && json[end + 1] == ':' && TokenBySpan.TryGetValue(json.AsSpan(i + 1, end - i - 1), out var token))
                {
                    packed.Append(token);
                    i = end + 1;
                    continue;
                }
            }
            else if (c < ' ' && KeyOf[c] is not null)
            {
                // Not valid JSON, but never let it pass for a token: escaped as a JSON writer would have.
                packed.Append("\\u00").Append(((int)c).ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
                continue;
            }

            packed.Append(c);
        }

        return packed.ToString();
    }

    /// <summary>The compact JSON again, from the stored form (plain JSON comes back as it is).</summary>
    public static string Unpack(string stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (stored.AsSpan().IndexOfAnyInRange((char)1, (char)31) < 0)
        {
            return stored;
        }

        var json = new StringBuilder(stored.Length * 2);
        foreach (var c in stored)
        {
            if (c < ' ' && KeyOf[c] is { } key)
            {
                json.Append('"').Append(key).Append("\":");
            }
            else
            {
                json.Append(c);
            }
        }

        return json.ToString();
    }

    private static string?[] BuildKeyOf()
    {
        var keyOf = new string?[32];
        for (var i = 0; i < Keys.Count; i++)
        {
            keyOf[Tokens[i]] = Keys[i];
        }

        return keyOf;
    }
}
