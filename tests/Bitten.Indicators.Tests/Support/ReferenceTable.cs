using System.Globalization;
using Bitten.Testing;

namespace Bitten.Indicators.Tests.Support;

/// <summary>
/// A reference CSV from ../shared/data/indicators held column by column. Blank and "NaN" cells (warm-up) read as
/// NaN. Column names are case-insensitive because the files disagree ("Close", "close").
/// </summary>
public sealed class ReferenceTable
{
    private readonly Dictionary<string, double[]> _columns;
    private readonly string[] _labels;
    private readonly long[] _timesMs;

    private ReferenceTable(string name, Dictionary<string, double[]> columns, string[] labels, long[] timesMs)
    {
        Name = name;
        _columns = columns;
        _labels = labels;
        _timesMs = timesMs;
    }

    /// <summary>The file it came from, for failure messages.</summary>
    public string Name { get; }

    public int RowCount => _labels.Length;

    /// <summary>Loads a file under shared/data, e.g. "indicators/lean/spy_atr.txt".</summary>
    public static ReferenceTable Load(string relativePath)
    {
        var lines = File.ReadAllLines(SharedData.Path(relativePath)).Where(line => line.Length > 0).ToArray();
        var header = lines[0].Split(',');
        var dateColumn = Array.FindIndex(header, h => h.Equals("date", StringComparison.OrdinalIgnoreCase)
            || h.Equals("time", StringComparison.OrdinalIgnoreCase));
        var rows = lines.Skip(1).Select(line => line.Split(',')).ToArray();
        var columns = new Dictionary<string, double[]>(StringComparer.OrdinalIgnoreCase);
        for (var c = 0; c < header.Length; c++)
        {
            if (c == dateColumn)
            {
                continue;
            }

            var values = new double[rows.Length];
            for (var r = 0; r < rows.Length; r++)
            {
                values[r] = ParseCell(relativePath, r, header[c], rows[r][c]);
            }

            columns.Add(header[c], values);
        }

        var labels = rows.Select((cells, r) => dateColumn < 0 ? $"row {r}" : cells[dateColumn]).ToArray();
        var times = rows.Select(cells => dateColumn < 0 ? 0 : ParseTimeMs(cells[dateColumn])).ToArray();
        return new ReferenceTable(relativePath, columns, labels, times);
    }

    public bool HasColumn(string column) => _columns.ContainsKey(column);

    /// <summary>The cell, NaN when blank.</summary>
    public double Value(string column, int row) => Column(column)[row];

    public double[] Column(string column) => _columns.TryGetValue(column, out var values)
        ? values
        : throw new KeyNotFoundException($"{Name} has no column '{column}': {string.Join(", ", _columns.Keys)}");

    /// <summary>The row as a bar; files without open, high or low (close-only files) repeat the close.</summary>
    public Bar Bar(int row)
    {
        var close = Value("Close", row);
        return new Bar(
            _timesMs[row],
            HasColumn("Open") ? Value("Open", row) : close,
            HasColumn("High") ? Value("High", row) : close,
            HasColumn("Low") ? Value("Low", row) : close,
            close);
    }

    /// <summary>The row's date as written in the file, for failure messages.</summary>
    public string Label(int row) => _labels[row];

    /// <summary>A copy with an extra column, e.g. one computed independently in a test.</summary>
    public ReferenceTable WithColumn(string column, double[] values)
    {
        if (values.Length != RowCount)
        {
            throw new ArgumentException($"{values.Length} values for {RowCount} rows", nameof(values));
        }

        var columns = new Dictionary<string, double[]>(_columns, StringComparer.OrdinalIgnoreCase) { [column] = values };
        return new ReferenceTable(Name, columns, _labels, _timesMs);
    }

    /// <summary>A copy where the given column's cells that match <paramref name="isWarmUp"/> are blank.</summary>
    public ReferenceTable BlankWhere(string column, Func<int, double, bool> isWarmUp)
    {
        var values = Column(column).Select((value, row) => isWarmUp(row, value) ? double.NaN : value).ToArray();
        return WithColumn(column, values);
    }

    private static double ParseCell(string file, int row, string column, string cell)
    {
        if (cell.Length == 0)
        {
            return double.NaN;
        }

        return double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"{file} row {row} column '{column}': '{cell}' is not a number");
    }

    private static long ParseTimeMs(string cell)
    {
        if (cell.All(char.IsAsciiDigit))
        {
            return long.Parse(cell, CultureInfo.InvariantCulture) * 1000;
        }

        var time = DateTime.ParseExact(
            cell, ["M/d/yyyy h:mm:ss tt", "d-MMM-yy", "dd-MMM-yy"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
        return new DateTimeOffset(time, TimeSpan.Zero).ToUnixTimeMilliseconds();
    }
}
