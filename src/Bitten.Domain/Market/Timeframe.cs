namespace Bitten.Domain.Market;

/// <summary>Candle periods; the value is the length in minutes.</summary>
public enum Timeframe
{
    M1 = 1,
    M5 = 5,
    M15 = 15,
    H1 = 60,
}

public static class Timeframes
{
    /// <summary>The periods the kernel builds from ticks.</summary>
    public static readonly Timeframe[] Built = [Timeframe.M1, Timeframe.M5, Timeframe.M15];

    public static long DurationMs(this Timeframe timeframe) => (long)timeframe * 60_000;

    public static bool TryParse(ReadOnlySpan<byte> text, out Timeframe timeframe)
    {
        timeframe = text switch
        {
            _ when text.SequenceEqual("M1"u8) => Timeframe.M1,
            _ when text.SequenceEqual("M5"u8) => Timeframe.M5,
            _ when text.SequenceEqual("M15"u8) => Timeframe.M15,
            _ when text.SequenceEqual("H1"u8) => Timeframe.H1,
            _ => 0,
        };
        return timeframe != 0;
    }
}
