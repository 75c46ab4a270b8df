namespace Bitten.Host.Configuration;

/// <summary>The live status line (section <c>Status</c>).</summary>
public sealed class StatusOptions
{
    public const string Section = "Status";

    public double IntervalSeconds { get; set; } = 2;

    public IEnumerable<string> Validate()
    {
        if (!(IntervalSeconds >= 0.1))
        {
            yield return "Status:IntervalSeconds must be at least 0.1";
        }
    }
}
