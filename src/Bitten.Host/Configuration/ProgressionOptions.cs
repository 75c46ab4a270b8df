namespace Bitten.Host.Configuration;

/// <summary>
/// The press pass (section <c>Progression</c>): how many new passes a UTC day gives out, how long one runs, when its
/// reminder goes out, and the balance of its simulated account.
/// </summary>
public sealed class ProgressionOptions
{
    public const string Section = "Progression";

    public int PressPassesPerDay { get; set; } = 10;

    public double PressPassDays { get; set; } = 7;

    public double ReminderHoursBefore { get; set; } = 24;

    public decimal PressPassBalance { get; set; } = 10_000m;

    /// <summary>How often running passes are checked for their reminder and their end.</summary>
    public double CheckIntervalSeconds { get; set; } = 60;

    public TimeSpan PressPassLength => TimeSpan.FromDays(PressPassDays);

    public TimeSpan ReminderBefore => TimeSpan.FromHours(ReminderHoursBefore);

    public TimeSpan CheckInterval => TimeSpan.FromSeconds(CheckIntervalSeconds);

    public IEnumerable<string> Validate()
    {
        if (PressPassesPerDay is < 1 or > 100_000)
        {
            yield return "Progression:PressPassesPerDay must be 1-100000";
        }

        if (!(PressPassDays is > 0 and <= 365))
        {
            yield return "Progression:PressPassDays must be more than 0 and at most 365";
        }

        if (!(ReminderHoursBefore >= 0) || ReminderHoursBefore >= PressPassDays * 24)
        {
            yield return "Progression:ReminderHoursBefore must be 0 or more and shorter than the pass";
        }

        if (PressPassBalance is <= 0 or > 100_000_000m)
        {
            yield return "Progression:PressPassBalance must be more than 0 and at most 100000000";
        }

        if (!(CheckIntervalSeconds is >= 0.1 and <= 3600))
        {
            yield return "Progression:CheckIntervalSeconds must be 0.1-3600";
        }
    }
}
