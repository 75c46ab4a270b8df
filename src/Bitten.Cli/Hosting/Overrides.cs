namespace Bitten.Cli.Hosting;

/// <summary>
/// The configuration overrides of a command line (<c>--Zmq:MarketInPort=15556</c>, recognised by the colon), taken
/// out before the command's own flags are parsed and handed to every command that loads settings.
/// </summary>
public sealed record Overrides(string[] Args)
{
    // Flags that take several paths or names after one flag (--ticks a.zip b.zip), as the commands always have.
    private static readonly HashSet<string> ManyValued = new(StringComparer.Ordinal) { "--ticks", "--symbols" };

    public static Overrides Of(Spectre.Console.Cli.CommandContext context) =>
        context?.Data as Overrides ?? new Overrides([]);

    /// <summary>Splits <paramref name="args"/> into the command's own words and flags and the configuration overrides.</summary>
    public static (string[] Command, Overrides Overrides) Split(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var config = new List<string>();
        var command = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Contains(':', StringComparison.Ordinal))
            {
                config.Add(arg);
                if (!arg.Contains('=', StringComparison.Ordinal) && i + 1 < args.Count)
                {
                    config.Add(args[++i]);
                }

                continue;
            }

            command.Add(arg);
            if (ManyValued.Contains(arg))
            {
                // --ticks a b → --ticks a --ticks b, the form the parser takes for a list.
                var first = true;
                while (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    if (!first)
                    {
                        command.Add(arg);
                    }

                    command.Add(args[++i]);
                    first = false;
                }
            }
        }

        return ([.. command], new Overrides([.. config]));
    }
}
