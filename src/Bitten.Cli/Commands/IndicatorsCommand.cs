using System.Globalization;
using System.Text;
using System.ComponentModel;
using Bitten.Cli.Hosting;
using Bitten.Indicators;
using Bitten.Indicators.Averages;
using Bitten.Indicators.Filters;
using Bitten.Indicators.Momentum;
using Bitten.Indicators.Volatility;
using Spectre.Console.Cli;

namespace Bitten.Cli.Commands;

/// <summary>
/// <c>bitten indicators --input ohlc.csv --name BB --params 20,2</c>: runs one indicator over a CSV of bars and writes
/// its values as CSV to stdout, one line per input row, so the platform's indicators can be checked against a
/// charting package or a spreadsheet.
/// </summary>
/// <remarks>
/// The input needs a header. Columns are found by name in any order and case; extra columns are ignored, and only
/// the columns the indicator reads are required (a close-only file is enough for EMA). Value indicators update on the
/// close; ATR and Keltner on the whole bar.
/// </remarks>
public sealed class IndicatorsCommand : Command<IndicatorsCommand.Options>
{
    private const string UsageLine =
        "usage: bitten indicators --input ohlc.csv --name BB|EMA|RSI|ATR|KELTNER|KALMAN [--params p1,p2]";

    public sealed class Options : CommandSettings
    {
        [CommandOption("--input <CSV>")]
        [Description("Bars with a header naming date/open/high/low/close (comma or tab separated).")]
        public string? Input { get; init; }

        [CommandOption("--name <INDICATOR>")]
        [Description("BB, EMA, RSI, ATR, KELTNER or KALMAN.")]
        public string? Name { get; init; }

        [CommandOption("--params <P1,P2>")]
        [Description("The indicator's parameters (BB: period,k = 20,2; EMA, RSI: period; ATR: period[,SMA|EMA|RMA]; KELTNER: period,k; KALMAN: Q,R).")]
        public string? Params { get; init; }
    }

    private static readonly string[] DateNames = ["date", "time", "timestamp", "datetime"];

    private static readonly Dictionary<string, IndicatorKind> Kinds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["BB"] = new("BB", "period,k", "20,2", ["middle", "upper", "lower", "bandwidth", "percent_b"], NeedsBar: false, CreateBollinger),
        ["EMA"] = new("EMA", "period", "14", ["ema"], NeedsBar: false, CreateEma),
        ["RSI"] = new("RSI", "period", "14", ["rsi"], NeedsBar: false, CreateRsi),
        ["ATR"] = new("ATR", "period[,SMA|EMA|RMA]", "14", ["atr"], NeedsBar: true, CreateAtr),
        ["KELTNER"] = new("KELTNER", "period,k", "20,1.5", ["middle", "upper", "lower"], NeedsBar: true, CreateKeltner),
        ["KALMAN"] = new("KALMAN", "Q,R", "0.0001,0.01", ["estimate", "gain"], NeedsBar: false, CreateKalman),
    };

    public override int Execute(CommandContext context, Options settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var input = settings.Input;
        var name = settings.Name;
        var parameters = settings.Params;
        if (input is null || name is null)
        {
            throw new UsageException(UsageLine);
        }

        if (!Kinds.TryGetValue(name, out var kind))
        {
            throw new UsageException($"unknown indicator '{name}': known are {string.Join(", ", Kinds.Keys)}");
        }

        var step = kind.Create(SplitParams(parameters ?? kind.Defaults));
        if (!File.Exists(input))
        {
            throw new UsageException($"input file '{input}' not found");
        }

        using var reader = new StreamReader(input, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var header = reader.ReadLine();
        if (string.IsNullOrWhiteSpace(header))
        {
            throw new UsageException($"{input}: empty; expected a header naming the date/open/high/low/close columns");
        }

        var delimiter = header.Contains('\t', StringComparison.Ordinal) ? '\t' : ',';
        var columns = Columns.Find(Split(header, delimiter), kind.NeedsBar, input);

        using var output = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
        output.WriteLine("date," + string.Join(',', kind.Columns));
        var lineNumber = 1;
        var skipped = 0;
        var line = new StringBuilder();
        while (reader.ReadLine() is { } text)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            if (!columns.TryParse(Split(text, delimiter), out var date, out var bar, out var problem))
            {
                skipped++;
                Console.Error.WriteLine($"{input}:{lineNumber}: skipped: {problem}");
                continue;
            }

            var values = step(bar);
            line.Clear().Append(Escape(date));
            if (values is null)
            {
                // Warm-up: blank cells, so row N of the output is still row N of the input.
                line.Append(',', kind.Columns.Length);
            }
            else
            {
                foreach (var value in values)
                {
                    line.Append(',').Append(value.ToString("R", CultureInfo.InvariantCulture));
                }
            }

            output.WriteLine(line);
        }

        if (skipped > 0)
        {
            Console.Error.WriteLine($"{input}: {skipped} malformed row(s) skipped");
        }

        return 0;
    }

    private static Func<Bar, double[]?> CreateBollinger(string[] p, IndicatorKind kind)
    {
        var bb = Build(kind, p, 2, () => new BollingerBands(Period(p[0], kind), Number(p[1], kind)));
        return bar =>
        {
            bb.Update(bar.Close);
            return bb.IsReady ? [bb.Middle, bb.Upper, bb.Lower, bb.BandWidth, bb.PercentB] : null;
        };
    }

    private static Func<Bar, double[]?> CreateEma(string[] p, IndicatorKind kind)
    {
        var ema = Build(kind, p, 1, () => new ExponentialMovingAverage(Period(p[0], kind)));
        return bar =>
        {
            ema.Update(bar.Close);
            return ema.IsReady ? [ema.Current] : null;
        };
    }

    private static Func<Bar, double[]?> CreateRsi(string[] p, IndicatorKind kind)
    {
        var rsi = Build(kind, p, 1, () => new RelativeStrengthIndex(Period(p[0], kind)));
        return bar =>
        {
            rsi.Update(bar.Close);
            return rsi.IsReady ? [rsi.Current] : null;
        };
    }

    private static Func<Bar, double[]?> CreateAtr(string[] p, IndicatorKind kind)
    {
        if (p.Length is not (1 or 2))
        {
            throw BadParams(kind);
        }

        var smoothing = p.Length == 1 ? MovingAverageType.Wilders : p[1].ToUpperInvariant() switch
        {
            "SMA" => MovingAverageType.Simple,
            "EMA" => MovingAverageType.Exponential,
            "RMA" or "WILDER" or "WILDERS" => MovingAverageType.Wilders,
            _ => throw BadParams(kind),
        };
        var atr = Build(kind, p, p.Length, () => new AverageTrueRange(Period(p[0], kind), smoothing));
        return bar =>
        {
            atr.Update(bar);
            return atr.IsReady ? [atr.Current] : null;
        };
    }

    private static Func<Bar, double[]?> CreateKeltner(string[] p, IndicatorKind kind)
    {
        var kc = Build(kind, p, 2, () => new KeltnerChannels(Period(p[0], kind), Number(p[1], kind)));
        return bar =>
        {
            kc.Update(bar);
            return kc.IsReady ? [kc.Middle, kc.Upper, kc.Lower] : null;
        };
    }

    private static Func<Bar, double[]?> CreateKalman(string[] p, IndicatorKind kind)
    {
        if (p.Length != 2)
        {
            throw BadParams(kind);
        }

        var q = Number(p[0], kind);
        var r = Number(p[1], kind);
        // Validated now, with a placeholder start, so bad Q or R fail before any output rather than at the first row.
        _ = Build(kind, p, 2, () => new KalmanFilter(q, r, 0, r));
        KalmanFilter? filter = null;
        return bar =>
        {
            // The state starts at the first close with variance R: as sure of it as of any later measurement.
            filter ??= new KalmanFilter(q, r, bar.Close, r);
            filter.Update(bar.Close);
            return [filter.Estimate, filter.Gain];
        };
    }

    // Runs an indicator's constructor, turning its range checks (a negative k, a zero period) into the usage hint.
    private static T Build<T>(IndicatorKind kind, string[] p, int count, Func<T> create)
    {
        if (p.Length != count)
        {
            throw BadParams(kind);
        }

        try
        {
            return create();
        }
        catch (ArgumentException)
        {
            throw BadParams(kind);
        }
    }

    private static int Period(string text, IndicatorKind kind) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var period) && period >= 1
            ? period
            : throw BadParams(kind);

    private static double Number(string text, IndicatorKind kind) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw BadParams(kind);

    private static UsageException BadParams(IndicatorKind kind) =>
        new($"{kind.Name} takes {kind.ParamsShape}: e.g. {kind.Defaults}");

    private static string[] SplitParams(string text) => text.Split(',', StringSplitOptions.TrimEntries);

    /// <summary>Splits one line on the delimiter, honouring double-quoted fields ("a,b" and "" for a quote).</summary>
    private static List<string> Split(string line, char delimiter)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (c == delimiter)
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
        return fields;
    }

    private static string Escape(string field) =>
        field.AsSpan().IndexOfAny(",\"\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private sealed record IndicatorKind(
        string Name,
        string ParamsShape,
        string Defaults,
        string[] Columns,
        bool NeedsBar,
        Func<string[], IndicatorKind, Func<Bar, double[]?>> Factory)
    {
        public Func<Bar, double[]?> Create(string[] parameters) => Factory(parameters, this);
    }

    /// <summary>Where the date and price columns are in the header, and how to read a row by them.</summary>
    private sealed class Columns
    {
        private readonly int _date;
        private readonly int _open;
        private readonly int _high;
        private readonly int _low;
        private readonly int _close;

        private Columns(int date, int open, int high, int low, int close)
        {
            _date = date;
            _open = open;
            _high = high;
            _low = low;
            _close = close;
        }

        public static Columns Find(List<string> header, bool needsBar, string input)
        {
            int IndexOf(params string[] names) =>
                header.FindIndex(h => names.Contains(h.Trim(), StringComparer.OrdinalIgnoreCase));

            var date = IndexOf(DateNames);
            var open = IndexOf("open");
            var high = IndexOf("high");
            var low = IndexOf("low");
            var close = IndexOf("close");
            var missing = new List<string>();
            if (date < 0)
            {
                missing.Add("date (or time, timestamp)");
            }

            // Only what the indicator reads is required; a bar indicator reads open when present, but none here uses it.
            if (needsBar && high < 0)
            {
                missing.Add("high");
            }

            if (needsBar && low < 0)
            {
                missing.Add("low");
            }

            if (close < 0)
            {
                missing.Add("close");
            }

            return missing.Count == 0
                ? new Columns(date, needsBar ? open : -1, needsBar ? high : -1, needsBar ? low : -1, close)
                : throw new UsageException(
                    $"{input}: missing column(s) {string.Join(", ", missing)}; the header has {string.Join(", ", header)}");
        }

        public bool TryParse(List<string> fields, out string date, out Bar bar, out string problem)
        {
            date = string.Empty;
            bar = default;
            var needed = Math.Max(Math.Max(_date, _open), Math.Max(Math.Max(_high, _low), _close)) + 1;
            if (fields.Count < needed)
            {
                problem = $"{fields.Count} field(s), the header needs at least {needed}";
                return false;
            }

            date = fields[_date];
            if (string.IsNullOrWhiteSpace(date))
            {
                problem = "empty date";
                return false;
            }

            if (!TryNumber(fields, _close, "close", out var close, out problem)
                || !TryNumber(fields, _high, "high", out var high, out problem)
                || !TryNumber(fields, _low, "low", out var low, out problem)
                || !TryNumber(fields, _open, "open", out var open, out problem))
            {
                return false;
            }

            // Columns the indicator does not read (open always; high and low for close-only indicators) stand in as the close.
            bar = new Bar(0, _open < 0 ? close : open, _high < 0 ? close : high, _low < 0 ? close : low, close);
            return true;
        }

        private static bool TryNumber(List<string> fields, int index, string name, out double value, out string problem)
        {
            problem = string.Empty;
            value = 0;
            if (index < 0)
            {
                return true;
            }

            var text = fields[index].Trim();
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value))
            {
                return true;
            }

            problem = $"{name} '{text}' is not a finite number";
            return false;
        }
    }
}
