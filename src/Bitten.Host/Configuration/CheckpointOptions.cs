namespace Bitten.Host.Configuration;

/// <summary>How often the kernel's live state is checkpointed when it changed (section <c>Checkpoint</c>).</summary>
/// <remarks>
/// Shorter loses less on a crash, at one small store write per interval while anything changes; the fire journal keeps
/// every fire in between either way.
/// </remarks>
public sealed class CheckpointOptions
{
    public const string Section = "Checkpoint";

    public int IntervalMilliseconds { get; set; } = 250;

    public TimeSpan Interval => TimeSpan.FromMilliseconds(IntervalMilliseconds);

    public IEnumerable<string> Validate()
    {
        if (IntervalMilliseconds is < 10 or > 60_000)
        {
            yield return $"Checkpoint:IntervalMilliseconds must be 10-60000, not {IntervalMilliseconds}";
        }
    }
}
