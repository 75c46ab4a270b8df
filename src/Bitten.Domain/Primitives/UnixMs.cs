namespace Bitten.Domain.Primitives;

/// <summary>Unix milliseconds, the one time representation in messages and market state.</summary>
public static class UnixMs
{
    public const long Second = 1_000;
    public const long Minute = 60_000;
    public const long Day = 86_400_000;

    public static long From(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static long Now(TimeProvider clock) => clock.GetUtcNow().ToUnixTimeMilliseconds();

    public static DateTimeOffset ToDateTime(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    /// <summary>Start of the bucket of length <paramref name="periodMs"/> holding <paramref name="ms"/> (floors negatives too).</summary>
    public static long Floor(long ms, long periodMs)
    {
        var remainder = ms % periodMs;
        return remainder < 0 ? ms - remainder - periodMs : ms - remainder;
    }

    public static string Format(long ms) =>
        ToDateTime(ms).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture);
}
