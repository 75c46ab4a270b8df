using System.Text.RegularExpressions;

namespace Bitten.Wire.Tests.EaContract;

/// <summary>A documented field: its JSON kind and whether the parser refuses a message without it.</summary>
public sealed record DocField(FieldKind Kind, bool Required);

/// <summary>One message or command of docs/protocol.md, its fields expanded (groups and array items included).</summary>
public sealed record DocSection(string Type, bool ToServer, int Port, IReadOnlyDictionary<string, DocField> Fields);

/// <summary>
/// The field tables of docs/protocol.md. A message or command is a heading <c>### `type` — EA → server, port N</c>
/// (or <c>server → EA</c>) followed by a table <c>| field | type | required | meaning |</c>; a row's field is a
/// backticked name, its type <c>string</c>, <c>number</c>, <c>integer</c> or <c>array of …</c>, its required
/// <c>yes</c> or <c>no</c>. A heading without backticks (<c>### account fields</c>) is a group: a row naming it with
/// type <c>group</c>, or an <c>array of &lt;group&gt;</c>, brings in the group's fields.
/// </summary>
public sealed partial class ProtocolDocument
{
    private readonly Dictionary<string, List<string[]>> _rows = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (bool ToServer, int Port)> _headings = new(StringComparer.Ordinal);

    public ProtocolDocument(string markdown)
    {
        List<string[]>? rows = null;
        foreach (var raw in markdown.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith("### ", StringComparison.Ordinal))
            {
                var heading = line[4..].Trim();
                var message = MessageHeading().Match(heading);
                var name = message.Success ? message.Groups[1].Value : heading.ToLowerInvariant();
                rows = [];
                if (!_rows.TryAdd(name, rows))
                {
                    Problems.Add($"\"{name}\" is documented twice");
                }

                if (message.Success)
                {
                    _headings[name] = (message.Groups[2].Value == "EA → server", int.Parse(message.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture));
                }
                else if (heading.Contains('`', StringComparison.Ordinal))
                {
                    Problems.Add($"heading \"{heading}\" names a type but not its direction and port");
                }
            }
            else if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                rows = null;
            }
            else if (rows is not null && line.StartsWith('|'))
            {
                var cells = line.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
                if (cells.Length >= 3 && cells[0] != "field" && !cells[0].StartsWith("---", StringComparison.Ordinal))
                {
                    rows.Add(cells);
                }
            }
        }

        foreach (var (type, (toServer, port)) in _headings)
        {
            Sections.Add(new DocSection(type, toServer, port, Expand(type, [])));
        }
    }

    public List<DocSection> Sections { get; } = [];

    public List<string> Problems { get; } = [];

    private Dictionary<string, DocField> Expand(string section, HashSet<string> seen)
    {
        var fields = new Dictionary<string, DocField>(StringComparer.Ordinal);
        if (!seen.Add(section))
        {
            Problems.Add($"group \"{section}\" includes itself");
            return fields;
        }

        foreach (var cells in _rows[section])
        {
            var type = cells[1].ToLowerInvariant();
            var name = Backticked().Match(cells[0]);
            if (type == "group")
            {
                Include(cells[0].ToLowerInvariant());
                continue;
            }

            if (!name.Success)
            {
                Problems.Add($"{section}: row \"{cells[0]}\" is neither a `field` nor a group");
                continue;
            }

            FieldKind? kind = type.StartsWith("string", StringComparison.Ordinal) ? FieldKind.String
                : type.StartsWith("number", StringComparison.Ordinal) || type.StartsWith("integer", StringComparison.Ordinal) ? FieldKind.Number
                : type.StartsWith("array", StringComparison.Ordinal) ? FieldKind.Array
                : null;
            if (kind is null || cells.Length < 3 || cells[2] is not ("yes" or "no"))
            {
                Problems.Add($"{section}: `{name.Groups[1].Value}` has type \"{cells[1]}\" and required \"{(cells.Length > 2 ? cells[2] : "")}\"");
                continue;
            }

            Add(name.Groups[1].Value, new DocField(kind.Value, cells[2] == "yes"));
            if (type.StartsWith("array of ", StringComparison.Ordinal) && _rows.ContainsKey(type["array of ".Length..].Trim()))
            {
                Include(type["array of ".Length..].Trim());
            }
        }

        seen.Remove(section);
        return fields;

        void Include(string group)
        {
            if (!_rows.ContainsKey(group))
            {
                Problems.Add($"{section}: no group \"{group}\" is documented");
                return;
            }

            foreach (var (key, field) in Expand(group, seen))
            {
                Add(key, field);
            }
        }

        void Add(string key, DocField field)
        {
            if (!fields.TryAdd(key, field) && fields[key] != field)
            {
                Problems.Add($"{section}: `{key}` is documented twice, differently");
            }
        }
    }

    [GeneratedRegex(@"^`([^`]+)` — (EA → server|server → EA), port (\d+)$")]
    private static partial Regex MessageHeading();

    [GeneratedRegex(@"^`([^`]+)`$")]
    private static partial Regex Backticked();
}
