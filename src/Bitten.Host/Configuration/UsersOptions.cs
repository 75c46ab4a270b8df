namespace Bitten.Host.Configuration;

/// <summary>
/// How often the running server re-reads the users table (section <c>Users</c>), so `bitten user add|set` against the
/// same store takes effect within one interval.
/// </summary>
public sealed class UsersOptions
{
    public const string Section = "Users";

    public double SyncIntervalSeconds { get; set; } = 2;

    public TimeSpan SyncInterval => TimeSpan.FromSeconds(SyncIntervalSeconds);

    public IEnumerable<string> Validate()
    {
        if (!(SyncIntervalSeconds is >= 0.1 and <= 3600))
        {
            yield return "Users:SyncIntervalSeconds must be 0.1-3600";
        }
    }
}
