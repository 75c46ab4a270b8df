using System.Text.RegularExpressions;
using Spectre.Console;

namespace Bitten.Cli.Printing;

/// <summary>
/// Result tables: drawn by Spectre.Console on a terminal, plain aligned text (stable, for scripts and tests) when
/// stdout is redirected.
/// </summary>
public static partial class Tables
{
    /// <summary>A table of <paramref name="header"/> and <paramref name="rows"/>; numbers right-aligned when drawn.</summary>
    public static void Write(IReadOnlyList<string> header, IReadOnlyList<string[]> rows)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        if (Console.IsOutputRedirected)
        {
            var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
            foreach (var row in rows.Prepend([.. header]))
            {
                Console.WriteLine(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
            }

            return;
        }

        var table = new Table().Border(TableBorder.Simple);
        for (var i = 0; i < header.Count; i++)
        {
            var column = new TableColumn(Markup.Escape(header[i])).NoWrap();
            table.AddColumn(rows.Count > 0 && rows.All(r => Numeric().IsMatch(r[i])) ? column.RightAligned() : column);
        }

        foreach (var row in rows)
        {
            table.AddRow([.. row.Select(Markup.Escape)]);
        }

        AnsiConsole.Write(table);
    }

    /// <summary>
    /// A table already laid out as aligned text (columns two or more spaces apart, an optional rule of dashes under
    /// the header): printed as it is when redirected, redrawn as a table on a terminal.
    /// </summary>
    public static void Write(string aligned)
    {
        ArgumentNullException.ThrowIfNull(aligned);
        if (Console.IsOutputRedirected)
        {
            Console.Write(aligned);
            return;
        }

        var lines = aligned.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !Rule().IsMatch(l)).ToList();
        if (lines.Count == 0)
        {
            return;
        }

        var cells = lines.Select(l => Gap().Split(l.Trim())).ToList();
        if (cells.Any(c => c.Length != cells[0].Length))
        {
            Console.Write(aligned);
            return;
        }

        Write(cells[0], cells[1..]);
    }

    [GeneratedRegex(@"^-?[\d.,%–-]+$")]
    private static partial Regex Numeric();

    [GeneratedRegex(@"^-+\s*$")]
    private static partial Regex Rule();

    [GeneratedRegex(@"\s{2,}")]
    private static partial Regex Gap();
}
