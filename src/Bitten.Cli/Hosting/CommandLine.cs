namespace Bitten.Cli.Hosting;

/// <summary>
/// Splits a subcommand's arguments into its own flags (<c>--speed 60</c>, <c>--loop</c>) and configuration
/// overrides (<c>--Zmq:MarketInPort=15556</c>, recognised by the colon).
/// </summary>
public sealed class CommandLine
{
    private readonly Dictionary<string, List<string>> _flags = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public CommandLine(string[] args, params string[] switches)
    {
        var config = new List<string>();
        var words = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Contains(':', StringComparison.Ordinal))
            {
                config.Add(arg);
                if (!arg.Contains('=', StringComparison.Ordinal) && i + 1 < args.Length)
                {
                    config.Add(args[++i]);
                }

                continue;
            }

            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                var name = arg[2..];
                string? inline = null;
                var eq = name.IndexOf('=', StringComparison.Ordinal);
                if (eq >= 0)
                {
                    inline = name[(eq + 1)..];
                    name = name[..eq];
                }

                var values = _flags.TryGetValue(name, out var list) ? list : _flags[name] = [];
                if (inline is not null)
                {
                    values.Add(inline);
                }
                else if (!switches.Contains(name))
                {
                    // A value flag takes every following word up to the next flag: --ticks a.zip b.zip
                    while (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    {
                        values.Add(args[++i]);
                    }
                }

                continue;
            }

            words.Add(arg);
        }

        ConfigArgs = [.. config];
        Words = words;
    }

    public string[] ConfigArgs { get; }

    public IReadOnlyList<string> Words { get; }

    public bool Has(string flag)
    {
        _used.Add(flag);
        return _flags.ContainsKey(flag);
    }

    public IReadOnlyList<string> Values(string flag)
    {
        _used.Add(flag);
        return _flags.TryGetValue(flag, out var values) ? values : [];
    }

    public string? Value(string flag)
    {
        var values = Values(flag);
        return values.Count switch
        {
            0 => null,
            1 => values[0],
            _ => throw new UsageException($"--{flag} takes one value"),
        };
    }

    /// <summary>Refuses flags no one asked about, so a typo is an error instead of silently ignored.</summary>
    public void RejectUnknown()
    {
        var unknown = _flags.Keys.Where(k => !_used.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new UsageException($"unknown option {string.Join(", ", unknown.Select(u => "--" + u))}");
        }
    }
}
