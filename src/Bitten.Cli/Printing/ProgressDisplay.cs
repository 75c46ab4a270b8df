using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Spectre.Console;

namespace Bitten.Cli.Printing;

/// <summary>
/// Long work that reports progress as lines (<c>"backtest:  40.0% …"</c>): a progress bar on a terminal, the lines
/// themselves when stderr is a file or a pipe (logs and tests read them).
/// </summary>
public static partial class ProgressDisplay
{
    public static T Run<T>(string title, Func<TextWriter, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (Console.IsErrorRedirected)
        {
            return work(Console.Error);
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        var other = new List<string>();
        var result = console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask(Markup.Escape(title), maxValue: 100);
                using var lines = new LineWriter(line =>
                {
                    if (Percent().Match(line) is { Success: true } match)
                    {
                        task.Value = double.Parse(match.Groups["p"].Value, CultureInfo.InvariantCulture);
                        task.Description = Markup.Escape(line[(match.Index + match.Length)..].Trim());
                    }
                    else
                    {
                        other.Add(line);
                    }
                });
                var value = work(lines);
                task.Value = 100;
                return value;
            });
        // Warnings said during the work, after the bar (the live display would overwrite them).
        foreach (var line in other)
        {
            Console.Error.WriteLine(line);
        }

        return result;
    }

    [GeneratedRegex(@"(?<p>\d+(\.\d+)?)%")]
    private static partial Regex Percent();

    /// <summary>A writer that hands each completed line to <paramref name="onLine"/>.</summary>
    private sealed class LineWriter(Action<string> onLine) : TextWriter
    {
        private readonly StringBuilder _line = new();

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            if (value == '\n')
            {
                onLine(_line.ToString().TrimEnd('\r'));
                _line.Clear();
            }
            else
            {
                _line.Append(value);
            }
        }

        public override void WriteLine(string? value)
        {
            _line.Append(value);
            Write('\n');
        }
    }
}
