using Bitten.Engine.Execution;
using Microsoft.Extensions.Logging;

namespace Bitten.Host.Execution;

/// <summary>The news calendar the desk blocks fires around, read from the file <c>Execution:NewsCalendar</c> names (none: no blocks).</summary>
public static class NewsCalendarFile
{
    public static NewsCalendar? Load(ExecutionOptions options, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.NewsCalendar is not { } path)
        {
            return null;
        }

        var calendar = NewsCalendar.Parse(File.ReadAllText(path), out var errors);
        foreach (var error in errors)
        {
            log.LogWarning("News calendar {Path}: {Error}", path, error);
        }

        log.LogInformation("News calendar {Path}: {Count} events", path, calendar.Events.Count);
        return calendar;
    }
}
