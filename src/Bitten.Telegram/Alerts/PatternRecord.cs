using Bitten.Domain.Signals;

namespace Bitten.Telegram.Alerts;

/// <summary>A pattern's measured record in one line, as an alert shows it: win rate of resolved signals with its 95% interval.</summary>
public static class PatternRecord
{
    public static string? Of(IReadOnlyList<TrackedSignal> history, PatternType pattern)
    {
        ArgumentNullException.ThrowIfNull(history);
        int resolved = 0, wins = 0;
        foreach (var tracked in history)
        {
            if (tracked.Signal.PatternType == pattern && tracked.Outcome is { } outcome)
            {
                resolved++;
                wins += outcome.Outcome == Outcome.Win ? 1 : 0;
            }
        }

        if (resolved == 0)
        {
            return null;
        }

        var (lower, upper) = WinRate.Wilson(wins, resolved);
        return $"{Percent((double)wins / resolved)} of {resolved} resolved (95%: {Percent(lower)}–{Percent(upper)})";
    }

    private static string Percent(double share) => Math.Round(share * 100).ToString("0", System.Globalization.CultureInfo.InvariantCulture) + "%";
}
