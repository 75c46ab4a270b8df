using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Bitten.Engine.Execution;

/// <summary>One calendar event: when (UTC), whose currency, how much it moves markets, what it is.</summary>
public sealed record NewsEvent(long TimeMs, string Currency, string Impact, string Title)
{
    public bool IsHighImpact => string.Equals(Impact, "high", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// The economic calendar behind the news blackout of PRODUCT.md §5: no fires within ±<see cref="BlackoutMinutes"/>
/// minutes of a high-impact event for either currency of the symbol. Read from a CSV file with a
/// <c>time,currency,impact,title</c> header (any column order, any case, extra columns ignored); times are UTC,
/// <c>2024-01-05T13:30:00Z</c> or <c>2024-01-05 13:30</c>. Immutable, so one calendar is shared and swapped whole
/// when the file is reloaded.
/// </summary>
public sealed class NewsCalendar
{
    /// <summary>Minutes either side of a high-impact event in which fires are refused: spreads widen and stops slip.</summary>
    public const int BlackoutMinutes = 30;

    private const long BlackoutMs = BlackoutMinutes * 60_000L;

    private static readonly string[] TimeFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd HH:mm:ssK",
        "yyyy-MM-dd HH:mmK",
    ];

    private static readonly string[] RequiredColumns = ["time", "currency", "impact", "title"];

    // High-impact events only, by time: the blackout looks nothing else up, so the search stays over the few that matter.
    private readonly long[] _highImpactTimes;
    private readonly NewsEvent[] _highImpact;

    private NewsCalendar(List<NewsEvent> events)
    {
        // Stable sort: events at the same minute keep file order, so the reason shown does not depend on the sort.
        Events = [.. events.OrderBy(e => e.TimeMs)];
        _highImpact = [.. Events.Where(e => e.IsHighImpact)];
        _highImpactTimes = [.. _highImpact.Select(e => e.TimeMs)];
    }

    /// <summary>A calendar with no events: nothing is ever blacked out.</summary>
    public static NewsCalendar Empty { get; } = new([]);

    /// <summary>Every event read, of any impact, in time order.</summary>
    public IReadOnlyList<NewsEvent> Events { get; }

    /// <summary>
    /// Reads <paramref name="csvText"/>. A line that cannot be read is skipped and reported in
    /// <paramref name="errors"/> with its 1-based line number, so one typo does not lose the rest of the calendar.
    /// A header without the four columns reads nothing and reports that. Blank lines are ignored. Fields may be quoted
    /// with double quotes (a title with a comma), "" inside quotes being one quote.
    /// </summary>
    public static NewsCalendar Parse(string csvText, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(csvText);
        var problems = new List<string>();
        errors = problems;
        var events = new List<NewsEvent>();
        var lines = csvText.Split('\n');
        int[]? columns = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var lineNumber = i + 1;
            var line = lines[i].TrimEnd('\r');
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            if (!TrySplit(line, out var fields))
            {
                problems.Add(Problem(lineNumber, "a quoted field is not closed"));
                if (columns is null)
                {
                    return Empty;
                }

                continue;
            }

            if (columns is null)
            {
                columns = HeaderColumns(fields);
                if (columns is null)
                {
                    problems.Add(Problem(lineNumber, $"the header must name the columns {string.Join(',', RequiredColumns)}, found '{line}'"));
                    return Empty;
                }

                continue;
            }

            if (TryReadEvent(fields, columns, out var newsEvent, out var problem))
            {
                events.Add(newsEvent);
            }
            else
            {
                problems.Add(Problem(lineNumber, problem));
            }
        }

        return events.Count == 0 ? Empty : new NewsCalendar(events);
    }

    /// <summary>
    /// True when a high-impact event for either currency of <paramref name="symbol"/> is within ±
    /// <see cref="BlackoutMinutes"/> minutes of <paramref name="timeMs"/>, edges included; <paramref name="reason"/>
    /// then names the earliest such event. The currencies are the symbol's letters 1–3 and 4–6, so XAUUSD is hit by
    /// USD events (and XAU ones) and a broker suffix such as EURUSD.m is ignored.
    /// </summary>
    public bool IsBlackout(string symbol, long timeMs, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        reason = null;
        if (symbol.Length < 6 || _highImpactTimes.Length == 0)
        {
            return false;
        }

        var first = symbol.AsSpan(0, 3);
        var second = symbol.AsSpan(3, 3);
        var from = timeMs - BlackoutMs;
        var to = timeMs + BlackoutMs;
        for (var i = FirstAtOrAfter(from); i < _highImpactTimes.Length && _highImpactTimes[i] <= to; i++)
        {
            var candidate = _highImpact[i];
            if (first.Equals(candidate.Currency, StringComparison.OrdinalIgnoreCase)
                || second.Equals(candidate.Currency, StringComparison.OrdinalIgnoreCase))
            {
                var at = DateTimeOffset.FromUnixTimeMilliseconds(candidate.TimeMs);
                reason = string.Create(
                    CultureInfo.InvariantCulture,
                    $"{candidate.Currency} high-impact news '{candidate.Title}' at {at:HH:mm} UTC");
                return true;
            }
        }

        return false;
    }

    private int FirstAtOrAfter(long timeMs)
    {
        // Lower bound: Array.BinarySearch finds some equal element, not the first, when several share a time.
        var (low, high) = (0, _highImpactTimes.Length);
        while (low < high)
        {
            var mid = low + ((high - low) / 2);
            if (_highImpactTimes[mid] < timeMs)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }

    private static int[]? HeaderColumns(List<string> fields)
    {
        var columns = new int[RequiredColumns.Length];
        for (var c = 0; c < RequiredColumns.Length; c++)
        {
            columns[c] = fields.FindIndex(f => string.Equals(f.Trim(), RequiredColumns[c], StringComparison.OrdinalIgnoreCase));
            if (columns[c] < 0)
            {
                return null;
            }
        }

        return columns;
    }

    private static bool TryReadEvent(List<string> fields, int[] columns, [NotNullWhen(true)] out NewsEvent? newsEvent, out string problem)
    {
        newsEvent = null;
        var needed = columns.Max() + 1;
        if (fields.Count < needed)
        {
            problem = $"{fields.Count} fields, the header needs {needed}";
            return false;
        }

        var timeText = fields[columns[0]].Trim();
        var currency = fields[columns[1]].Trim().ToUpperInvariant();
        var impact = fields[columns[2]].Trim();
        var title = fields[columns[3]].Trim();
        if (!DateTimeOffset.TryParseExact(
                timeText,
                TimeFormats,
                CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
                out var time))
        {
            problem = $"time '{timeText}' is not a UTC time like 2024-01-05T13:30:00Z or 2024-01-05 13:30";
            return false;
        }

        if (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper))
        {
            problem = $"currency '{currency}' is not a three-letter code like USD";
            return false;
        }

        if (impact.Length == 0)
        {
            problem = "impact is empty (expected high, medium or low)";
            return false;
        }

        newsEvent = new NewsEvent(time.ToUnixTimeMilliseconds(), currency, impact, title);
        problem = "";
        return true;
    }

    private static string Problem(int lineNumber, string what) =>
        string.Create(CultureInfo.InvariantCulture, $"line {lineNumber}: {what}");

    // One CSV line; false when a quote is left open (a title spanning lines is not supported).
    private static bool TrySplit(string line, out List<string> fields)
    {
        fields = [];
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c != '"')
                {
                    field.Append(c);
                }
                else if (i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else
                {
                    quoted = false;
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return !quoted;
    }
}
