using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bitten.Bench;

/// <summary>
/// A bench's figures under stable dotted names (<c>fire.p99_ms</c>, <c>events.per_second</c>, …), the names a script
/// or docs/performance.md reads back: renaming one breaks their readers, so names are only ever added. <c>--json FILE</c>
/// writes them with the machine and the time, and whatever detail the bench adds (its runs, its settings).
/// </summary>
public sealed class BenchFigures(string bench)
{
    private readonly SortedDictionary<string, double> _values = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, string> _notes = new(StringComparer.Ordinal);

    public string Bench { get; } = bench;

    public IReadOnlyDictionary<string, double> Values => _values;

    /// <summary>Sets a figure; a name is lower-case words joined by dots and underscores, its unit last (<c>_ms</c>, <c>_per_second</c>).</summary>
    public BenchFigures Set(string name, double value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '_')))
        {
            throw new ArgumentException($"a figure's name is lower-case ASCII, digits, '.' and '_': '{name}'", nameof(name));
        }

        _values[name] = value;
        return this;
    }

    /// <summary>A line of text beside the figures: why a ceiling was not run, what the data was.</summary>
    public BenchFigures Note(string name, string text)
    {
        _notes[name] = text;
        return this;
    }

    /// <summary>Sets <c>{prefix}.ceiling_per_second</c> and <c>{prefix}.of_ceiling</c> (ours ÷ the ceiling) from a ceiling run, or notes why there was none.</summary>
    public BenchFigures Against(string prefix, double oursPerSecond, CeilingRun? ceiling)
    {
        if (ceiling is { PerSecond: > 0 } run)
        {
            Set(prefix + ".ceiling_per_second", run.PerSecond);
            Set(prefix + ".of_ceiling", oursPerSecond / run.PerSecond);
        }
        else
        {
            Note(prefix + ".ceiling", ceiling?.Why ?? "no ceiling program for this figure");
        }

        return this;
    }

    /// <summary>The JSON document: <c>{"bench","at","machine":{…},"figures":{name: value},"notes":{…},"detail":…}</c>.</summary>
    public string ToJson(TimeProvider time, object? detail = null)
    {
        var figures = new JsonObject();
        foreach (var (name, value) in _values)
        {
            figures[name] = double.IsFinite(value) ? JsonValue.Create(Math.Round(value, 4)) : null;
        }

        var notes = new JsonObject();
        foreach (var (name, text) in _notes)
        {
            notes[name] = text;
        }

        var root = new JsonObject
        {
            ["bench"] = Bench,
            ["at"] = time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture),
            ["machine"] = new JsonObject
            {
                ["cores"] = Environment.ProcessorCount,
                ["os"] = RuntimeInformation.OSDescription,
                ["dotnet"] = Environment.Version.ToString(),
                ["cpu"] = CpuName(),
            },
            ["figures"] = figures,
            ["notes"] = notes,
        };
        if (detail is not null)
        {
            // A figure a run could not measure is NaN in its record: written as "NaN", not refused.
            root["detail"] = JsonSerializer.SerializeToNode(detail, detail.GetType(),
                new JsonSerializerOptions { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals });
        }

        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    public async Task WriteAsync(string path, TimeProvider time, object? detail = null, CancellationToken cancellationToken = default) =>
        await File.WriteAllTextAsync(path, ToJson(time, detail), cancellationToken).ConfigureAwait(false);

    private static string? CpuName()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim();
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
