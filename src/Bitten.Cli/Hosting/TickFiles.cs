using System.Globalization;
using Bitten.Simulation.Replay;

namespace Bitten.Cli.Hosting;

/// <summary>The tick-file arguments sim-ea and backtest share: the paths and the recording's time zone.</summary>
public static class TickFiles
{
    /// <summary>Every tick file under <paramref name="paths"/>; none, or a path that is not there, is a usage error.</summary>
    public static IReadOnlyList<TickFile> Discover(IReadOnlyList<string> paths, string? symbol = null, TimeSpan offset = default)
    {
        IReadOnlyList<TickFile> files;
        try
        {
            files = TickReplay.Discover(paths, symbol, offset);
        }
        catch (FileNotFoundException e)
        {
            throw new UsageException(e.Message);
        }

        return files.Count > 0 ? files : throw new UsageException($"no tick files (*_quote.zip or *.csv) in {string.Join(", ", paths)}");
    }

    /// <summary>--tz-offset: hours from UTC, zero when not given.</summary>
    public static TimeSpan Offset(string? text) =>
        text is null ? TimeSpan.Zero
        : double.TryParse(text, CultureInfo.InvariantCulture, out var hours) && Math.Abs(hours) <= 14 ? TimeSpan.FromHours(hours)
        : throw new UsageException($"--tz-offset takes hours from UTC (e.g. -5), not '{text}'");
}
